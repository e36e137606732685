/**
 * Clients shared by the patterns of one process, each built lazily on first use and only once:
 * a Lambda handler builds the one or two it needs, the container server shares them across all
 * routes. `close()` ends every client that was built (container shutdown, tests).
 */
import type Redis from 'ioredis';
import { type Env, readDatabaseConfig, readRedisConfig } from '../config/runtime-config';
import type { DatabasePools } from '../adapters/pg-pools';
import { createRedisClient } from '../adapters/redis-client';
import { createSecretResolver, type SecretResolver } from '../adapters/secrets';

export interface SharedClients {
  readonly env: Env;
  readonly secrets: SecretResolver;
  redis(): Promise<Redis>;
  /** PostgreSQL pools (primary + replicas); the first call of a process also applies migrations. */
  database(): Promise<DatabasePools>;
  close(): Promise<void>;
}

export function once<T>(build: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= build().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

export function createSharedClients(env: Env, secrets: SecretResolver = createSecretResolver()): SharedClients {
  const closers: Array<() => Promise<unknown>> = [];
  const redis = once(async () => {
    const client = await createRedisClient(readRedisConfig(env), secrets);
    closers.push(() => client.quit().catch(() => client.disconnect()));
    return client;
  });
  const database = once(async () => {
    // Loaded on first use: a handler that never calls database() does not pay for evaluating `pg`
    // at cold start (the bundler defers a module reached only through require()).
    const { createDatabasePools } = require('../adapters/pg-pools') as typeof import('../adapters/pg-pools');
    const { runMigrations } = require('../adapters/pg-migrations') as typeof import('../adapters/pg-migrations');
    const pools = await createDatabasePools(readDatabaseConfig(env), secrets);
    try {
      await runMigrations(pools.primary);
    } catch (error) {
      await pools.close();
      throw error;
    }
    closers.push(() => pools.close());
    return pools;
  });
  return {
    env,
    secrets,
    redis,
    database,
    async close() {
      await Promise.allSettled(closers.splice(0).map((close) => close()));
    },
  };
}
