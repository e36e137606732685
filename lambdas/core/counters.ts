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
 * @example
 * const counters = new Counters({ store, shards: 8 });
 * await counters.incrementSharded('likes'); // { kind: 'sharded', shard: 5, shardValue: 13 }
 * (await counters.read('likes')).sharded.total;
 */

/** Port: atomic per-row increments and a read of all rows of one counter. */
export interface CounterStore {
  /** Adds 1 to row (name, shard), creating it at 1; returns the row's new value. */
  increment(name: string, shard: number): Promise<number>;
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

  constructor(private readonly props: CountersProps) {
    if (!Number.isInteger(props.shards) || props.shards < 1) {
      throw new RangeError(`Counters: shards must be a positive integer, got ${props.shards}`);
    }
    this.random = props.random ?? Math.random;
  }

  /** Coordination: every writer updates the same row. */
  async incrementHot(name: string): Promise<HotIncrement> {
    return { name, kind: 'hot', value: await this.props.store.increment(name, HOT_SHARD) };
  }

  /** Independence: each writer updates one of `shards` rows at random. */
  async incrementSharded(name: string): Promise<ShardedIncrement> {
    const shard = chooseShard(this.props.shards, this.random);
    return { name, kind: 'sharded', shard, shardValue: await this.props.store.increment(name, shard) };
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
