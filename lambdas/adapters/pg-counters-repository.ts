/**
 * The CounterStore port on PostgreSQL: each increment is one atomic upsert on the primary, so
 * concurrent increments of the same row queue on its lock and none is lost. `update` is the
 * read-modify-write variant: one transaction that locks the row (`SELECT ... FOR UPDATE`), waits
 * for the caller's computation, writes and commits, so the lock is held across the computation.
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
    async update(name, shard, compute) {
      return primary.withClient(async (client) => {
        await client.query('BEGIN');
        try {
          // Creates the row if needed; a concurrent creator makes this wait for its commit, then do nothing.
          await client.query(
            'INSERT INTO counters (name, shard, value) VALUES ($1, $2, 0) ON CONFLICT (name, shard) DO NOTHING',
            [name, shard],
          );
          const { rows } = await client.query<{ value: string }>(
            'SELECT value FROM counters WHERE name = $1 AND shard = $2 FOR UPDATE',
            [name, shard],
          );
          const value = await compute(toCount(rows[0].value));
          await client.query('UPDATE counters SET value = $3 WHERE name = $1 AND shard = $2', [name, shard, value]);
          await client.query('COMMIT');
          return value;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      });
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
