import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as triggers from 'aws-cdk-lib/triggers';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env-names';
import { PatternFunction } from '../function/pattern-function';

export interface ConcurrencyPreflightProps {
  /** The functions that reserve concurrency: the check runs before any of them is created or updated. */
  readonly functions: readonly lambda.IFunction[];
  /** Reserved concurrency of each (the `lambdaConcurrency` context key). */
  readonly perFunction: number;
}

/**
 * A deploy-time check that the account's Lambda quota can hold the reservation: a CDK trigger runs
 * `concurrency-preflight-handler` before the functions, and its error (naming `lambdaConcurrency`
 * and what to do) fails the deploy. New accounts start with a reduced quota on which any
 * reservation fails; without this check the user would see only Lambda's own error on the first
 * function. It runs again whenever the plan changes (its environment is part of the handler).
 */
export class ConcurrencyPreflight extends Construct {
  readonly function: lambda.Function;
  readonly trigger: triggers.Trigger;

  constructor(scope: Construct, id: string, props: ConcurrencyPreflightProps) {
    super(scope, id);
    this.function = new PatternFunction(this, 'Function', {
      handlerFile: 'concurrency-preflight-handler',
      description: 'Deploy time only: checks that the Lambda quota can hold the reserved concurrency (lambdaConcurrency)',
      environment: { [ENV.reservedPerFunction]: String(props.perFunction), [ENV.reservedFunctions]: String(props.functions.length) },
    });
    // lambda:GetAccountSettings supports no resource-level permission, and no construct grants it.
    iam.Grant.addToPrincipal({ grantee: this.function, actions: ['lambda:GetAccountSettings'], resourceArns: ['*'] });
    this.trigger = new triggers.Trigger(this, 'Check', {
      handler: this.function,
      executeBefore: [...props.functions],
      executeOnHandlerChange: true,
      timeout: Duration.minutes(1),
    });
  }
}
