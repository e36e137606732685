import type { PatternStacks } from '../pattern-stacks';

/**
 * Why a distribution passes without the legacy `Logging` property that cdk-nag (CFR3) and cfn-guard
 * (cloudfront_access_logs_enabled_check) look for: with edge logs on, standard logging v2 delivers
 * the access logs to CloudWatch Logs, a separate resource (AWS::Logs::Delivery) those rules do not
 * read; with `edgeLogRetentionDays=0` the user turned them off.
 */
export function cloudFrontLoggingReason(stacks: PatternStacks): string {
  const delivered = stacks.stateless.entry.accessLogs !== undefined || stacks.edgeLogs !== undefined;
  return delivered
    ? 'Access logs are on: CloudFront standard logging (v2) delivers them to a CloudWatch Logs group in us-east-1 (AWS::Logs::DeliverySource/Delivery); the rule reads only the legacy S3 Logging property.'
    : 'edgeLogRetentionDays=0: the user turned the edge logs off to save their ingestion cost; request counts and error rates stay on the Edge dashboard.';
}
