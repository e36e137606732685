/**
 * Figures of the `multi-master` experiment, kept pure so that they are unit-tested: what became
 * of pairs of writes of one item made in two regions at the same moment.
 */

/** One `PUT /items/:id` as its client saw it. */
export interface PairWrite {
  readonly region: string;
  /** The value written: unique per write, so that it can be looked for afterwards. */
  readonly value: string;
  readonly status: number;
  /** The `reason` of a 409 (`replicated-write-conflict` when strong consistency refused it). */
  readonly reason?: string;
}

/** One region's `GET /items/:id` once replication was idle. */
export interface RegionView {
  readonly region: string;
  readonly status: number;
  /** The item as JSON text (compared across regions), when found. */
  readonly item?: string;
  readonly value?: string;
  /** `conflict.lost`: this region's last write of the item was overwritten by a concurrent one. */
  readonly conflictLost: boolean;
}

export interface PairOutcome {
  readonly id: string;
  readonly writes: readonly PairWrite[];
  readonly views: readonly RegionView[];
}

export interface PairsSummary {
  readonly pairs: number;
  /** Writes answered 200/201. */
  readonly writesAcknowledged: number;
  /** Writes answered 409 `replicated-write-conflict`: refused, nothing written. */
  readonly writesRefused: number;
  /** Any other answer (5xx, another 409): neither acknowledged nor refused as a conflict. */
  readonly writesFailed: number;
  /** Region views reporting `conflict.lost: true`. */
  readonly conflictsDetected: number;
  /** Acknowledged writes whose value is in no region afterwards. */
  readonly updatesSilentlyLost: number;
  /** Every pair's item is found, and identical, in every region. */
  readonly converged: boolean;
}

const acknowledged = (write: PairWrite) => write.status === 200 || write.status === 201;
const refused = (write: PairWrite) => write.status === 409 && write.reason === 'replicated-write-conflict';

/**
 * Sums up the pairs.
 *
 * @example
 * summarizePairs([{ id: 'p1', writes: [east, west], views: [eastView, westView] }]).updatesSilentlyLost; // 1
 */
export function summarizePairs(pairs: readonly PairOutcome[]): PairsSummary {
  const writes = pairs.flatMap((pair) => pair.writes);
  const lost = pairs.flatMap((pair) => {
    const surviving = new Set(pair.views.filter((view) => view.status === 200).map((view) => view.value));
    return pair.writes.filter((write) => acknowledged(write) && !surviving.has(write.value));
  });
  const converged = pairs.every(
    (pair) => pair.views.length > 0 && pair.views.every((view) => view.status === 200 && view.item === pair.views[0].item),
  );
  return {
    pairs: pairs.length,
    writesAcknowledged: writes.filter(acknowledged).length,
    writesRefused: writes.filter(refused).length,
    writesFailed: writes.filter((write) => !acknowledged(write) && !refused(write)).length,
    conflictsDetected: pairs.flatMap((pair) => pair.views).filter((view) => view.conflictLost).length,
    updatesSilentlyLost: lost.length,
    converged,
  };
}

/** JSON with object keys sorted at every level, so that equal items compare equal as text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
