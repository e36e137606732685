import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { BUDGET_THRESHOLDS, COST_ALLOCATION_TAG } from '../../lib/observability/cost-budget';
import { synthPatterns } from '../support/synth-patterns';

describe('budget guard (budgetMonthlyUsd)', () => {
  const withBudget = synthPatterns({ alarmEmail: 'ops@example.com', budgetMonthlyUsd: '150' });
  const allStacks = (synth: typeof withBudget) => [synth.stacks.network, synth.stacks.data, synth.stacks.globalTable, ...synth.stacks.regional, synth.stacks.stateless];

  it('creates a monthly cost budget on the stacks\' cost allocation tag, emailing alarmEmail at the actual and forecast thresholds', () => {
    // Act
    const template = withBudget.template('stateless');

    // Assess
    template.resourceCountIs('AWS::Budgets::Budget', 1);
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: {
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: 150, Unit: 'USD' },
        FilterExpression: { Tags: { Key: 'Project', Values: ['scalability-patterns'], MatchOptions: ['EQUALS'] } },
      },
      NotificationsWithSubscribers: [
        ...BUDGET_THRESHOLDS.actualPercent.map((threshold) => ({ Notification: Match.objectLike({ NotificationType: 'ACTUAL', Threshold: threshold }), Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'ops@example.com' }] })),
        ...BUDGET_THRESHOLDS.forecastPercent.map((threshold) => ({ Notification: Match.objectLike({ NotificationType: 'FORECASTED', Threshold: threshold }), Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'ops@example.com' }] })),
      ],
    });
  });

  it('tags every stack with the cost allocation tag the budget counts', () => {
    for (const stack of allStacks(withBudget)) {
      expect([stack.stackName, stack.tags.tagValues()[COST_ALLOCATION_TAG.key]]).toEqual([stack.stackName, COST_ALLOCATION_TAG.value]);
    }
  });

  it('warns at synth when the limit is below the configuration\'s own idle estimate', () => {
    Annotations.fromStack(withBudget.stacks.stateless).hasWarning(
      '*',
      Match.stringLikeRegexp('budgetMonthlyUsd=150 is below this configuration\'s idle estimate \\(\\$176\\.07 a month, npm run cost\\): the budget will alert every month\\.'),
    );
  });

  it('creates no budget and tags nothing without budgetMonthlyUsd', () => {
    // Act
    const synth = synthPatterns();

    // Assess
    synth.template('stateless').resourceCountIs('AWS::Budgets::Budget', 0);
    for (const stack of allStacks(synth)) expect(stack.tags.tagValues()).toEqual({});
  });
});
