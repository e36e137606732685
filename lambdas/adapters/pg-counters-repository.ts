/**
 * The CounterStore port on PostgreSQL: each increment is one atomic upsert on the primary, so
 * concurrent increments of the same row queue on its lock and none is lost.
 *
 * @example
 * const counters = new Counters({ store: createPgCounterStore(pools.primary), shards: 8 });
 */
import type { CounterStore } from '../core/counters';
import type { PgNode } from './pg-pools';

/** bigint arrives as text; counters stay far below 2^53, so a number is exact. */
const toCount = (text: string): number => Number(text);

export function createPgCounterStore(primary: PgNode): CounterStore {
  return {
    async increment(name, shard) {
      const [row] = await primary.query<{ value: string }>(
        `INSERT INTO counters (name, shard, value) VALUES ($1, $2, 1)
         ON CONFLICT (name, shard) DO UPDATE SET value = counters.value + 1
         RETURNING value`,
        [name, shard],
      );
      return toCount(row.value);
    },
    async rows(name) {
      const rows = await primary.query<{ shard: number; value: string }>(
        'SELECT shard, value FROM counters WHERE name = $1',
        [name],
      );
      return rows.map((row) => ({ shard: row.shard, value: toCount(row.value) }));
    },
  };
}
