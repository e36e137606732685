/**
 * Builds the Redis (ElastiCache Valkey) client once per cold start. Timeouts are short and
 * bounded so that a dead cache turns into a 503 within about a second instead of a hang.
 */
import Redis, { type RedisOptions } from 'ioredis';
import type { RedisConfig } from '../config/runtime-config';
import type { SecretResolver } from './secrets';

export const REDIS_COMMAND_TIMEOUT_MS = 1000;

export async function createRedisClient(
  config: RedisConfig,
  secrets: SecretResolver,
  overrides: Partial<RedisOptions> = {},
): Promise<Redis> {
  const password = config.auth === undefined ? undefined : await secrets.resolve(config.auth);
  return new Redis({
    host: config.host,
    port: config.port,
    password,
    tls: config.tls ? { servername: config.host } : undefined,
    connectTimeout: 2000,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    ...overrides,
  });
}
