import {
  judgeAutoscale, latencyByPhase, latencyByWindow, MIN_P99_BOUND_MS, p99Bound, recoveryMs, type TimedRequest, type WindowLatency,
} from '../../lab/autoscale-figures';

const PHASES = { stepStartMs: 2000, stepEndMs: 6000, endMs: 8000 };
const ok = (startedMs: number, ms: number): TimedRequest => ({ startedMs, ms, ok: true });

/** One window per second with the given p99s (and no failures unless listed). */
function windows(p99s: readonly number[], failedAt: readonly number[] = []): WindowLatency[] {
  return p99s.map((p99, k) => ({ startMs: k * 1000, requests: 10, failed: failedAt.includes(k) ? 1 : 0, p50: p99 / 2, p99 }));
}

describe('latencyByWindow', () => {
  it('groups requests by the window they were sent in and keeps failures out of the percentiles', () => {
    // Prepare
    const requests = [ok(100, 10), ok(900, 30), { startedMs: 950, ms: 5000, ok: false }, ok(1500, 7), ok(5000, 1)];

    // Act
    const result = latencyByWindow(requests, 1000, 3000);

    // Assess
    expect(result).toEqual([
      { startMs: 0, requests: 3, failed: 1, p50: 10, p99: 30 },
      { startMs: 1000, requests: 1, failed: 0, p50: 7, p99: 7 },
      { startMs: 2000, requests: 0, failed: 0, p50: 0, p99: 0 },
    ]);
  });
});

describe('latencyByPhase', () => {
  it('splits requests into before, during and after the step by when they were sent', () => {
    // Act
    const result = latencyByPhase([ok(0, 5), ok(1999, 6), ok(2000, 900), { startedMs: 5999, ms: 5000, ok: false }, ok(6000, 8)], PHASES);
    // Assess
    expect(result).toEqual({
      before: { requests: 2, failed: 0, p50: 5, p99: 6 },
      during: { requests: 2, failed: 1, p50: 900, p99: 900 },
      after: { requests: 1, failed: 0, p50: 8, p99: 8 },
    });
  });
});

describe('p99Bound', () => {
  it(`is twice the worst p99 before the step, and at least ${MIN_P99_BOUND_MS} ms`, () => {
    // Act / Assess
    expect(p99Bound([120, 90])).toBe(MIN_P99_BOUND_MS);
    expect(p99Bound([220, 260.4])).toBe(521);
    expect(p99Bound([])).toBe(MIN_P99_BOUND_MS);
  });
});

describe('recoveryMs', () => {
  it('is the end of the last step window over the bound, measured from the step', () => {
    // Act / Assess: windows 2..5 are the step; 2 and 3 over 300 ms
    expect(recoveryMs(windows([100, 100, 900, 400, 200, 250, 100, 100]), 1000, PHASES, 300)).toBe(2000);
  });

  it('is 0 when no step window went over, null when the last one still is', () => {
    // Act / Assess
    expect(recoveryMs(windows([100, 100, 200, 200, 200, 200, 100, 100]), 1000, PHASES, 300)).toBe(0);
    expect(recoveryMs(windows([100, 100, 900, 100, 100, 301, 100, 100]), 1000, PHASES, 300)).toBeNull();
  });

  it('counts a window with a failed request as over the bound, and ignores windows outside the step', () => {
    // Act / Assess
    expect(recoveryMs(windows([900, 900, 100, 100, 100, 100, 900, 900], [3]), 1000, PHASES, 300)).toBe(2000);
    expect(recoveryMs([], 1000, PHASES, 300)).toBeNull();
  });
});

describe('judgeAutoscale', () => {
  const scaled = { maxInstances: 5, finalInstances: 2, recoveryMs: 3000 };
  const fixed = { maxInstances: 2, finalInstances: 2, recoveryMs: null };

  it('holds when the tier scaled out, recovered within the step and scaled back in, and the fixed fleet did not recover', () => {
    // Act / Assess
    expect(judgeAutoscale(scaled, fixed, 2)).toEqual({ holds: true, reasons: [] });
  });

  it('does not hold when the tier never scaled or never recovered', () => {
    // Act
    const verdict = judgeAutoscale({ maxInstances: 2, finalInstances: 2, recoveryMs: null }, fixed, 2);
    // Assess
    expect(verdict.reasons).toEqual(['autoscaled: never had more than 2 instances in service', 'autoscaled: p99 not back under the bound before the step ended']);
  });

  it('does not hold without a scale-in, or when the fixed fleet was not overloaded', () => {
    // Act
    const verdict = judgeAutoscale({ ...scaled, finalInstances: 5 }, { ...fixed, recoveryMs: 1000 }, 2);
    // Assess
    expect(verdict.reasons).toEqual([
      'autoscaled: still 5 instances after the step (no scale-in)',
      'fixed fleet: p99 back under the bound 1000 ms into the step (the step did not overload it)',
    ]);
  });
});
