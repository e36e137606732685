/**
 * The contract between the lab runner and its experiments. An experiment reproduces one claim of
 * the source notes on real local engines, measures it, and decides from its own figures whether
 * the claim held (never a hard-coded verdict).
 */

/** Fixed ids: tests, the README and users refer to them. */
export const EXPERIMENT_IDS = [
  'reverse-proxy-scale-out',
  'sessions-instance-loss',
  'sessions-memory',
  'sessions-overhead',
  'cache-aside',
  'read-replica-lag',
  'sync-replication',
  'failover-loss',
  'multi-master',
  'counters',
  'connection-storm',
  'autoscale',
] as const;

export type ExperimentId = (typeof EXPERIMENT_IDS)[number];

export type FigureValue = number | string | boolean | null | readonly FigureValue[] | { readonly [key: string]: FigureValue };

/** One chart of the report: bars per category (optionally grouped by series), or lines over x. */
export interface ChartSpec {
  /** File-name friendly, unique within the experiment, e.g. `throughput`. */
  readonly id: string;
  readonly title: string;
  readonly kind: 'bar' | 'line';
  /** Unit of the y axis, e.g. `req/s`, `ms`, `sessions`. */
  readonly unit: string;
  /** Label of the x axis, e.g. `instances`. */
  readonly xLabel: string;
  readonly series: ReadonlyArray<{ readonly name: string; readonly points: ReadonlyArray<{ readonly x: string | number; readonly y: number }> }>;
}

export interface ExperimentResult {
  /** Measured figures, plainly named, e.g. `{ lostCommits: { async: 3, sync: 0 } }`. */
  readonly figures: { readonly [key: string]: FigureValue };
  /** Computed from the figures: did the claim hold on this run? */
  readonly holds: boolean;
  /** One short paragraph for the report: what was done, what the figures show. */
  readonly details: string;
  readonly charts?: readonly ChartSpec[];
}

export interface ExperimentContext {
  /** Small sizes for CI (the whole `--quick` run stays under 3 minutes on 2 cores). */
  readonly quick: boolean;
  /** A line of progress ("killing app-2", "120/400 sessions created"). */
  progress(message: string): void;
  /** Registers a cleanup that the runner performs after the experiment, also on failure or Ctrl-C. */
  defer(cleanup: () => Promise<unknown>): void;
  /** A scratch directory private to this experiment run. */
  readonly scratchDir: string;
}

export interface Experiment {
  readonly id: ExperimentId;
  readonly title: string;
  /** The claim of the notes being reproduced, in one sentence. */
  readonly claim: string;
  run(ctx: ExperimentContext): Promise<ExperimentResult>;
}
