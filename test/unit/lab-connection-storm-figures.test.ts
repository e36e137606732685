import {
  failureKind, judgeConnectionStorm, MIN_DIRECT_FAILED_SHARE, summarizeStormRun, type Invocation, type StormRunSummary,
} from '../../lab/connection-storm-figures';

const served = (environment: number, ms = 2, cold = false): Invocation => ({ environment, startedMs: 0, ms, cold });
const failed = (environment: number, failure = 'too many clients'): Invocation => ({ environment, startedMs: 0, ms: 5, cold: true, failure });

function run(overrides: Partial<StormRunSummary> = {}): StormRunSummary {
  return { ...summarizeStormRun([served(0), served(1)], [{ atMs: 0, connections: 4 }]), ...overrides };
}

describe('failureKind', () => {
  it('names PostgreSQL and socket failures by kind and keeps other messages', () => {
    // Act / Assess
    expect(failureKind(Object.assign(new Error('sorry, too many clients already'), { code: '53300' }))).toBe('too many clients');
    expect(failureKind(new Error('remaining connection slots are reserved for non-replication superuser connections'))).toBe('too many clients');
    expect(failureKind(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5'), { code: 'ECONNREFUSED' }))).toBe('refused');
    expect(failureKind(new Error('Connection terminated due to connection timeout'))).toBe('timeout');
    expect(failureKind(new Error('relation "x" does not exist'))).toBe('relation "x" does not exist');
    expect(failureKind('plain string')).toBe('plain string');
  });
});

describe('summarizeStormRun', () => {
  it('counts served and failed requests, failure kinds, environments answered and connections held', () => {
    // Prepare
    const invocations = [served(0, 40, true), served(0, 3), failed(1), failed(1), failed(2, 'timeout'), served(2, 50, true), served(2, 2)];
    const samples = [{ atMs: 0, connections: 2 }, { atMs: 100, connections: 5 }, { atMs: 200, connections: 4 }];

    // Act
    const summary = summarizeStormRun(invocations, samples);

    // Assess
    expect(summary).toMatchObject({
      requests: 7, served: 4, failed: 3, failedShare: 0.429,
      failures: { 'too many clients': 2, timeout: 1 },
      environmentsServed: 2, environments: 3,
      serverConnections: { max: 5, mean: 3.7 },
    });
    expect(summary.latencyMs).toMatchObject({ count: 4, p50: 3, max: 50 });
    expect(summary.warmLatencyMs).toMatchObject({ count: 2, p50: 2, max: 3 });
  });

  it('reports zeros for an empty run', () => {
    // Act
    const summary = summarizeStormRun([], []);
    // Assess
    expect(summary).toMatchObject({ requests: 0, failedShare: 0, serverConnections: { max: 0, mean: 0 }, environments: 0 });
  });
});

describe('judgeConnectionStorm', () => {
  it('holds when direct fails a clear share and the pooler serves everyone within its pool size', () => {
    // Act
    const verdict = judgeConnectionStorm(run({ failedShare: 0.55, failed: 200 }), run({ serverConnections: { max: 10, mean: 8 } }), 10);
    // Assess
    expect(verdict).toEqual({ holds: true, reasons: [] });
  });

  it(`does not hold just under ${MIN_DIRECT_FAILED_SHARE} failed directly`, () => {
    // Act
    const verdict = judgeConnectionStorm(run({ failedShare: 0.199 }), run(), 10);
    // Assess
    expect(verdict.reasons).toEqual([`direct: 0.199 of requests failed, expected >= ${MIN_DIRECT_FAILED_SHARE}`]);
  });

  it('does not hold when the pooler failed a request, left an environment unanswered or exceeded its pool', () => {
    // Act
    const verdict = judgeConnectionStorm(
      run({ failedShare: 0.5 }),
      run({ failed: 1, environmentsServed: 59, environments: 60, serverConnections: { max: 11, mean: 9 } }),
      10,
    );
    // Assess
    expect(verdict.holds).toBe(false);
    expect(verdict.reasons).toEqual([
      'pooled: 1 requests failed, expected 0',
      'pooled: 59 of 60 environments served',
      'pooled: 11 server connections, pool size 10',
    ]);
  });

  it('does not hold when a run sent nothing', () => {
    // Act
    const verdict = judgeConnectionStorm(run({ requests: 0, failedShare: 0.5 }), run(), 10);
    // Assess
    expect(verdict.reasons).toEqual(['a run sent no request']);
  });
});
