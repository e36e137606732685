import { type Stack, Token, Validations } from 'aws-cdk-lib';
import { cloudFrontLoggingReason } from './edge-logging-reason';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import type { MultiMasterStacks, PatternStacks } from '../pattern-stacks';

/** Name of the cfn-guard validation plugin: the namespace of its rule ids in acknowledgements. */
export const CFN_GUARD_PLUGIN = 'cdk-validator-cfnguard';

function acknowledge(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `${CFN_GUARD_PLUGIN}::${rule}`, reason });
}

/**
 * CDK's own singleton providers in a stack (custom-resource handlers such as S3 auto-delete, the
 * default-security-group restriction, AwsCustomResource, cross-Region export readers/writers, the
 * triggers provider): their construct ids start with `Custom::` or `AWSCDK.`, or are the fixed
 * `AWS<uuid>` of AwsCustomResource.
 */
export function cdkProviders(stack: Stack): IConstruct[] {
  return stack.node.children.filter(
    (child) => child.node.id.startsWith('Custom::') || child.node.id.startsWith('AWSCDK.') || /^AWS[0-9a-f]{32}$/.test(child.node.id),
  );
}

/** Every stack of the full app, the optional us-east-1 edge stacks included. */
export function allStacks(stacks: PatternStacks): Stack[] {
  return [stacks.network, stacks.data, stacks.globalTable, ...stacks.regional, stacks.stateless, ...[stacks.edgeWaf, stacks.edgeLogs].filter((s): s is NonNullable<typeof s> => s !== undefined)];
}

/** Findings of every stack, whatever the profile: log-group retention and keys, CDK's own providers. */
function acknowledgeStackGuardFindings(all: readonly Stack[]): void {
  for (const stack of all) {
    for (const construct of stack.node.findAll()) {
      if (construct instanceof logs.CfnLogGroup) {
        acknowledge(construct, 'cloudwatch_log_group_retention_period_check', 'A teaching stack keeps its logs for days to weeks (flow logs, functions, containers): a year of retention is cost without a reader.');
        acknowledge(construct, 'cloudwatch_log_group_encrypted_check', 'CloudWatch Logs encrypts every log group at rest with service keys; a customer key per group adds cost and key policy for no control this demo needs.');
      }
    }
    for (const provider of cdkProviders(stack)) {
      acknowledge(provider, 'lambda_inside_vpc_check', "CDK's own custom-resource handler calls AWS APIs only (no VPC resource); in a VPC it would need a NAT or endpoints to reach them.");
    }
  }
}

function acknowledgeWriterGuardFindings(regional: readonly Stack[]): void {
  for (const stack of regional) {
    acknowledge(stack.node.findChild('MultiMaster'), 'lambda_inside_vpc_check', 'The regional writer uses only DynamoDB through its IAM-authenticated Function URL; it has no VPC resource to reach.');
  }
}

/**
 * The cfn-guard acknowledgements of the `localstack` profile (the global table and the regional
 * writers): the same reasons as in the full app, for the resources this profile has.
 */
export function acknowledgeMultiMasterGuardFindings(stacks: MultiMasterStacks): void {
  acknowledgeStackGuardFindings([stacks.globalTable, ...stacks.regional]);
  acknowledgeWriterGuardFindings(stacks.regional);
}

/**
 * cfn-guard (AWS Control Tower proactive controls) findings acknowledged rather than fixed, each by
 * rule and resource with the reason it does not apply to a teaching stack. The real ones are fixed in
 * the constructs (invoke permissions scoped to their target group, non-root container with a memory
 * limit, 7-day backups, PostgreSQL and upgrade logs exported, HTTP redirected when the ALB has a
 * certificate). `test/infra/guard.test.ts` proves that nothing else remains.
 */
export function acknowledgeGuardFindings(stacks: PatternStacks): void {
  const { network, data, stateless } = stacks;
  acknowledgeStackGuardFindings(allStacks(stacks));
  acknowledgeWriterGuardFindings(stacks.regional);

  for (const subnet of network.vpc.publicSubnets) {
    acknowledge(subnet, 'subnet_auto_assign_public_ip_disabled_check', 'Public subnets hold the NAT gateway (and the ALB with edge=none); nothing that could get a public IP by accident is launched there.');
  }

  acknowledge(data.appRole.migration, 'lambda_inside_vpc_check', 'The migration function is in the VPC: its subnets come from the network stack by cross-stack reference (Fn::ImportValue), which the rule cannot follow.');
  if (stateless.alarms.topic === undefined) {
    for (const alarm of stateless.alarms.alarms) {
      acknowledge(alarm, 'cloudwatch_alarm_action_check', 'Alarms show on the Alarms dashboard without an action by default (no address to page is known at synth); -c alarmEmail=<address> adds an SNS topic as the action of every alarm, and the rule then passes.');
    }
  }
  acknowledge(stateless.failoverOperations, 'lambda_inside_vpc_check', 'The failover function calls the RDS control-plane API only (promote/describe); it never connects to the database.');
  if (stateless.lambdaTier.concurrencyPreflight !== undefined) {
    acknowledge(stateless.lambdaTier.concurrencyPreflight.function, 'lambda_inside_vpc_check', 'The deploy-time concurrency check calls the Lambda API only (GetAccountSettings); it reaches no VPC resource.');
  }
  for (const fn of stateless.lambdaTier.functions.values()) {
    if (fn instanceof lambda.Function) {
      acknowledge(fn, 'lambda_inside_vpc_check', 'The function is in the VPC: its subnets come from the network stack by cross-stack reference (Fn::ImportValue), which the rule cannot follow.');
    }
  }

  for (const construct of stateless.node.findAll()) {
    if (construct instanceof lambda.CfnPermission && construct.sourceArn !== undefined && Token.isUnresolved(construct.sourceArn)) {
      acknowledge(
        construct,
        'lambda_function_public_access_prohibited_check',
        'SourceArn is set (targetgroup/<name>/* of this stack); in an account-agnostic synth it holds the AWS::AccountId pseudo-parameter, and the rule accepts only literal strings or local references. With -c account=<id> it is literal and passes unacknowledged.',
      );
    }
  }

  const { ingress } = stateless;
  acknowledge(ingress.loadBalancer, 'elbv2_deletion_protection_enabled_check', 'A teaching stack must be removable by cdk destroy; the load balancer holds no state.');
  if (!ingress.secure) {
    acknowledge(
      ingress.listener,
      'alb_http_to_https_redirection_check',
      stateless.entry.edge === undefined
        ? 'edge=none without certificateArn: there is no HTTPS listener to redirect to (synth warns); give certificateArn or use edge=cloudfront.'
        : 'The ALB is internal, reached only by CloudFront through the VPC origin; viewers get HTTPS at CloudFront, which redirects HTTP.',
    );
  }
  const accessLogs = ingress.accessLogs;
  acknowledge(accessLogs, 's3_bucket_default_encryption_kms_check', 'ALB access-log delivery supports only SSE-S3 (Amazon S3-managed keys), not SSE-KMS.');
  acknowledge(accessLogs, 's3_bucket_logging_enabled_check', 'This bucket receives the ALB access logs; logging its own access to another bucket adds cost without audit value here.');
  acknowledge(accessLogs, 's3_bucket_object_lock_enabled_check', 'Access logs of a demo expire after 30 days and the bucket is emptied on destroy; Object Lock would block both.');
  acknowledge(accessLogs, 's3_bucket_versioning_enabled_check', 'Log objects are written once by the load balancer and expire after 30 days; versions would only keep deleted logs longer.');
  acknowledge(accessLogs, 's3_event_notifications_enabled_check', 'Nothing consumes new access-log objects; they are read on demand (Athena, download).');

  const distribution = stateless.entry.edge?.distribution;
  if (distribution !== undefined) {
    acknowledge(distribution, 'cloudfront_access_logs_enabled_check', cloudFrontLoggingReason(stacks));
    acknowledge(distribution, 'cloudfront_custom_ssl_certificate_check', 'By design no domain is needed: the default *.cloudfront.net certificate serves HTTPS.');
    acknowledge(distribution, 'cloudfront_sni_enabled_check', 'SNI applies to a custom certificate; the default *.cloudfront.net certificate is used (no domain needed).');
    acknowledge(distribution, 'cloudfront_security_policy_check', 'With the default *.cloudfront.net certificate CloudFront fixes the viewer security policy; a custom domain certificate would allow TLSv1.2_2021.');
    acknowledge(distribution, 'cloudfront_default_root_object_configured_check', 'The origin is a dynamic app that serves / itself (the console page), not an S3 bucket.');
    acknowledge(distribution, 'cloudfront_origin_failover_enabled_check', 'One origin: the ALB is already spread over two Availability Zones; a second origin would be a second copy of the stack.');
  }

  const primary = data.database.primary;
  acknowledge(primary, 'rds_instance_deletion_protection_enabled_check', 'A teaching stack must be removable by cdk destroy; what happens to the data is chosen with the removalPolicy context key.');
  acknowledge(primary, 'rds_instance_enhanced_monitoring_enabled_check', 'CloudWatch RDS metrics (CPU, replica lag, IOPS) are on the dashboards; OS-level enhanced monitoring adds a role and cost a demo does not need.');
  acknowledge(primary, 'rds_instance_iam_authentication_enabled_check', 'The runtime authenticates with Secrets Manager credentials over TLS (rds.force_ssl); IAM tokens would add a token refresh path to every pool.');
  acknowledge(primary, 'rds_instance_no_default_ports_check', 'Access is limited by security group to the compute tiers, with TLS and passwords; a non-default port would be obscurity, not a control.');
  acknowledge(primary, 'rds_storage_encrypted_kms_key_check', 'Storage is encrypted with the AWS-managed RDS key; a customer key adds cost and key policy for no control this demo needs.');
  if (data.database.replication === 'async') {
    acknowledge(primary, 'rds_instance_multi_az_support_check', 'dbReplication=async demonstrates asynchronous replication only; -c dbReplication=sync adds the Multi-AZ synchronous standby.');
  }
}
