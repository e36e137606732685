/**
 * The cache-aside `Cache` port on Redis (ElastiCache Valkey on AWS): GET, SET with EX, DEL, each
 * wrapped so that an outage is an EngineUnavailableError the core can ride through. While the
 * client is already known to be disconnected it fails at once, instead of queueing the command
 * for the full command timeout on every request.
 *
 * @example
 * const cache = createRedisCache(await sharedRedis(clients));
 * await cache.set('profile:alice', '{"name":"Alice"}', 60);
 */
import type Redis from 'ioredis';
import type { Cache } from '../core/cache-aside';
import { EngineUnavailableError } from '../core/errors';
import { guardEngine } from './engine-errors';

const DISCONNECTED = new Set(['reconnecting', 'close', 'end']);

export function createRedisCache(client: Redis): Cache {
  const run = <T>(operation: () => Promise<T>): Promise<T> => {
    if (DISCONNECTED.has(client.status)) {
      return Promise.reject(new EngineUnavailableError('redis', `connection is ${client.status}`));
    }
    return guardEngine('redis', operation);
  };
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
