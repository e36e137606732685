/**
 * LAB COMPONENT (never deployed): the decisions of the global-table replicator, kept pure so
 * that they are unit-tested on their own. They follow what DynamoDB documents for global tables:
 * - eventual mode (MREC): concurrent writes of one item are resolved per item by
 *   last-writer-wins on the write timestamp; the whole item of the later write wins in every
 *   region (ties broken deterministically, here by the greater region name);
 * - strong mode (MRSC): a write to an item another region is still replicating is refused with
 *   ReplicatedWriteConflictException, so nothing is overwritten silently.
 */
import type { GlobalConsistency } from '../lambdas/config/vocabulary';

/** When and where an item version was written (the replicator's own stamp, not the app's). */
export interface WriteStamp {
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly region: string;
}

/** > 0 when `a` is the later write, < 0 when `b` is, 0 only for the same stamp. */
export function compareStamps(a: WriteStamp, b: WriteStamp): number {
  if (a.time !== b.time) return a.time - b.time;
  return a.region < b.region ? -1 : a.region > b.region ? 1 : 0;
}

export function sameStamp(a: WriteStamp | undefined, b: WriteStamp | undefined): boolean {
  return a === undefined || b === undefined ? a === b : compareStamps(a, b) === 0;
}

/**
 * The stamp of a write accepted in `region`, which currently holds `current` for the item. A
 * local write comes after whatever the region held, so it is stamped at least 1 ms later: it
 * must win over the version it replaced even within the same millisecond.
 */
export function nextLocalStamp(now: number, region: string, current: WriteStamp | undefined): WriteStamp {
  return { time: current === undefined ? now : Math.max(now, current.time + 1), region };
}

/** A write shipped from its origin region to another one. */
export interface ReplicatedWrite {
  readonly stamp: WriteStamp;
  /** The stamp the origin held when it accepted the write: the version it built on. */
  readonly base: WriteStamp | undefined;
}

/**
 * - `none`: the target held exactly the version the write built on (a plain update);
 * - `overwrote-concurrent`: the write wins over a different version it never saw (that one is lost);
 * - `discarded-older`: the target holds a later version, so the replicated write is dropped (it is lost).
 */
export type ConflictKind = 'none' | 'overwrote-concurrent' | 'discarded-older';

export interface Resolution {
  readonly apply: boolean;
  readonly conflict: ConflictKind;
}

/**
 * What a target region does with a replicated write, given the stamp of the version it holds.
 *
 * @example
 * resolveReplicated({ time: 5, region: 'us-east-1' }, { stamp: { time: 7, region: 'us-west-2' }, base: undefined });
 * // { apply: true, conflict: 'overwrote-concurrent' }
 */
export function resolveReplicated(current: WriteStamp | undefined, incoming: ReplicatedWrite): Resolution {
  if (current === undefined || compareStamps(incoming.stamp, current) > 0) {
    const plainUpdate = current === undefined || sameStamp(current, incoming.base);
    return { apply: true, conflict: plainUpdate ? 'none' : 'overwrote-concurrent' };
  }
  // Same stamp: the write already arrived (a duplicate delivery), nothing was lost.
  return { apply: false, conflict: sameStamp(current, incoming.stamp) ? 'none' : 'discarded-older' };
}

/**
 * Strong mode only: a write from `region` is refused while a write of the same item from another
 * region is still being replicated. Writes from the same region are ordered by that region.
 */
export function mustRefuse(mode: GlobalConsistency, region: string, inFlightOrigins: Iterable<string>): boolean {
  if (mode !== 'strong') return false;
  for (const origin of inFlightOrigins) if (origin !== region) return true;
  return false;
}
