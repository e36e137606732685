import { reservationShortfall, unreservedMinimum } from '../../lambdas/core/concurrency-quota';
import { handler } from '../../lambdas/handlers/concurrency-preflight-handler';

const PLAN = { perFunction: 10, functions: 6, region: 'us-east-1' };

describe('reservationShortfall', () => {
  it('lets the default reservation (10 x 6) through on the default quota of 1000', () => {
    expect(reservationShortfall({ concurrentExecutions: 1000 }, PLAN)).toBeUndefined();
  });

  it('keeps 100 unreserved, or the whole quota when it is 100 or less', () => {
    expect([unreservedMinimum(1000), unreservedMinimum(160), unreservedMinimum(100), unreservedMinimum(10)]).toEqual([100, 100, 100, 10]);
    expect(reservationShortfall({ concurrentExecutions: 160 }, PLAN)).toBeUndefined();
    expect(reservationShortfall({ concurrentExecutions: 159 }, PLAN)).toBeDefined();
  });

  it('stops a new account with the reduced quota, naming lambdaConcurrency and what to do', () => {
    expect(reservationShortfall({ concurrentExecutions: 10 }, PLAN)).toBe(
      'lambdaConcurrency=10 reserves 60 concurrent executions (10 x 6 functions), but this account\'s Lambda quota in us-east-1 is 10 concurrent executions, of which Lambda keeps 10 unreserved: at most 0 can be reserved. Deploy with -c lambdaConcurrency=0 (0 = no reservation), or ask for a higher "Concurrent executions" quota (Service Quotas, AWS Lambda) and deploy again.',
    );
  });

  it('suggests the largest reservation that fits', () => {
    expect(reservationShortfall({ concurrentExecutions: 130 }, PLAN)).toContain('at most 30 can be reserved. Deploy with -c lambdaConcurrency=5 ');
  });
});

describe('concurrency-preflight-handler', () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });

  it('fails the deploy with the shortfall message read from GetAccountSettings, and passes when it fits', async () => {
    // Prepare
    process.env.RESERVED_PER_FUNCTION = '10';
    process.env.RESERVED_FUNCTIONS = '6';
    process.env.AWS_REGION = 'eu-west-1';
    const account = (quota: number) => ({ send: async () => ({ AccountLimit: { ConcurrentExecutions: quota } }) }) as never;

    // Act / Assess
    await expect(handler(undefined, undefined, account(50))).rejects.toThrow(/^lambdaConcurrency=10 reserves 60 .* in eu-west-1 is 50 /);
    await expect(handler(undefined, undefined, account(1000))).resolves.toEqual({ reservable: true });
  });
});
