import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** The header CloudFront sets to the protocol the viewer used (`http`/`https`); the runtime trusts it. */
export const CLOUDFRONT_PROTO_HEADER = 'CloudFront-Forwarded-Proto';
/** Name of the security group CloudFront creates in the VPC for its VPC-origin network interfaces. */
export const VPC_ORIGIN_SERVICE_SG_NAME = 'CloudFront-VPCOrigins-Service-SG';

export interface PatternEdgeProps {
  readonly vpc: ec2.IVpc;
  /** An internal ALB in private subnets; its listener is opened to CloudFront's VPC-origin interfaces only. */
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** Port of the ALB's (HTTP) listener. @default 80 */
  readonly originPort?: number;
  /** ARN of a CLOUDFRONT-scope WAF web ACL (in us-east-1). @default - no web ACL */
  readonly webAclArn?: string;
  /** @default PriceClass.PRICE_CLASS_100 (North America and Europe edges: the cheapest) */
  readonly priceClass?: cloudfront.PriceClass;
}

/**
 * HTTPS without a domain: a CloudFront distribution (its default `*.cloudfront.net` certificate,
 * HTTP redirected to HTTPS) reaching an internal ALB through a CloudFront VPC origin, so the ALB has
 * no public address at all. Nothing is cached (every pattern route is dynamic); every cookie, query
 * string and viewer header goes to the origin, plus `CloudFront-Forwarded-Proto`, which the runtime
 * uses to decide whether cookies are `Secure`. Response headers (`x-served-by`, `Set-Cookie`) pass back
 * unchanged.
 *
 * The ALB's security group admits only CloudFront's service-managed security group for VPC origins in
 * this VPC (`CloudFront-VPCOrigins-Service-SG`, created with the VPC origin; CloudFormation does not
 * return its id, so a custom resource looks it up after the distribution exists), the narrowest
 * source AWS documents for VPC origins; the alternative, the `com.amazonaws.global.cloudfront.origin-facing`
 * prefix list, admits every CloudFront origin-facing address.
 */
export class PatternEdge extends Construct {
  readonly distribution: cloudfront.Distribution;
  /** `https://<id>.cloudfront.net`: the address users open. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: PatternEdgeProps) {
    super(scope, id);
    const originPort = props.originPort ?? 80;
    const origin = origins.VpcOrigin.withApplicationLoadBalancer(props.loadBalancer, {
      // CloudFront-to-ALB stays inside AWS's network and the VPC; the internal ALB has no name a
      // certificate could match.
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY,
      httpPort: originPort,
      readTimeout: Duration.seconds(30),
    });
    const originRequestPolicy = new cloudfront.OriginRequestPolicy(this, 'OriginRequests', {
      comment: 'Scalability patterns: all cookies, query strings and viewer headers, plus CloudFront-Forwarded-Proto',
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.all(),
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.all(CLOUDFRONT_PROTO_HEADER),
    });

    this.distribution = new cloudfront.Distribution(this, 'Resource', {
      comment: 'Scalability patterns: HTTPS edge in front of the internal ALB',
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy,
        compress: true,
      },
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      webAclId: props.webAclArn,
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    const lookup = new cr.AwsCustomResource(this, 'VpcOriginSecurityGroup', {
      onUpdate: {
        service: 'EC2',
        action: 'describeSecurityGroups',
        parameters: {
          Filters: [
            { Name: 'vpc-id', Values: [props.vpc.vpcId] },
            { Name: 'group-name', Values: [VPC_ORIGIN_SERVICE_SG_NAME] },
          ],
        },
        physicalResourceId: cr.PhysicalResourceId.of(`${VPC_ORIGIN_SERVICE_SG_NAME}-${props.vpc.vpcId}`),
        outputPaths: ['SecurityGroups.0.GroupId'],
      },
      // ec2:DescribeSecurityGroups supports no resource-level permission.
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    // CloudFront creates the group while it deploys the VPC origin.
    lookup.node.addDependency(this.distribution);
    // A rule resource of its own: inlined in the ALB's group it would close a cycle (group -> lookup
    // -> distribution -> VPC origin -> ALB -> group).
    for (const [index, group] of props.loadBalancer.connections.securityGroups.entries()) {
      new ec2.CfnSecurityGroupIngress(this, index === 0 ? 'FromVpcOrigin' : `FromVpcOrigin${index + 1}`, {
        groupId: group.securityGroupId,
        sourceSecurityGroupId: lookup.getResponseField('SecurityGroups.0.GroupId'),
        ipProtocol: 'tcp',
        fromPort: originPort,
        toPort: originPort,
        description: 'CloudFront VPC origin only',
      });
    }
  }
}
