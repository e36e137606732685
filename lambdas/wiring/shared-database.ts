/**
 * The process's PostgreSQL pools (primary + replicas), for the patterns that use them. `pg` is
 * evaluated when the pools are first built, and the first build of a process also applies the
 * migrations (see `pg-migrations.ts`).
 */
import { readDatabaseConfig } from '../config/runtime-config';
import type { DatabasePools } from '../adapters/pg-pools';
import type { SharedClientSpec, SharedClients } from './shared-clients';

const DATABASE: SharedClientSpec<DatabasePools> = {
  name: 'database',
  build: async (env, secrets) => {
    const { createDatabasePools } = require('../adapters/pg-pools') as typeof import('../adapters/pg-pools');
    const { runMigrations } = require('../adapters/pg-migrations') as typeof import('../adapters/pg-migrations');
    const pools = await createDatabasePools(readDatabaseConfig(env), secrets);
    try {
      await runMigrations(pools.primary);
    } catch (error) {
      await pools.close();
      throw error;
    }
    return pools;
  },
  close: (pools) => pools.close(),
};

/**
 * The database pools of this process, built from DB_* on first use.
 *
 * @example
 * const pools = await sharedDatabase(clients);
 * await pools.primary.query('SELECT 1');
 */
export function sharedDatabase(clients: SharedClients): Promise<DatabasePools> {
  return clients.use(DATABASE);
}
