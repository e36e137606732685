/**
 * Assembles the counters (independence vs coordination) from configuration: the one way both
 * hosts build them. Nothing connects here; the first request opens the pools.
 */
import { readCounterConfig, readDatabaseConfig } from '../config/runtime-config';
import { Counters } from '../core/counters';
import { createPgCounterStore } from '../adapters/pg-counters-repository';
import type { RegisterRoutes } from '../http/app';
import { counterRoutes } from '../http/counter-routes';
import { once, type SharedClients } from './shared-clients';

/**
 * Builds the `/counters` routes; sharded counters spread over COUNTER_SHARDS rows.
 *
 * @example
 * const routes = await buildCounterRoutes(createSharedClients(process.env));
 */
export async function buildCounterRoutes(clients: SharedClients): Promise<RegisterRoutes> {
  const { shards } = readCounterConfig(clients.env);
  readDatabaseConfig(clients.env); // a misconfiguration fails the cold start, not a request
  const counters = once(async () => {
    const pools = await clients.database();
    return new Counters({ store: createPgCounterStore(pools.primary), shards });
  });
  return counterRoutes({ counters });
}
