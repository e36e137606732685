import { CfnOutput, CrossStackReferences, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env-names';
import { PatternFunction } from '../function/pattern-function';
import type { GlobalConsistency } from '../../lambdas/config/vocabulary';

export interface RegionalStackProps extends StackProps {
  /** This Region's replica of the global table (`globalTable.replica(region)`). */
  readonly table: dynamodb.ITableV2;
  readonly consistency: GlobalConsistency;
  /** @default 256 */
  readonly memorySize?: number;
}

/** The writer's function: its construct id and handler (the local harness runs the same bundle). */
export const MULTI_MASTER_FUNCTION = { id: 'MultiMaster', handlerFile: 'multi-master-handler' } as const;

/**
 * One Region of the multi-master pattern: a Lambda that reads and writes only its own Region's
 * replica of the global table, reached through a Function URL that requires IAM (SigV4) auth.
 */
export class RegionalStack extends Stack {
  readonly functionUrl: lambda.FunctionUrl;
  readonly handler: lambda.IFunction;

  constructor(scope: Construct, id: string, props: RegionalStackProps) {
    super(scope, id, props);
    if (props.crossRegionReferences === true) {
      // A writer outside the table's Region reads it by a weak reference (Fn::GetStackOutput):
      // exports do not cross Regions. In the table's Region the reference stays strong (an export).
      CrossStackReferences.of(this).consume(ReferenceStrength.WEAK);
    }
    // No reserved concurrency here, unlike the pattern functions behind the ALB: the writer touches only
    // DynamoDB (on demand, no connection limit to protect), callers need IAM credentials, and a
    // reservation would take from the unreserved pool of every Region (a new account's total can be 10).
    const fn = new PatternFunction(this, MULTI_MASTER_FUNCTION.id, {
      handlerFile: MULTI_MASTER_FUNCTION.handlerFile,
      description: `Multi-master writer of ${this.region}: reads and writes this Region's replica`,
      memorySize: props.memorySize,
      environment: {
        [ENV.globalTableName]: props.table.tableName,
        [ENV.globalConsistency]: props.consistency,
      },
    });
    // The writer reads with Query and writes with a conditional PutItem; nothing else.
    props.table.grant(fn, 'dynamodb:Query', 'dynamodb:PutItem');
    this.handler = fn;
    this.functionUrl = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    new CfnOutput(this, 'MultiMasterUrl', {
      value: this.functionUrl.url,
      description: `Function URL (IAM auth) of the multi-master writer in ${this.region}`,
    });
  }
}
