/**
 * Assembles the counters (independence vs coordination) from configuration: the one way both
 * hosts build them. Nothing connects here; the first request opens the pools.
 */
import { Counters } from '../core/counters';
import { createPgCounterStore } from '../adapters/pg-counters-repository';
import type { RegisterRoutes } from '../http/app';
import { counterRoutes } from '../http/counters-routes';
import { once } from '../core/once';
import type { SharedClients } from './shared-clients';
import { databaseOnFirstUse } from './shared-database';

/**
 * Builds the `/counters` routes; sharded counters spread over COUNTER_SHARDS rows, and with
 * COUNTER_WORK_MS > 0 every increment is a read-modify-write holding its row's lock that long.
 *
 * @example
 * const routes = await buildCounterRoutes(createSharedClients(readRuntimeConfig(process.env)));
 */
export async function buildCounterRoutes(clients: SharedClients): Promise<RegisterRoutes> {
  const { shards, workMs } = clients.config.section('counter');
  const database = databaseOnFirstUse(clients); // a misconfiguration fails the cold start, not a request
  const counters = once(async () => {
    const pools = await database();
    return new Counters({ store: createPgCounterStore(pools.primary), shards, workMs });
  });
  return counterRoutes({ counters });
}
