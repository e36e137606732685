import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env-names';
import { PatternFunction } from '../function/pattern-function';

export interface FailoverOperationsFunctionProps {
  readonly primary: rds.IDatabaseInstance;
  readonly replicas: readonly rds.IDatabaseInstance[];
}

/**
 * The failover runbook as a function: describe the topology, promote a read replica, reboot the
 * primary with failover to its Multi-AZ standby. Invoked directly by an operator (no URL, no ALB
 * route). It may describe the pattern's instances, promote only the replicas and reboot only the
 * primary. (The runbook's logic is the core class `FailoverOperations` in
 * lambdas/core/failover-operations.ts; this construct only deploys it.)
 */
export class FailoverOperationsFunction extends Construct {
  readonly function: lambda.IFunction;

  constructor(scope: Construct, id: string, props: FailoverOperationsFunctionProps) {
    super(scope, id);
    const fn = new PatternFunction(this, 'Function', {
      handlerFile: 'failover-operations-handler',
      description: 'Operations only: describe, promote a read replica, reboot the primary with failover',
      timeout: Duration.seconds(30),
      environment: {
        [ENV.rdsPrimaryInstanceId]: props.primary.instanceIdentifier,
        [ENV.rdsReplicaInstanceIds]: props.replicas.map((replica) => replica.instanceIdentifier).join(','),
      },
    });
    // aws-cdk-lib's RDS instances offer grantConnect (IAM database authentication) only: no grant
    // covers describing, promoting or rebooting an instance, so these are iam.Grant's generic grants,
    // each on exactly the instances its action may touch.
    const grant = (actions: string[], instances: readonly rds.IDatabaseInstance[]) =>
      iam.Grant.addToPrincipal({ grantee: fn, actions, resourceArns: instances.map((instance) => instance.instanceArn) });
    grant(['rds:DescribeDBInstances'], [props.primary, ...props.replicas]);
    grant(['rds:RebootDBInstance'], [props.primary]);
    if (props.replicas.length > 0) grant(['rds:PromoteReadReplica'], props.replicas);
    this.function = fn;
  }
}
