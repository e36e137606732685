/**
 * The one percentile definition of lab, bench and e2e: nearest rank (the smallest sample with at
 * least p% of the samples at or below it). Chosen over linear interpolation because every figure is
 * then a value that was actually measured, which is what a latency percentile should report.
 */

/** Latency figures of one series, in milliseconds rounded to 0.01 ms. */
export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * The q-quantile (0..1) of values sorted ascending, by nearest rank.
 *
 * @example
 * quantile([1, 2, 3, 4], 0.5); // 2
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('quantile of no values');
  if (q < 0 || q > 1) throw new Error(`quantile q=${q}: expected 0..1`);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

/** Values sorted ascending (a copy). */
export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Median by nearest rank (the lower median of an even count), 0 for no values. */
export function median(values: readonly number[]): number {
  return values.length === 0 ? 0 : quantile(sortedCopy(values), 0.5);
}

/** Count, mean, p50/p90/p99 and max of latencies in milliseconds, rounded to 0.01 ms; zeros for no samples. */
export function summarize(samplesMs: readonly number[]): LatencySummary {
  if (samplesMs.length === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = sortedCopy(samplesMs);
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    count: sorted.length,
    mean: round(sorted.reduce((sum, v) => sum + v, 0) / sorted.length),
    p50: round(quantile(sorted, 0.5)),
    p90: round(quantile(sorted, 0.9)),
    p99: round(quantile(sorted, 0.99)),
    max: round(sorted[sorted.length - 1]),
  };
}
