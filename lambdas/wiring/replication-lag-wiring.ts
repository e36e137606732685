/**
 * Assembles the replication-lag probe from configuration: the one way both hosts build it.
 * Nothing connects here; the first request opens the pools.
 */
import { probeReplicationLag } from '../core/replication-lag';
import { createPgWalStatusReader } from '../adapters/pg-wal-status';
import type { RegisterRoutes } from '../http/app';
import { replicationLagRoutes } from '../http/replication-lag-routes';
import { once } from '../core/once';
import type { SharedClients } from './shared-clients';
import { databaseOnFirstUse } from './shared-database';

/**
 * How long the probe waits for any one node: a frozen node is reported `reachable: false` with
 * `error: 'timeout'` after this, instead of holding the answer for the driver's timeouts (seconds).
 */
export const LAG_PROBE_BUDGET_MS = 1000;

/**
 * Builds `GET /replication/lag` over the primary and the replicas of DB_PRIMARY_HOST / DB_REPLICAS.
 *
 * @example
 * const routes = await buildReplicationLagRoutes(createSharedClients(readRuntimeConfig(process.env)));
 */
export async function buildReplicationLagRoutes(clients: SharedClients): Promise<RegisterRoutes> {
  const database = databaseOnFirstUse(clients); // a misconfiguration fails the cold start, not a request
  const reader = once(async () => createPgWalStatusReader(await database()));
  return replicationLagRoutes({ probe: async () => probeReplicationLag(await reader(), { budgetMs: LAG_PROBE_BUDGET_MS }) });
}
