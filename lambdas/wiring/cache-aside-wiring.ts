/**
 * Assembles cache-aside from configuration: the one way both hosts build it. Nothing connects
 * here; the first request opens Redis and the database pools.
 *
 * Reads that miss are filled from the PRIMARY, not a replica: right after a write deletes the
 * cached entry, a lagging replica still has the old row, and a miss filled from it would put the
 * stale value back in the cache for a whole TTL. The cache already takes the read load off the
 * primary; replicas would add staleness, not capacity that matters here.
 */
import { CacheAside, type CacheOutageReport } from '../core/cache-aside';
import type { Clock } from '../core/clock';
import { findProfile, isProfile, saveProfile, type Profile } from '../adapters/pg-profiles-repository';
import { createRedisCache } from '../adapters/redis-cache';
import type { RegisterRoutes } from '../http/app';
import { cacheAsideRoutes } from '../http/cache-aside-routes';
import type { RequestLogger } from '../observability/request-logger';
import { once } from '../core/once';
import type { SharedClients } from './shared-clients';
import { databaseOnFirstUse } from './shared-database';
import { redisOnFirstUse } from './shared-redis';

/** Wall-clock milliseconds with sub-millisecond resolution, so that a cache hit does not read as 0 ms. */
const preciseClock: Clock = { now: () => performance.timeOrigin + performance.now() };

/** A cache outage goes to the log of the request that rode through it. */
function cacheOutageLog(log: RequestLogger): CacheOutageReport {
  return (error) => log.warn('cache unavailable; serving from the database', { error: error.message, kind: error.kind });
}

export interface CacheAsideWiringOptions {
  /** @default a sub-millisecond wall clock */
  readonly clock?: Clock;
}

/**
 * Builds the `/profiles` routes: Redis (`profile:<id>`, CACHE_TTL_SECONDS) in front of PostgreSQL.
 *
 * @example
 * const routes = await buildCacheAsideRoutes(createSharedClients(readRuntimeConfig(process.env)));
 */
export async function buildCacheAsideRoutes(
  clients: SharedClients,
  options: CacheAsideWiringOptions = {},
): Promise<RegisterRoutes> {
  const { ttlSeconds } = clients.config.section('cache');
  // Misconfigured clients fail the cold start, not a request.
  const database = databaseOnFirstUse(clients);
  const redisClient = redisOnFirstUse(clients);
  const parts = once(async () => {
    const [pools, redis] = await Promise.all([database(), redisClient()]);
    const profiles = new CacheAside<Profile>({
      cache: createRedisCache(redis),
      keyPrefix: 'profile:',
      ttlSeconds,
      load: (id) => findProfile(pools.primary, id),
      isValue: isProfile,
      clock: options.clock ?? preciseClock,
    });
    return { profiles, primary: pools.primary };
  });
  return cacheAsideRoutes({
    readProfile: async (id, log) => (await parts()).profiles.get(id, cacheOutageLog(log)),
    writeProfile: async (id, fields, log) => {
      const { profiles, primary } = await parts();
      return profiles.update(id, () => saveProfile(primary, { id, ...fields }), cacheOutageLog(log));
    },
  });
}
