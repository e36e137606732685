/**
 * The process's PostgreSQL pools (primary + replicas), for the patterns that use them. `pg` is
 * evaluated when the pools are first built. The schema is not migrated here: the deploy-time
 * step (locally, the harness) has done it, and this process logs in as the app role, which could
 * not run DDL anyway (see `pg-migrations.ts`).
 */
import type { DatabasePools } from '../adapters/pg-pools';
import type { SharedClientSpec, SharedClients } from './shared-clients';

const DATABASE: SharedClientSpec<DatabasePools> = {
  name: 'database',
  sections: ['database'],
  build: async (config, secrets) => {
    const { createDatabasePools } = require('../adapters/pg-pools') as typeof import('../adapters/pg-pools');
    return createDatabasePools(config.section('database'), secrets);
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

/**
 * The database pools for later use: the database section is checked now, the pools built on first use.
 *
 * @example
 * const database = databaseOnFirstUse(clients); // throws ConfigurationError if DB_* is misconfigured
 * const pools = await database();
 */
export function databaseOnFirstUse(clients: SharedClients): () => Promise<DatabasePools> {
  return clients.configured(DATABASE);
}
