/**
 * The cache-aside `Cache` port on Redis (ElastiCache Valkey on AWS): GET, SET with EX, DEL, each
 * wrapped (`guardRedis`, the same policy as the session store) so that an outage is an
 * EngineUnavailableError the core can ride through, failing at once while the client is known to
 * be disconnected.
 *
 * @example
 * const cache = createRedisCache(await sharedRedis(clients));
 * await cache.set('profile:alice', '{"name":"Alice"}', 60);
 */
import type Redis from 'ioredis';
import type { Cache } from '../core/cache-aside';
import { guardRedis } from './redis-guard';

export function createRedisCache(client: Redis): Cache {
  const run = <T>(operation: () => Promise<T>): Promise<T> => guardRedis(client, operation);
  return {
    get: (key) => run(async () => (await client.get(key)) ?? undefined),
    set: (key, value, ttlSeconds) =>
      run(async () => {
        await client.set(key, value, 'EX', ttlSeconds);
      }),
    del: (key) =>
      run(async () => {
        await client.del(key);
      }),
  };
}
