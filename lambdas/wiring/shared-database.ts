/**
 * The process's PostgreSQL pools (primary + replicas), for the patterns that use them. `pg` is
 * evaluated when the pools are first built. The schema is not migrated here: the deploy-time
 * step (locally, the harness) has done it, and this process logs in as the app role, which could
 * not run DDL anyway (see `pg-migrations.ts`).
 */
import { readDatabaseConfig } from '../config/runtime-config';
import type { DatabasePools } from '../adapters/pg-pools';
import type { SharedClientSpec, SharedClients } from './shared-clients';

const DATABASE: SharedClientSpec<DatabasePools> = {
  name: 'database',
  build: async (env, secrets) => {
    const { createDatabasePools } = require('../adapters/pg-pools') as typeof import('../adapters/pg-pools');
    return createDatabasePools(readDatabaseConfig(env), secrets);
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
