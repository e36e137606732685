import { Stack, Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { PatternConstructError } from '../construct-error';
import type { EdgeMode } from '../config/app-config';
import type { PatternIngress } from '../compute/reverse-proxy-ingress';
import { EdgeAccessLogs } from './edge-access-logs';
import { EdgeDashboard } from './edge-dashboard';
import { CLOUDFRONT_PROTO_HEADER, PatternEdge } from './pattern-edge';
import { CLOUDFRONT_WAF_REGION, PatternWebAcl } from './pattern-web-acl';

export interface PublicEntryWaf {
  /** Requests per 5 minutes per client IP. */
  readonly rateLimit: number;
  /**
   * A CLOUDFRONT-scope web ACL made in us-east-1 by another stack, for a primary Region elsewhere.
   * @default - with edge=cloudfront, one is created here (this stack must then be in us-east-1)
   */
  readonly cloudFrontWebAcl?: PatternWebAcl;
  /** Log what the web ACL blocks, kept this long (for an ACL made here). @default - no WAF logging */
  readonly logRetention?: logs.RetentionDays;
}

export interface PublicEntryProps {
  readonly vpc: ec2.IVpc;
  /** The load balancer; internal when `edge` is `cloudfront`. */
  readonly ingress: PatternIngress;
  readonly edge: EdgeMode;
  /** @default - no web ACL */
  readonly waf?: PublicEntryWaf;
  /** Prefix of the edge dashboard's name. */
  readonly namePrefix: string;
  /**
   * CloudFront access logs (standard logging v2) kept this long; only in us-east-1, where CloudFront
   * delivers them (another primary Region gets them from an EdgeLogsStack there).
   * @default - no access logs from this stack
   */
  readonly accessLogRetention?: logs.RetentionDays;
}

/**
 * The one address clients know, and what guards it: with `edge=cloudfront`, a CloudFront distribution
 * in front of the internal ALB and a CLOUDFRONT-scope web ACL on it; with `edge=none`, the
 * internet-facing ALB itself with a REGIONAL web ACL associated to it. Also names the header that
 * carries the client's protocol, which the runtime needs for its cookie rules.
 */
export class PublicEntry extends Construct {
  /** The URL users open. */
  readonly url: string;
  /** @default - edge=none */
  readonly edge?: PatternEdge;
  /** @default - waf disabled */
  readonly webAcl?: PatternWebAcl;
  /** Lower-case name of the header the proxy in front sets to the viewer's protocol. */
  readonly forwardedProtoHeader: string;
  /** @default - no access logs delivered from this stack */
  readonly accessLogs?: EdgeAccessLogs;

  constructor(scope: Construct, id: string, props: PublicEntryProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    if (props.edge === 'cloudfront') {
      if (props.waf !== undefined) {
        if (props.waf.cloudFrontWebAcl !== undefined) {
          this.webAcl = props.waf.cloudFrontWebAcl;
        } else if (!Token.isUnresolved(region) && region !== CLOUDFRONT_WAF_REGION) {
          throw new PatternConstructError(
            this,
            `A CLOUDFRONT-scope web ACL must be created in ${CLOUDFRONT_WAF_REGION}, this stack is in ${region}: pass waf.cloudFrontWebAcl from a ${CLOUDFRONT_WAF_REGION} stack`,
          );
        } else {
          this.webAcl = new PatternWebAcl(this, 'WebAcl', { scope: 'CLOUDFRONT', name: `${props.namePrefix}-Edge`, rateLimit: props.waf.rateLimit, logRetention: props.waf.logRetention });
        }
      }
      this.edge = new PatternEdge(this, 'Edge', {
        vpc: props.vpc,
        loadBalancer: props.ingress.loadBalancer,
        originPort: props.ingress.listener.port,
        webAclArn: this.webAcl?.arn,
      });
      this.url = this.edge.url;
      this.forwardedProtoHeader = CLOUDFRONT_PROTO_HEADER.toLowerCase();
      if (props.accessLogRetention !== undefined) {
        this.accessLogs = new EdgeAccessLogs(this, 'AccessLogs', {
          distributionArn: this.edge.distribution.distributionArn,
          namePrefix: props.namePrefix,
          retention: props.accessLogRetention,
        });
      }
    } else {
      if (props.waf !== undefined) {
        this.webAcl = new PatternWebAcl(this, 'WebAcl', { scope: 'REGIONAL', name: `${props.namePrefix}-Alb`, rateLimit: props.waf.rateLimit, logRetention: props.waf.logRetention });
        new wafv2.CfnWebACLAssociation(this, 'WebAclOnAlb', {
          resourceArn: props.ingress.loadBalancer.loadBalancerArn,
          webAclArn: this.webAcl.arn,
        });
      }
      this.url = `${props.ingress.secure ? 'https' : 'http'}://${props.ingress.loadBalancer.loadBalancerDnsName}`;
      // The ALB overwrites X-Forwarded-Proto with the protocol the client used on its listener.
      this.forwardedProtoHeader = 'x-forwarded-proto';
    }
    if (this.webAcl !== undefined || this.edge !== undefined) {
      new EdgeDashboard(this, 'Dashboard', {
        dashboardName: `${props.namePrefix}-Edge`,
        webAcl: this.webAcl,
        distribution: this.edge?.distribution,
      });
    }
  }
}
