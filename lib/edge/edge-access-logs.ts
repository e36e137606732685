import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PatternConstructError } from '../construct-error';
import { plainLogGroupArn } from './log-group-arn';
import { CLOUDFRONT_WAF_REGION } from './pattern-web-acl';

export interface EdgeAccessLogsProps {
  /** ARN of the CloudFront distribution whose access logs are delivered. */
  readonly distributionArn: string;
  /** Prefix of the delivery names, e.g. the stateless stack's name. */
  readonly namePrefix: string;
  /** How long the access logs are kept. */
  readonly retention: logs.RetentionDays;
}

/**
 * CloudFront standard logging (v2): the distribution's access logs delivered to a CloudWatch Logs
 * group through CloudWatch vended logs (a delivery source for the distribution, a delivery
 * destination for the group, and the delivery between them). CloudFront's delivery source exists
 * only in us-east-1, and a CloudWatch Logs destination is in the delivery's Region (only Amazon S3
 * destinations may be elsewhere, CloudFront Developer Guide, "Configure standard logging (v2)"), so
 * this construct refuses any other Region.
 */
export class EdgeAccessLogs extends Construct {
  readonly logGroup: logs.LogGroup;
  readonly deliverySource: logs.CfnDeliverySource;

  constructor(scope: Construct, id: string, props: EdgeAccessLogsProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region !== CLOUDFRONT_WAF_REGION) {
      throw new PatternConstructError(this, `CloudFront access logs to CloudWatch Logs are delivered in ${CLOUDFRONT_WAF_REGION}, this stack is in ${region}`);
    }
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.retention, removalPolicy: RemovalPolicy.DESTROY });
    const sourceName = `${props.namePrefix}-cloudfront`;
    this.deliverySource = new logs.CfnDeliverySource(this, 'Source', {
      name: sourceName,
      resourceArn: props.distributionArn,
      logType: 'ACCESS_LOGS',
    });
    const destination = new logs.CfnDeliveryDestination(this, 'Destination', {
      name: `${props.namePrefix}-cloudfront-logs`,
      destinationResourceArn: plainLogGroupArn(this.logGroup),
    });
    const delivery = new logs.CfnDelivery(this, 'Delivery', {
      deliverySourceName: sourceName,
      deliveryDestinationArn: destination.attrArn,
    });
    delivery.addResourceDependency(this.deliverySource);
  }
}
