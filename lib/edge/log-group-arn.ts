import { ArnFormat, Stack } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';

/**
 * The log group's ARN without the `:*` suffix that `logGroupArn` carries: the form AWS WAF logging
 * and CloudWatch Logs delivery destinations take.
 */
export function plainLogGroupArn(logGroup: logs.ILogGroup): string {
  return Stack.of(logGroup).formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}
