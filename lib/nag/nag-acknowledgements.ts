import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { PatternStacks } from '../pattern-stacks';
import { allStacks, cdkProviders } from './guard-acknowledgements';
import { cloudFrontLoggingReason } from './edge-logging-reason';

/**
 * cdk-nag findings on CDK's own singleton custom-resource providers that the in-app run cannot see:
 * `CustomResourceProvider` (S3 auto-delete, default-security-group restriction) builds its role as a
 * raw `CfnResource`, which the rules do not inspect (the AwsCustomResource entry is seen in-app too,
 * but acknowledgements do not travel with a synthesized template). `test/infra/nag.test.ts` runs cdk-nag over the
 * synthesized templates (where every resource is an L1) and checks that each such finding is listed
 * here, by rule and logical-id prefix.
 */
export const CDK_PROVIDER_NAG_ACKNOWLEDGEMENTS: ReadonlyArray<{ readonly rule: string; readonly logicalIdPrefix: string; readonly reason: string }> = [
  {
    rule: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    logicalIdPrefix: 'CustomS3AutoDeleteObjectsCustomResourceProviderRole',
    reason: "CDK's S3 auto-delete handler (access-log bucket, removed on destroy): the AWS-managed policy grants only writing its own logs.",
  },
  {
    rule: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    logicalIdPrefix: 'CustomVpcRestrictDefaultSGCustomResourceProviderRole',
    reason: "CDK's handler that strips the VPC default security group's rules: the AWS-managed policy grants only writing its own logs.",
  },
  {
    rule: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    logicalIdPrefix: 'AWS679f53fac002430cb0da5b7982bd2287ServiceRole',
    reason: "CDK's AwsCustomResource handler (VPC-origin security group lookup; also acknowledged in-app): the AWS-managed policy grants only writing its own logs.",
  },
];

function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * cdk-nag (AwsSolutions) findings acknowledged rather than fixed, each with the reason it does not
 * apply here. Everything else is fixed in the constructs; `test/infra/nag.test.ts` proves that no
 * unacknowledged finding remains.
 */
export function acknowledgeNagFindings(stacks: PatternStacks): void {
  const { data, stateless } = stacks;
  const { database, cache } = data;

  if (stateless.entry.edge === undefined) {
    acknowledge(
      stateless.ingress.loadBalancer,
      'AwsSolutions-EC23',
      'edge=none: the internet-facing ALB is the one public address clients know. Only the listener port is open.',
    );
  }
  const edge = stateless.entry.edge;
  if (edge !== undefined) {
    acknowledge(edge.distribution, 'AwsSolutions-CFR1', 'A public demo for any country: no geo restriction.');
    acknowledge(edge.distribution, 'AwsSolutions-CFR3', cloudFrontLoggingReason(stacks));
    acknowledge(edge.distribution, 'AwsSolutions-CFR4', 'With the default *.cloudfront.net certificate (no domain needed, by design) CloudFront fixes the viewer TLS policy.');
    if (stateless.entry.webAcl === undefined) {
      acknowledge(
        edge.distribution,
        'AwsSolutions-CFR2',
        'waf=false is the operator\'s explicit choice (a web ACL costs a monthly fee per ACL and rule plus a fee per request), and synth warns that nothing then rate-limits or filters requests; the default waf=true attaches one.',
      );
    }
    acknowledge(edge, 'AwsSolutions-IAM5[Resource::*]', 'ec2:DescribeSecurityGroups (finding the VPC-origin security group) supports no resource-level permission.');
  }
  for (const stack of allStacks(stacks)) {
    for (const provider of cdkProviders(stack)) {
      acknowledge(
        provider,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        "CDK's own custom-resource handler: the AWS-managed policy grants only writing its own logs.",
      );
      acknowledge(provider, 'AwsSolutions-L1', "CDK's own custom-resource handler: CDK pins its runtime.");
    }
  }
  acknowledge(
    stateless.ingress.accessLogs,
    'AwsSolutions-S1',
    'This bucket receives the ALB access logs; logging its own access to another bucket adds cost without audit value here.',
  );
  acknowledge(
    stateless.fargateTier,
    'AwsSolutions-ECS2',
    'The environment holds only endpoints, modes and secret ARNs; secret values are read from Secrets Manager at run time.',
  );
  acknowledge(
    stateless.fargateTier,
    'AwsSolutions-IAM5[Resource::*]',
    'The task execution role needs ecr:GetAuthorizationToken, which supports no resource-level permission.',
  );
  // VPC functions: the network-interface actions Lambda documents on * (VPC_NETWORK_INTERFACE_ACTIONS).
  const eniReason =
    'Only the network-interface actions Lambda needs to attach a VPC function (ec2:Create/Describe/DeleteNetworkInterface, DescribeSubnets, Assign/UnassignPrivateIpAddresses); Lambda documents them on *, and DescribeNetworkInterfaces works only on *. Logs stay scoped to the function\'s own log group.';
  for (const fn of stateless.lambdaTier.functions.values()) acknowledge(fn.node.scope as IConstruct, 'AwsSolutions-IAM5[Resource::*]', eniReason);
  const preflight = stateless.lambdaTier.concurrencyPreflight;
  if (preflight !== undefined) {
    acknowledge(preflight, 'AwsSolutions-IAM5[Resource::*]', 'lambda:GetAccountSettings (reading the concurrency quota before the deploy reserves it) supports no resource-level permission.');
  }
  acknowledge(data.appRole.node.findChild('Migration'), 'AwsSolutions-IAM5[Resource::*]', eniReason);

  acknowledge(
    database,
    'AwsSolutions-RDS10',
    'A teaching stack must be removable by cdk destroy; what happens to the data is chosen with the removalPolicy context key.',
  );
  acknowledge(
    database,
    'AwsSolutions-RDS11',
    'Access is limited by security group to the compute tiers, with TLS and password authentication; a non-default port would be obscurity, not a control.',
  );
  for (const replica of database.replicas) {
    acknowledge(
      replica,
      'AwsSolutions-RDS2',
      'A read replica inherits storage encryption from its encrypted source; CloudFormation rejects StorageEncrypted on a replica.',
    );
    acknowledge(
      replica,
      'AwsSolutions-RDS3',
      'Read replicas are the asynchronous-replication pattern; each is a disposable copy, a Multi-AZ standby per replica would double cost for nothing the pattern shows.',
    );
  }
  if (database.replication === 'async') {
    acknowledge(
      database.primary,
      'AwsSolutions-RDS3',
      'dbReplication=async demonstrates asynchronous replication only; -c dbReplication=sync adds the Multi-AZ synchronous standby.',
    );
  }
  if (cache.replicationGroup.multiAzEnabled !== true) {
    acknowledge(
      cache.replicationGroup,
      'AwsSolutions-AEC4',
      'cacheReplicas=0 asks for a single cache node, and Multi-AZ needs a replica to fail over to; the default cacheReplicas=1 turns Multi-AZ with automatic failover on.',
    );
  }
  acknowledge(
    cache.authSecret,
    'AwsSolutions-SMG4',
    'Rotating an ElastiCache AUTH token needs a ModifyReplicationGroup ROTATE/SET sequence that Secrets Manager rotation does not perform.',
  );
  acknowledge(
    data.sessionSigningKey,
    'AwsSolutions-SMG4',
    'Rotating the cookie-signing key invalidates every client-side session at once; rotate deliberately, not on a schedule.',
  );
}
