/**
 * Independence vs coordination, shown with counters. A "hot" counter is one shared row: every
 * increment takes that row's lock, so concurrent writers queue behind each other (coordination).
 * A "sharded" counter spreads increments over `shards` rows chosen at random, so writers rarely
 * meet (independence); reading it costs a sum over the shards. Both count exactly: the store does
 * each increment as one atomic upsert, so no update is lost either way; only throughput differs.
 *
 * Both kinds live in the same table under the counter's name: the hot row is shard `HOT_SHARD`
 * (-1), the sharded rows are 0..shards-1. A counter never incremented reads as 0.
 *
 * With `workMs` > 0 an increment is a read-modify-write instead: the worker reads its row under
 * the row's lock, works for `workMs` (a computation or a call elsewhere), then writes. The lock is
 * held throughout, so writers of one row queue for the whole critical section: this is how a
 * coordination cost looks when it is larger than a bare upsert (the lab's `counters` experiment).
 *
 * @example
 * const counters = new Counters({ store, shards: 8 });
 * await counters.incrementSharded('likes'); // { kind: 'sharded', shard: 5, shardValue: 13 }
 * (await counters.read('likes')).sharded.total;
 */
import { realSleep, type Sleep } from './clock';

/** Port: atomic per-row increments and a read of all rows of one counter. */
export interface CounterStore {
  /** Adds 1 to row (name, shard), creating it at 1; returns the row's new value. */
  increment(name: string, shard: number): Promise<number>;
  /**
   * Read-modify-write of row (name, shard) under its lock: reads the value (0 for a new row), writes
   * what `compute` returns, and holds the lock until then. Only needed when `workMs` > 0.
   */
  update?(name: string, shard: number, compute: (current: number) => Promise<number>): Promise<number>;
  rows(name: string): Promise<ReadonlyArray<CounterRow>>;
}

export interface CounterRow {
  readonly shard: number;
  readonly value: number;
}

/** The shard number of the single shared row of a hot counter. */
export const HOT_SHARD = -1;

export interface CountersProps {
  readonly store: CounterStore;
  /** Rows a sharded counter spreads over. */
  readonly shards: number;
  /** @default Math.random */
  readonly random?: () => number;
  /**
   * Work each increment does between reading and writing its row, holding the row's lock
   * (COUNTER_WORK_MS); needs a store with `update`.
   * @default 0 - a single atomic upsert
   */
  readonly workMs?: number;
  /** How the work waits. @default realSleep */
  readonly sleep?: Sleep;
}

export interface HotIncrement {
  readonly name: string;
  readonly kind: 'hot';
  /** The counter's total after this increment. */
  readonly value: number;
}

export interface ShardedIncrement {
  readonly name: string;
  readonly kind: 'sharded';
  readonly shard: number;
  /** The chosen shard's value after this increment (not the total: that needs a sum). */
  readonly shardValue: number;
}

export interface CounterReading {
  readonly name: string;
  readonly hot: { readonly total: number };
  readonly sharded: { readonly total: number; readonly shards: ReadonlyArray<CounterRow> };
}

/** Picks a shard in 0..shards-1 from a uniform random number in [0, 1). */
export function chooseShard(shards: number, random: () => number): number {
  return Math.min(shards - 1, Math.max(0, Math.floor(random() * shards)));
}

export class Counters {
  private readonly random: () => number;
  private readonly workMs: number;

  constructor(private readonly props: CountersProps) {
    if (!Number.isInteger(props.shards) || props.shards < 1) {
      throw new RangeError(`Counters: shards must be a positive integer, got ${props.shards}`);
    }
    this.workMs = props.workMs ?? 0;
    if (!Number.isInteger(this.workMs) || this.workMs < 0) {
      throw new RangeError(`Counters: workMs must be an integer >= 0, got ${props.workMs}`);
    }
    if (this.workMs > 0 && props.store.update === undefined) {
      throw new RangeError(`Counters: workMs=${this.workMs} needs a store that supports read-modify-write (update)`);
    }
    this.random = props.random ?? Math.random;
  }

  /** Coordination: every writer updates the same row. */
  async incrementHot(name: string): Promise<HotIncrement> {
    return { name, kind: 'hot', value: await this.add(name, HOT_SHARD) };
  }

  /** Independence: each writer updates one of `shards` rows at random. */
  async incrementSharded(name: string): Promise<ShardedIncrement> {
    const shard = chooseShard(this.props.shards, this.random);
    return { name, kind: 'sharded', shard, shardValue: await this.add(name, shard) };
  }

  private add(name: string, shard: number): Promise<number> {
    const { store, sleep = realSleep } = this.props;
    if (this.workMs === 0 || store.update === undefined) return store.increment(name, shard);
    return store.update(name, shard, async (current) => {
      await sleep(this.workMs);
      return current + 1;
    });
  }

  /** Both kinds' totals; sharded rows are summed (whatever the shard count was when written). */
  async read(name: string): Promise<CounterReading> {
    const rows = await this.props.store.rows(name);
    const shards = rows.filter((row) => row.shard !== HOT_SHARD).sort((a, b) => a.shard - b.shard);
    return {
      name,
      hot: { total: rows.find((row) => row.shard === HOT_SHARD)?.value ?? 0 },
      sharded: { total: shards.reduce((sum, row) => sum + row.value, 0), shards },
    };
  }
}
