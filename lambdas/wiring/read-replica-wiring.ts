/**
 * Assembles read/write splitting with read-your-writes from configuration: the one way both hosts
 * (Lambda handler, container server) build it. Nothing connects here; the first request opens the
 * pools (the schema was migrated at deploy time, see `pg-migrations.ts`).
 */
import { systemClock, type Clock } from '../core/clock';
import { ReadReplicaRouter } from '../core/read-replica-router';
import { findNote, insertNote } from '../adapters/pg-notes-repository';
import { createPgWalStatusReader } from '../adapters/pg-wal-status';
import type { RegisterRoutes } from '../http/app';
import { readReplicaRoutes } from '../http/read-replica-routes';
import { once } from '../core/once';
import type { SharedClients } from './shared-clients';
import { databaseOnFirstUse } from './shared-database';

export interface ReadReplicaWiringOptions {
  /** @default systemClock */
  readonly clock?: Clock;
  /** How long the router reuses a replica health/lag snapshot. @default 500 */
  readonly statusTtlMs?: number;
}

/**
 * Builds the `/notes` routes over the primary and the replicas of DB_PRIMARY_HOST / DB_REPLICAS,
 * skipping replicas further behind than DB_MAX_REPLICA_LAG_BYTES and waiting up to
 * DB_READ_YOUR_WRITES_WAIT_MS for a replica to replay a client's last write.
 *
 * @example
 * const routes = await buildReadReplicaRoutes(createSharedClients(readRuntimeConfig(process.env)));
 * createPatternApp(identity, [routes]);
 */
export async function buildReadReplicaRoutes(
  clients: SharedClients,
  options: ReadReplicaWiringOptions = {},
): Promise<RegisterRoutes> {
  const config = clients.config.section('database'); // a misconfiguration fails the cold start, not a request
  const { forwardedProtoHeader } = clients.config.section('http');
  const database = databaseOnFirstUse(clients);
  const router = once(async () => {
    const pools = await database();
    return new ReadReplicaRouter({
      primary: pools.primary,
      replicas: pools.replicas,
      wal: createPgWalStatusReader(pools),
      maxReplicaLagBytes: config.maxReplicaLagBytes,
      readYourWritesWaitMs: config.readYourWritesWaitMs,
      clock: options.clock ?? systemClock,
      statusTtlMs: options.statusTtlMs,
    });
  });
  return readReplicaRoutes({
    writeNote: async (text) => insertNote((await router()).primary, text),
    readNote: async (id, readOptions) => (await router()).read(readOptions, (node) => findNote(node, id)),
    forwardedProtoHeader,
  });
}
