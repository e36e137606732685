/**
 * Verdict of the `counters` experiment, kept apart from the engines so that it can be tested:
 * the hot record must not scale with workers, the shards must outrun it, and no increment may be lost.
 */

/** Increments per second by number of workers, e.g. `{ '1': 45.2, '8': 48.9 }`. */
export type ThroughputByWorkers = Readonly<Record<string, number>>;

export interface CountersRun {
  readonly acknowledged: number;
  readonly counted: number;
}

export interface CoordinationVerdict {
  /** hot throughput at the most workers / at one worker: about 1 when the hot row serializes them. */
  readonly hotScaling: number;
  /** sharded / hot throughput at the most workers. */
  readonly shardedOverHot: number;
  /** Acknowledged increments missing from the database (or counted twice), over every run. */
  readonly miscounted: number;
  readonly holds: boolean;
}

/** A hot record "does not scale" below this gain from 1 to the most workers; shards must beat it by this much. */
export const SCALING_THRESHOLD = 1.5;

const ratio = (a: number, b: number): number => (b > 0 ? Math.round((a / b) * 100) / 100 : 0);

/**
 * Computes the figures the verdict rests on. Both ratios compare runs of the same length on the
 * same machine, so background load moves both sides; the thresholds leave room for that noise
 * against an expected gap of several times (see the experiment's details).
 *
 * @example
 * countersVerdict({ '1': 45, '8': 48 }, { '1': 44, '8': 260 }, [{ acknowledged: 10, counted: 10 }]);
 * // { hotScaling: 1.07, shardedOverHot: 5.42, miscounted: 0, holds: true }
 */
export function countersVerdict(
  hot: ThroughputByWorkers,
  sharded: ThroughputByWorkers,
  runs: readonly CountersRun[],
): CoordinationVerdict {
  const levels = Object.keys(hot).map(Number).sort((a, b) => a - b);
  const [fewest, most] = [String(levels[0]), String(levels[levels.length - 1])];
  const hotScaling = ratio(hot[most] ?? 0, hot[fewest] ?? 0);
  const shardedOverHot = ratio(sharded[most] ?? 0, hot[most] ?? 0);
  const miscounted = runs.reduce((sum, run) => sum + Math.abs(run.acknowledged - run.counted), 0);
  const holds =
    levels.length >= 2 && hot[fewest] > 0 && hotScaling < SCALING_THRESHOLD && shardedOverHot >= SCALING_THRESHOLD && miscounted === 0;
  return { hotScaling, shardedOverHot, miscounted, holds };
}
