/**
 * Figures of the `read-replica-lag` experiment, kept pure so that they are unit-tested: which
 * write-then-read cycles were stale, where reads went, and the lag seen by `GET /replication/lag`.
 */
import { median } from '../toolkit';

/** One write-then-immediately-read cycle as the client saw it. */
export interface ReadAfterWrite {
  /** Status of `GET /notes/:id` right after `POST /notes` created it. */
  readonly status: number;
  /** `servedBy` of the read: `primary`, `replica-1`, ... */
  readonly servedBy: string;
  /** The router's `reason` for that choice (`replica`, `caught-up-replica`, `read-your-writes-fallback`, ...). */
  readonly reason: string;
  /** The note text read back, when found. */
  readonly text?: string;
  /** The text the cycle wrote. */
  readonly written: string;
  readonly ms: number;
}

/**
 * Stale: a replica answered without the write (404, or another text). A failure of another kind
 * (5xx) or an answer of the primary is never counted as stale.
 *
 * @example
 * isStaleRead({ status: 404, servedBy: 'replica-1', reason: 'replica', written: 'a', ms: 3 }); // true
 */
export function isStaleRead(read: ReadAfterWrite): boolean {
  if (!read.servedBy.startsWith('replica')) return false;
  return read.status === 404 || (read.status === 200 && read.text !== read.written);
}

/** Occurrences of each key, keys in first-seen order. */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const k = key(item);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

/** One replica's lag as `GET /replication/lag` reported it at one moment. */
export interface LagSample {
  readonly atMs: number;
  readonly replica: string;
  readonly lagBytes: number;
  readonly lagMs: number;
}

export interface LagStats {
  readonly samples: number;
  readonly maxBytes: number;
  readonly medianBytes: number;
  readonly maxMs: number;
  readonly medianMs: number;
}

/** Max and median of the lag samples, in bytes (integers) and ms (0.01). */
export function lagStats(samples: readonly LagSample[]): LagStats {
  const bytes = samples.map((s) => s.lagBytes);
  const ms = samples.map((s) => s.lagMs);
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    samples: samples.length,
    maxBytes: Math.round(Math.max(0, ...bytes)),
    medianBytes: Math.round(median(bytes)),
    maxMs: round(Math.max(0, ...ms)),
    medianMs: round(median(ms)),
  };
}

/** The shape of `GET /replication/lag` this experiment reads. */
export interface LagReportBody {
  readonly replicas: ReadonlyArray<{ readonly name: string; readonly reachable: boolean; readonly lagBytes?: number | null; readonly lagMs?: number | null }>;
}

/** Samples of one lag report: reachable replicas with known lag only. */
export function lagSamplesOf(body: LagReportBody, atMs: number): LagSample[] {
  return body.replicas.flatMap((r) =>
    r.reachable && typeof r.lagBytes === 'number' && typeof r.lagMs === 'number'
      ? [{ atMs, replica: r.name, lagBytes: r.lagBytes, lagMs: r.lagMs }]
      : [],
  );
}
