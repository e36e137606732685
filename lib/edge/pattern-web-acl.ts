import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { PatternConstructError } from '../construct-error';
import { WAF_RATE_LIMIT_RANGE } from '../config/app-config';
import { plainLogGroupArn } from './log-group-arn';

/** Where the web ACL is attached: a CloudFront distribution (only in us-east-1) or a regional ALB. */
export type WebAclScope = 'CLOUDFRONT' | 'REGIONAL';

/** The Region every CLOUDFRONT-scope web ACL (and its metrics) lives in. */
export const CLOUDFRONT_WAF_REGION = 'us-east-1';

/** Metric names of the web ACL and of each rule, as CloudWatch shows them. */
export const WEB_ACL_RULES = {
  rateLimit: 'RateLimitPerIp',
  common: 'AWSManagedRulesCommonRuleSet',
  knownBadInputs: 'AWSManagedRulesKnownBadInputsRuleSet',
} as const;

export interface PatternWebAclProps {
  readonly scope: WebAclScope;
  /**
   * The web ACL's CloudWatch metric name (the `WebACL` dimension of its metrics). The ACL itself gets
   * a name CloudFormation generates: a literal name would make every replacement (a change of
   * scope, for one) clash with the ACL it replaces.
   */
  readonly name: string;
  /**
   * Requests per 5 minutes from one client IP before the rate rule blocks that IP (for as long as
   * its rate stays above the limit).
   */
  readonly rateLimit: number;
  /**
   * Log the requests the web ACL blocks (and counts) to a CloudWatch Logs group kept this long.
   * @default - no WAF logging
   */
  readonly logRetention?: logs.RetentionDays;
}

/** AWS WAF delivers only to a log group whose name starts with this (WAF Developer Guide, "Log group naming"). */
export const WAF_LOG_GROUP_PREFIX = 'aws-waf-logs-';

/**
 * A WAFv2 web ACL in front of the patterns: a rate-based rule per client IP, then the AWS managed
 * rule groups Common (OWASP-style generic protections) and KnownBadInputs (exploit patterns such as
 * Log4j lookups). Every rule publishes CloudWatch metrics and samples requests, so blocks can be
 * graphed (see `metric`) and inspected in the console.
 */
export class PatternWebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  readonly scope: WebAclScope;
  /** The metric name (see PatternWebAclProps.name). */
  readonly name: string;
  /** Where WAF logs what it blocked. @default - no WAF logging */
  readonly logGroup?: logs.LogGroup;
  /** That log group's name as a literal (usable from a stack in another Region). @default - no WAF logging */
  readonly logGroupName?: string;
  /** The Region of the web ACL, its metrics and its logs. */
  readonly region: string;

  constructor(scope: Construct, id: string, props: PatternWebAclProps) {
    super(scope, id);
    const { min, max } = WAF_RATE_LIMIT_RANGE;
    if (!Token.isUnresolved(props.rateLimit) && (!Number.isInteger(props.rateLimit) || props.rateLimit < min || props.rateLimit > max)) {
      throw new PatternConstructError(this, `rateLimit must be an integer from ${min} to ${max}, got ${props.rateLimit}`);
    }
    this.scope = props.scope;
    this.name = props.name;
    this.region = props.scope === 'CLOUDFRONT' ? CLOUDFRONT_WAF_REGION : Stack.of(this).region;
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    const managed = (name: string, priority: number): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      overrideAction: { none: {} },
      visibilityConfig: visibility(name),
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      scope: props.scope,
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      rules: [
        {
          name: WEB_ACL_RULES.rateLimit,
          priority: 0,
          statement: { rateBasedStatement: { limit: props.rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          action: { block: {} },
          visibilityConfig: visibility(WEB_ACL_RULES.rateLimit),
        },
        managed(WEB_ACL_RULES.common, 1),
        managed(WEB_ACL_RULES.knownBadInputs, 2),
      ],
    });

    if (props.logRetention !== undefined) {
      // Same Region and account as the web ACL (WAF Developer Guide, "Amazon CloudWatch Logs"): this
      // construct's stack, which for CLOUDFRONT scope is in us-east-1.
      this.logGroupName = `${WAF_LOG_GROUP_PREFIX}${props.name}`;
      this.logGroup = new logs.LogGroup(this, 'Logs', {
        logGroupName: this.logGroupName,
        retention: props.logRetention,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      new wafv2.CfnLoggingConfiguration(this, 'Logging', {
        resourceArn: this.webAcl.attrArn,
        logDestinationConfigs: [plainLogGroupArn(this.logGroup)],
        // Who was blocked, by which rule: blocked and counted requests only, not every allowed one.
        loggingFilter: {
          DefaultBehavior: 'DROP',
          Filters: [
            { Behavior: 'KEEP', Requirement: 'MEETS_ANY', Conditions: [{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }] },
          ],
        },
      });
    }
  }

  get arn(): string {
    return this.webAcl.attrArn;
  }

  /**
   * A WAF metric (`AllowedRequests`, `BlockedRequests`, ...) of the whole ACL or of one rule. A
   * CLOUDFRONT-scope ACL reports in us-east-1 without a Region dimension.
   */
  metric(metricName: string, rule: string = 'ALL', props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/WAFV2',
      metricName,
      dimensionsMap: {
        WebACL: this.name,
        Rule: rule,
        ...(this.scope === 'REGIONAL' ? { Region: this.webAcl.stack.region } : {}),
      },
      statistic: 'Sum',
      ...(this.scope === 'CLOUDFRONT' ? { region: CLOUDFRONT_WAF_REGION } : {}),
      ...props,
    });
  }
}
