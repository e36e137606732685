/**
 * Multi-master (active-active) writes on a DynamoDB global table: every region reads and writes
 * its own replica, and replication between replicas resolves concurrent writes of one item by
 * last-writer-wins (eventual mode) or refuses the second one (strong mode, MRSC).
 *
 * Last-writer-wins loses writes silently. To make a loss visible, every item carries a `lineage`
 * (a version vector: for each region, the counter of that region's latest write the item builds
 * on), and each region records its own last write of an item in a separate item only it writes,
 * so that record never conflicts. The conflict rule (see {@link detectLostWrite}):
 *
 *   our last write W (counter c = W.lineage[us]) is lost  <=>  the item this region now shows
 *   has lineage[us] < c, i.e. W is not in the item's history.
 *
 * Our counter increases with every write we make to the item (max of what the item and our
 * record say, plus one), so (region, counter) names exactly one write, and an item whose lineage
 * reaches c was built on W or on something built on it: a later update by another region on top
 * of ours is not a conflict, while a concurrent write that won (same or lower scalar version,
 * written without seeing ours) is. Only the last write per region is tracked: a newer write of
 * ours supersedes the report of an older loss.
 */
import type { Clock } from './clock';
import { ConflictError, NotFoundError } from './errors';
// A type only (erased at build): the value set is the configuration vocabulary's, shared with lib/.
import type { GlobalConsistency } from '../config/vocabulary';

/** For each region, the counter of that region's latest write this item version builds on. */
export type Lineage = Readonly<Record<string, number>>;

/** One version of an item as stored in every replica. */
export interface ItemVersion {
  readonly value: string;
  /** Scalar version for optimistic locking: the version this write replaced, plus one. */
  readonly version: number;
  readonly writerRegion: string;
  /** ISO-8601 time of the write, from the writing region's clock. */
  readonly writtenAt: string;
  readonly lineage: Lineage;
}

/** What one region's replica holds about an item. */
export interface RegionalSnapshot {
  readonly item?: ItemVersion;
  /** This region's last write of the item, as this region recorded it; absent if it never wrote it. */
  readonly ourLastWrite?: ItemVersion;
}

/**
 * Result of a conditional write: `written`; `changed` when the stored item is no longer the one
 * the write was based on (another writer got there first); `refused` when multi-region strong
 * consistency refused it because another region is writing the same item (nothing was written).
 */
export type WriteOutcome = 'written' | 'changed' | 'refused';

/** Port: one region's replica of the global table. */
export interface RegionalTable {
  read(id: string): Promise<RegionalSnapshot>;
  /** Writes `next` only if the stored item is still exactly `replaces` (or still absent when undefined). */
  replace(id: string, next: ItemVersion, replaces: ItemVersion | undefined): Promise<WriteOutcome>;
  /** Records `write` as this region's last write of the item; never moves the record backwards. */
  recordLastWrite(id: string, write: ItemVersion): Promise<void>;
}


/** The outcome of the lost-write check, as returned by `GET /items/:id`. */
export type LostWriteReport =
  | { readonly lost: false }
  | {
      readonly lost: true;
      readonly message: string;
      readonly ourWrite: ItemVersion;
      /** The version that replaced ours without building on it (null: the item is gone). */
      readonly winner: ItemVersion | null;
    };

/** Counter of `region`'s own writes that `item` includes (0 when none). */
export function regionCounter(item: ItemVersion | undefined, region: string): number {
  return item?.lineage[region] ?? 0;
}

/**
 * Applies the conflict rule: is this region's last write missing from the history of the item it
 * shows now?
 *
 * @example
 * detectLostWrite('us-east-1', snapshot.item, snapshot.ourLastWrite); // { lost: false } or { lost: true, ... }
 */
export function detectLostWrite(
  region: string,
  item: ItemVersion | undefined,
  ourLastWrite: ItemVersion | undefined,
): LostWriteReport {
  if (ourLastWrite === undefined) return { lost: false };
  const ours = regionCounter(ourLastWrite, region);
  if (regionCounter(item, region) >= ours) return { lost: false };
  const by = item === undefined ? 'a delete' : `the write of ${item.writerRegion} at ${item.writtenAt}`;
  return {
    lost: true,
    message:
      `This region's write (version ${ourLastWrite.version} at ${ourLastWrite.writtenAt}) was overwritten by ${by}, ` +
      'made concurrently without seeing it: another region\'s concurrent write won (last writer wins).',
    ourWrite: ourLastWrite,
    winner: item ?? null,
  };
}

/**
 * The version this region writes on top of `base`: scalar version + 1, and a lineage that keeps
 * the base's history and raises our own counter past everything we ever wrote to this item.
 */
export function nextItemVersion(
  region: string,
  value: string,
  base: ItemVersion | undefined,
  ourLastWrite: ItemVersion | undefined,
  now: number,
): ItemVersion {
  const counter = Math.max(regionCounter(base, region), regionCounter(ourLastWrite, region)) + 1;
  return {
    value,
    version: (base?.version ?? 0) + 1,
    writerRegion: region,
    writtenAt: new Date(now).toISOString(),
    lineage: { ...base?.lineage, [region]: counter },
  };
}

export interface MultiMasterStoreProps {
  /** The region this store runs in; it reads and writes only this region's replica. */
  readonly region: string;
  readonly table: RegionalTable;
  readonly clock: Clock;
  /** @default 'eventual' */
  readonly consistency?: GlobalConsistency;
}

/** `GET /items/:id` result. */
export interface ItemReadResult {
  readonly id: string;
  readonly item: ItemVersion;
  readonly servedByRegion: string;
  readonly consistency: GlobalConsistency;
  readonly conflict: LostWriteReport;
}

/** `PUT /items/:id` result. */
export interface ItemWriteResult {
  readonly id: string;
  readonly item: ItemVersion;
  readonly servedByRegion: string;
  readonly consistency: GlobalConsistency;
}

/**
 * The multi-master use cases of one region: versioned writes with optimistic locking, and reads
 * that report whether this region's last write was lost to a concurrent write elsewhere.
 *
 * @example
 * const store = new MultiMasterStore({ region: 'us-east-1', table, clock: systemClock });
 * await store.put('cart-1', 'apples', 0); // create only: 409 if it exists
 * const { item, conflict } = await store.get('cart-1');
 */
export class MultiMasterStore {
  readonly region: string;
  readonly consistency: GlobalConsistency;

  constructor(private readonly props: MultiMasterStoreProps) {
    this.region = props.region;
    this.consistency = props.consistency ?? 'eventual';
  }

  async get(id: string): Promise<ItemReadResult> {
    const { item, ourLastWrite } = await this.props.table.read(id);
    if (item === undefined) throw new NotFoundError(`Item '${id}' does not exist in ${this.region}`);
    return {
      id,
      item,
      servedByRegion: this.region,
      consistency: this.consistency,
      conflict: detectLostWrite(this.region, item, ourLastWrite),
    };
  }

  /**
   * Writes `value` on top of the item this region holds. With `expectedVersion` the write applies
   * only to that version (0: only if the item does not exist yet); without it, to the version just
   * read. Either way the write is conditional on the exact item read, so a change in between is a
   * 409, never a silent overwrite within this region.
   */
  async put(id: string, value: string, expectedVersion?: number): Promise<ItemWriteResult> {
    const { table, clock } = this.props;
    const { item: base, ourLastWrite } = await table.read(id);
    const currentVersion = base?.version ?? 0;
    if (expectedVersion !== undefined && expectedVersion !== currentVersion) {
      throw new ConflictError(
        `Version mismatch on '${id}': expected version ${expectedVersion}, ` +
          `but ${this.region} holds version ${currentVersion}`,
        { id, reason: 'version-mismatch', expectedVersion, currentVersion },
      );
    }
    const next = nextItemVersion(this.region, value, base, ourLastWrite, clock.now());
    const outcome = await table.replace(id, next, base);
    if (outcome === 'changed') {
      throw new ConflictError(
        `Item '${id}' changed in ${this.region} while it was being written (read version ${currentVersion}); retry`,
        { id, reason: 'concurrent-update', readVersion: currentVersion },
      );
    }
    if (outcome === 'refused') {
      throw new ConflictError(
        `Write to '${id}' refused: another region is writing this item at the same moment ` +
          '(multi-Region strong consistency). Nothing was written and no write was lost; retry.',
        { id, reason: 'replicated-write-conflict', refused: true, lost: false },
      );
    }
    // Recorded after the item so that a refused or failed write never claims a loss. If this
    // call fails, the request fails (503) and a retry records the new write.
    await table.recordLastWrite(id, next);
    return { id, item: next, servedByRegion: this.region, consistency: this.consistency };
  }
}
