/**
 * The arithmetic of the benchmarks: every figure is the median of several runs, reported with its
 * spread (min, max, interquartile range) and, where the issue asks for one, as a ratio to a
 * baseline measured in the same run. Pure functions, unit-tested in `test/unit/bench-stats.test.ts`.
 * Medians and quartiles use the toolkit's one percentile definition (nearest rank).
 */
import { quantile, sortedCopy } from '../toolkit';

/** A figure measured several times: the median stands for it, the rest says how much to trust it. */
export interface RunStats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Third quartile minus first quartile (nearest rank). */
  readonly iqr: number;
  readonly runs: number;
  /** Every run, in the order measured. */
  readonly values: readonly number[];
}

/**
 * Median and spread of repeated measurements.
 *
 * @example
 * runStats([12, 10, 11]); // { median: 11, min: 10, max: 12, iqr: 2, runs: 3, values: [12, 10, 11] }
 */
export function runStats(values: readonly number[]): RunStats {
  if (values.length === 0) throw new Error('runStats needs at least one value');
  if (values.some((v) => !Number.isFinite(v))) throw new Error(`runStats: not a finite number in ${JSON.stringify(values)}`);
  const sorted = sortedCopy(values);
  return {
    median: quantile(sorted, 0.5),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    iqr: quantile(sorted, 0.75) - quantile(sorted, 0.25),
    runs: values.length,
    values: [...values],
  };
}

/** A figure beside its baseline: `ratio` = figure / baseline, and whether it meets `target` (a maximum ratio). */
export interface Ratio {
  readonly value: number;
  readonly target?: number;
  readonly meetsTarget?: boolean;
  /** The target is a minimum (e.g. throughput), not a maximum. */
  readonly atLeast?: boolean;
  /** When the ratio is the median of one ratio per round: the lowest and highest round. */
  readonly min?: number;
  readonly max?: number;
}

/**
 * figure / baseline, with the target verdict when a target is given.
 *
 * @example
 * ratio(150, 100, 1.5); // { value: 1.5, target: 1.5, meetsTarget: true }
 */
export function ratio(figure: number, baseline: number, target?: number): Ratio {
  if (!(baseline > 0)) throw new Error(`ratio: baseline must be > 0, got ${baseline}`);
  const value = figure / baseline;
  return target === undefined ? { value } : { value, target, meetsTarget: value <= target };
}

/**
 * The median of per-round ratios (each round's figure and baseline measured in the same loop),
 * with the spread across rounds: steadier on a shared machine than a ratio of medians. The target
 * is a maximum unless `kind` is `'at-least'` (throughput: higher is better).
 *
 * @example
 * ratioAcrossRounds([1.2, 1.6, 1.4], 1.5); // { value: 1.4, min: 1.2, max: 1.6, target: 1.5, meetsTarget: true }
 */
export function ratioAcrossRounds(perRound: readonly number[], target?: number, kind: 'at-most' | 'at-least' = 'at-most'): Ratio {
  const stats = runStats(perRound);
  const spread = { value: stats.median, min: stats.min, max: stats.max };
  if (target === undefined) return spread;
  if (kind === 'at-least') return { ...spread, target, atLeast: true, meetsTarget: stats.median >= target };
  return { ...spread, target, meetsTarget: stats.median <= target };
}

/** Median of each position across rounds of percentile summaries (one summary per round). */
export function medianOf<T>(rounds: readonly T[], pick: (round: T) => number): RunStats {
  return runStats(rounds.map(pick));
}

/** Rounds to `digits` decimals (for the JSON results and the table). */
export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** `1.23x`, with `✔`/`✘` when the ratio has a target. */
export function formatRatio(r: Ratio): string {
  const spread = r.min === undefined || r.max === undefined || r.min === r.max ? '' : ` (rounds ${r.min.toFixed(2)}–${r.max.toFixed(2)})`;
  const text = `${r.value.toFixed(2)}x${spread}`;
  if (r.target === undefined) return text;
  return `${text} ${r.meetsTarget ? '✔' : '✘'} (target ${r.atLeast ? '≥' : '≤'} ${r.target}x)`;
}

/** `median (min–max)` with a unit, e.g. `7.21 s (6.90–7.80)`. */
export function formatStats(stats: RunStats, unit: string, digits = 2): string {
  const f = (v: number) => v.toFixed(digits);
  return stats.runs === 1 ? `${f(stats.median)} ${unit}` : `${f(stats.median)} ${unit} (${f(stats.min)}–${f(stats.max)})`;
}

/** Bytes as KB (1 KB = 1000 bytes, as esbuild and the issue count them). */
export function kilobytes(bytes: number): number {
  return round(bytes / 1000, 1);
}
