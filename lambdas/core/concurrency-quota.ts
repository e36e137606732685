/**
 * Whether the Lambda tier's reserved concurrency fits the account's Regional quota. Lambda keeps part
 * of the quota unreserved: 100 on an account with the default quota ("you can reserve up to the
 * Unreserved account concurrency value minus 100", Lambda Developer Guide, "Configuring reserved
 * concurrency"); new accounts start with a reduced quota (Lambda quotas page), where the unreserved
 * minimum is the whole quota when it is 100 or less, so nothing can be reserved at all. Checked
 * against the quota only: reservations of other functions in the account are not counted.
 */

/** The account-level figures of Lambda's GetAccountSettings. */
export interface AccountConcurrency {
  /** `AccountLimit.ConcurrentExecutions`: the Regional quota. */
  readonly concurrentExecutions: number;
}

export interface ReservationPlan {
  /** The context key's value: reserved concurrency of each function. */
  readonly perFunction: number;
  /** How many functions reserve it. */
  readonly functions: number;
  readonly region: string;
}

/** What Lambda keeps unreserved for a quota (100, or the whole quota below that). */
export function unreservedMinimum(quota: number): number {
  return Math.min(100, quota);
}

/**
 * The message that stops the deploy, naming `lambdaConcurrency`, or undefined when the plan fits.
 *
 * @example
 * reservationShortfall({ concurrentExecutions: 10 }, { perFunction: 10, functions: 6, region: 'us-east-1' });
 * // 'lambdaConcurrency=10 reserves 60 concurrent executions (10 x 6 functions), but ...'
 */
export function reservationShortfall(account: AccountConcurrency, plan: ReservationPlan): string | undefined {
  const total = plan.perFunction * plan.functions;
  const reservable = Math.max(0, account.concurrentExecutions - unreservedMinimum(account.concurrentExecutions));
  if (total <= reservable) return undefined;
  return (
    `lambdaConcurrency=${plan.perFunction} reserves ${total} concurrent executions (${plan.perFunction} x ${plan.functions} functions), ` +
    `but this account's Lambda quota in ${plan.region} is ${account.concurrentExecutions} concurrent executions, of which Lambda keeps ` +
    `${unreservedMinimum(account.concurrentExecutions)} unreserved: at most ${reservable} can be reserved. ` +
    `Deploy with -c lambdaConcurrency=${Math.floor(reservable / plan.functions)} (0 = no reservation), or ask for a higher ` +
    `"Concurrent executions" quota (Service Quotas, AWS Lambda) and deploy again.`
  );
}
