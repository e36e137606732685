/**
 * The process's Redis client (ElastiCache Valkey on AWS), for the patterns that use one: sessions
 * with the Redis strategy and cache-aside. ioredis is evaluated when the client is first built:
 * the session handler with the memory or cookie strategy never loads it.
 */
import type Redis from 'ioredis';
import type { SharedClientSpec, SharedClients } from './shared-clients';

const REDIS: SharedClientSpec<Redis> = {
  name: 'redis',
  sections: ['redis'],
  build: async (config, secrets) => {
    const { createRedisClient } = require('../adapters/redis-client') as typeof import('../adapters/redis-client');
    return createRedisClient(config.section('redis'), secrets);
  },
  // QUIT needs a connection: on a client still (re)connecting it waits in the offline queue while the
  // reconnect timer keeps the process alive; disconnect() stops the timer at once.
  close: async (client) => {
    if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
    else client.disconnect();
  },
};

/**
 * The Redis client of this process, built from REDIS_* on first use (bounded timeouts, see
 * `redis-client.ts`); no connection is made before that.
 *
 * @example
 * const store = new RedisSessionStore({ client: await sharedRedis(clients) });
 */
export function sharedRedis(clients: SharedClients): Promise<Redis> {
  return clients.use(REDIS);
}

/**
 * The Redis client for later use: the redis section is checked now, the client built on first use.
 *
 * @example
 * const redis = redisOnFirstUse(clients); // throws ConfigurationError if REDIS_* is misconfigured
 */
export function redisOnFirstUse(clients: SharedClients): () => Promise<Redis> {
  return clients.configured(REDIS);
}
