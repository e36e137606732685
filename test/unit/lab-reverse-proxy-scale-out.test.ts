import { judgeScaleOut, type ScaleOutStep } from '../../lab/experiments/reverse-proxy-scale-out';

function step(instances: number, throughputPerSec: number, overrides: Partial<ScaleOutStep> = {}): ScaleOutStep {
  const servedBy = Object.fromEntries(Array.from({ length: instances }, (_, i) => [`scale-${i + 1}`, 10]));
  return { instances, throughputPerSec, p50Ms: 100, p99Ms: 120, failed: 0, servedBy, maxInFlightPerInstance: 1, ...overrides };
}

describe('judgeScaleOut', () => {
  it('holds when each doubling of instances gives at least x1.6 through one address', () => {
    // Act
    const verdict = judgeScaleOut([step(1, 9.5), step(2, 18.8), step(4, 37)], 1);
    // Assess
    expect(verdict).toEqual({ holds: true, gains: { '2': 1.98, '4': 1.97 }, reasons: [] });
  });

  it('does not hold when throughput stops growing (a CPU-bound plateau)', () => {
    // Act
    const verdict = judgeScaleOut([step(1, 10), step(2, 19), step(4, 21)], 1);
    // Assess
    expect(verdict.holds).toBe(false);
    expect(verdict.reasons).toEqual(['2 -> 4 instances: x1.11, needed x1.6']);
  });

  it('does not hold when an instance served several requests at once, an instance served nothing, or clients changed address', () => {
    // Act
    const verdict = judgeScaleOut([step(1, 10, { maxInFlightPerInstance: 3 }), step(2, 20, { servedBy: { 'scale-1': 20 } })], 2);
    // Assess
    expect(verdict.holds).toBe(false);
    expect(verdict.reasons).toEqual([
      '1 instance(s): up to 3 requests at once on one instance',
      '2 instance(s): 1 served',
      'clients used 2 addresses',
    ]);
  });

  it('scales the threshold with the step: x4 instances at once need x2.56', () => {
    // Act
    const verdict = judgeScaleOut([step(1, 10), step(4, 25)], 1);
    // Assess
    expect(verdict.reasons).toEqual(['1 -> 4 instances: x2.5, needed x2.56']);
  });
});
