import { CrossStackReferences, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { EdgeAccessLogs } from './edge-access-logs';

export interface EdgeLogsStackProps extends StackProps {
  /** ARN of the distribution, from the stateless stack (a cross-Region stack reference). */
  readonly distributionArn: string;
  /** Prefix of the delivery names. */
  readonly namePrefix: string;
  readonly retention: logs.RetentionDays;
}

/**
 * CloudFront's access logs for a primary Region other than us-east-1: CloudFront delivers its
 * standard logs (v2) to CloudWatch Logs only from us-east-1, and the distribution must exist first,
 * so this small stack lives there and comes after the stateless stack (which comes after the web ACL
 * stack: one stack could not hold both).
 */
export class EdgeLogsStack extends Stack {
  readonly accessLogs: EdgeAccessLogs;

  constructor(scope: Construct, id: string, props: EdgeLogsStackProps) {
    super(scope, id, props);
    // Its one reference (the distribution's ARN) comes from the primary Region: a weak reference
    // (Fn::GetStackOutput), as every cross-Region reference of the app, needs no custom resource of
    // CDK's to carry it (exports do not cross Regions).
    CrossStackReferences.of(this).consume(ReferenceStrength.WEAK);
    this.accessLogs = new EdgeAccessLogs(this, 'AccessLogs', { distributionArn: props.distributionArn, namePrefix: props.namePrefix, retention: props.retention });
  }
}
