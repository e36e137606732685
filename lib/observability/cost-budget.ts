import * as budgets from 'aws-cdk-lib/aws-budgets';
import { Construct } from 'constructs';

/**
 * The user-defined cost allocation tag every stack carries when a budget is configured (as a stack
 * tag: CloudFormation applies it to each resource that supports tags). The budget counts only costs
 * with this tag, and only once the tag is activated in Billing (Cost allocation tags).
 */
export const COST_ALLOCATION_TAG = { key: 'Project', value: 'scalability-patterns' } as const;

/** Percentages of the limit that email the subscriber: actual spend at each, forecast at each. */
export const BUDGET_THRESHOLDS = {
  actualPercent: [80, 100],
  forecastPercent: [100],
} as const;

export interface CostBudgetProps {
  /** The monthly limit, US dollars. */
  readonly monthlyUsd: number;
  /** Address every notification is emailed to. */
  readonly email: string;
  /**
   * The cost allocation tag the budget is scoped to.
   * @default COST_ALLOCATION_TAG
   */
  readonly tag?: { readonly key: string; readonly value: string };
}

/**
 * An AWS Budgets cost budget on the stacks' cost allocation tag: a monthly limit, with an email when
 * the actual spend passes each of `BUDGET_THRESHOLDS.actualPercent` and when the month's forecast
 * passes `forecastPercent`. A guard, not a brake: Budgets notifies, it stops nothing, and its figures
 * lag the bill by up to a day.
 */
export class CostBudget extends Construct {
  readonly budget: budgets.CfnBudget;

  constructor(scope: Construct, id: string, props: CostBudgetProps) {
    super(scope, id);
    const tag = props.tag ?? COST_ALLOCATION_TAG;
    const notify = (notificationType: 'ACTUAL' | 'FORECASTED', threshold: number): budgets.CfnBudget.NotificationWithSubscribersProperty => ({
      notification: { notificationType, comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE' },
      subscribers: [{ subscriptionType: 'EMAIL', address: props.email }],
    });
    this.budget = new budgets.CfnBudget(this, 'Resource', {
      budget: {
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.monthlyUsd, unit: 'USD' },
        filterExpression: { tags: { key: tag.key, values: [tag.value], matchOptions: ['EQUALS'] } },
      },
      notificationsWithSubscribers: [
        ...BUDGET_THRESHOLDS.actualPercent.map((percent) => notify('ACTUAL', percent)),
        ...BUDGET_THRESHOLDS.forecastPercent.map((percent) => notify('FORECASTED', percent)),
      ],
    });
  }
}
