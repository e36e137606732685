import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { PatternStacks } from '../patterns-app';

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

  acknowledge(
    stateless.ingress.loadBalancer,
    'AwsSolutions-EC23',
    'The internet-facing ALB is the pattern itself: the one public address clients know. Only the listener port is open.',
  );
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
  acknowledge(
    stateless.lambdaTier,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
    'VPC functions need ec2:Create/Describe/DeleteNetworkInterface on *; this AWS-managed policy is exactly that minimal set.',
  );
  acknowledge(
    data.appRole,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
    'The migration step runs in the VPC to reach the primary directly; this AWS-managed policy is the minimal ENI set VPC functions need.',
  );

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
