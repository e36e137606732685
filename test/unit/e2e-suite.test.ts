import { CAPABILITIES, capabilityReport } from '../../e2e/capabilities';
import { CheckFailed, type E2eCheck, perTier } from '../../e2e/check';
import { ALL_CHECKS } from '../../e2e/checks';
import { type CheckResult, exitCodeFor, formatSummary, runChecks } from '../../e2e/suite';
import type { E2eTarget } from '../../e2e/targets/target';

/** A target with every endpoint faked: the runner never calls them, the checks below do not either. */
function fakeTarget(missing: Parameters<typeof capabilityReport>[0] = {}, checkTimeoutMs = 1000): E2eTarget {
  return {
    name: 'lab',
    description: 'fake',
    capabilities: capabilityReport(missing),
    tiers: { fargate: { tier: 'fargate', baseUrl: 'http://127.0.0.1:1', pathPrefix: '', expectedTierLabel: 'local' } },
    regions: [],
    loadBalancerCookie: /^SERVERID$/,
    stickinessMode: 'lb',
    setSticky: async () => undefined,
    regionalClient: () => {
      throw new Error('no regions');
    },
    replicationTimeoutMs: 1000,
    requestTimeoutMs: 1000,
    checkTimeoutMs,
    close: async () => undefined,
  };
}

function check(id: string, run: E2eCheck['run'], needs: E2eCheck['needs'] = []): E2eCheck & { calls: number } {
  const wrapped = {
    id,
    title: id,
    needs,
    calls: 0,
    run: (ctx: Parameters<E2eCheck['run']>[0]) => {
      wrapped.calls += 1;
      return run(ctx);
    },
  };
  return wrapped;
}

const result = (outcome: CheckResult['outcome']): CheckResult => ({ id: outcome, title: outcome, target: 'lab', outcome, ms: 1, reason: '' });

describe('runChecks', () => {
  it('skips a check whose capability the target lacks, with the reason, without running it', async () => {
    // Prepare
    const needsDatabase = check('needs-db', async () => 'ran', ['fargate', 'database']);

    // Act
    const [outcome] = await runChecks(fakeTarget({ database: 'not deployed by profile=localstack' }), [needsDatabase]);

    // Assess
    expect(outcome).toMatchObject({ id: 'needs-db', outcome: 'skipped', reason: 'database: not deployed by profile=localstack' });
    expect(needsDatabase.calls).toBe(0);
  });

  it('records a pass with what the check saw, a failure with its message, and a skip decided at run time', async () => {
    // Prepare
    const checks = [
      check('passes', async () => 'saw 3 instances'),
      check('fails', async () => {
        throw new CheckFailed('expected HTTP 200, got 503');
      }),
      check('skips', async (ctx) => ctx.skip('sessionStore=memory')),
    ];
    const seen: string[] = [];

    // Act
    const results = await runChecks(fakeTarget(), checks, { onResult: (r) => seen.push(r.id) });

    // Assess
    expect(results.map(({ id, outcome, reason, target }) => ({ id, outcome, reason, target }))).toEqual([
      { id: 'passes', outcome: 'passed', reason: 'saw 3 instances', target: 'lab' },
      { id: 'fails', outcome: 'failed', reason: 'expected HTTP 200, got 503', target: 'lab' },
      { id: 'skips', outcome: 'skipped', reason: 'sessionStore=memory', target: 'lab' },
    ]);
    expect(seen).toEqual(['passes', 'fails', 'skips']);
  });

  it('fails a check that hangs once the target timeout has passed, and goes on', async () => {
    // Prepare
    const hangs = check('hangs', () => new Promise<string>(() => undefined));
    const next = check('next', async () => 'ok');

    // Act
    const results = await runChecks(fakeTarget({}, 50), [hangs, next]);

    // Assess
    expect(results.map((r) => [r.id, r.outcome, r.reason])).toEqual([
      ['hangs', 'failed', 'timed out after 50 ms'],
      ['next', 'passed', 'ok'],
    ]);
  });
});

describe('exitCodeFor', () => {
  it.each([
    [['passed', 'skipped'], 0],
    [['passed', 'failed', 'skipped'], 1],
    [['skipped', 'skipped'], 1],
    [[], 1],
  ] as const)('%j gives exit code %i: skips never count as passes', (outcomes, code) => {
    expect(exitCodeFor(outcomes.map(result))).toBe(code);
  });
});

describe('formatSummary', () => {
  it('prints check / target / result / ms / reason, aligned, with the totals', () => {
    // Prepare
    const results: CheckResult[] = [
      { id: 'reverse-proxy@fargate', title: '', target: 'aws', outcome: 'passed', ms: 812, reason: '8 answers' },
      { id: 'cache-aside@lambda', title: '', target: 'aws', outcome: 'skipped', ms: 0, reason: 'cache: not deployed' },
    ];

    // Act
    const table = formatSummary(results);

    // Assess
    expect(table.split('\n')).toEqual([
      'check                  target  result    ms  reason',
      '---------------------  ------  -------  ---  -------------------',
      'reverse-proxy@fargate  aws     PASSED   812  8 answers',
      'cache-aside@lambda     aws     SKIPPED    0  cache: not deployed',
      '',
      '2 checks: 1 passed, 1 skipped, 0 failed',
    ]);
  });

  it('shortens long reasons', () => {
    const [, , row] = formatSummary([{ ...result('failed'), reason: 'x'.repeat(50) }], 20).split('\n');
    expect(row.endsWith(`${'x'.repeat(17)}...`)).toBe(true);
  });
});

describe('the suite', () => {
  it('expands a per-tier check into one check per tier, each needing its tier', () => {
    const [fargate, lambda] = perTier({ id: 'cache-aside', title: 't', needs: ['cache'], run: async () => '' });
    expect([fargate.id, fargate.needs, lambda.id, lambda.needs]).toEqual([
      'cache-aside@fargate',
      ['fargate', 'cache'],
      'cache-aside@lambda',
      ['lambda-tier', 'cache'],
    ]);
  });

  it('has unique check ids and needs only known capabilities', () => {
    const ids = ALL_CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of ALL_CHECKS) expect(c.needs.filter((need) => !CAPABILITIES.includes(need))).toEqual([]);
  });

  it('covers every pattern the issue names, on both tiers where the pattern is behind the load balancer', () => {
    expect(ALL_CHECKS.map((c) => c.id)).toEqual([
      'reverse-proxy@fargate',
      'reverse-proxy@lambda',
      'stickiness-on@fargate',
      'stickiness-off@fargate',
      'sessions@fargate',
      'sessions@lambda',
      'cache-aside@fargate',
      'cache-aside@lambda',
      'read-replica@fargate',
      'read-replica@lambda',
      'replication-lag@fargate',
      'replication-lag@lambda',
      'counters@fargate',
      'counters@lambda',
      'multi-master-writes',
      'multi-master-replication',
      'multi-master-conflict',
    ]);
  });
});
