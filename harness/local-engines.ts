/**
 * The data engines of the local architecture, started in parallel and registered on one cleanup
 * stack as each comes up: PostgreSQL (primary + replicas), Redis, dynalite Regions with the global
 * table (joined by the global-table replicator, or reached directly), pgbouncer in front of the
 * primary for the Lambda tier (RDS Proxy on AWS), and moto_server when asked.
 *
 * @example
 * const cleanup = new CleanupStack();
 * const engines = await cleanup.orClose(() => startLocalEngines(cleanup, { replicas: 1, regions: ['us-east-1'] }));
 * spawn(..., { env: { ...engines.dataEnv(), ...engines.regionEnv('us-east-1') } });
 */
import { ENV } from '../lambdas/config/env-names';
import type { CleanupStack } from './cleanup-stack';
import { startDynamoRegions } from './dynamo-regions';
import { startGlobalTableReplicator, type GlobalTableReplicator } from './multi-master-replicator';
import { createGlobalTable, LAB_CREDENTIALS } from './multi-master-setup';
import { startMotoServer, type MotoServer } from './moto-server';
import { startPgBouncer, type PgBouncer } from './pgbouncer';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster';
import { startRedis, type RedisEngine } from './redis-engine';

/**
 * What a regional writer needs to write to its Region's local table: that Region's dynalite
 * endpoint, the table, eventual consistency, and dummy credentials (every endpoint is local).
 */
export function multiMasterRegionEnv(region: string, tableName: string, endpoint: string): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: LAB_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LAB_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    [ENV.region]: region,
    [ENV.globalTableName]: tableName,
    [ENV.globalConsistency]: 'eventual',
    [ENV.dynamodbEndpoint]: endpoint,
  };
}

export interface LocalEnginesOptions {
  /** Streaming replicas of the primary. @default 2 */
  readonly replicas?: number;
  /** dynalite Regions holding the global table (the first is the primary Region). @default - none */
  readonly regions?: readonly string[];
  /** @default 'patterns-local' */
  readonly tableName?: string;
  /** Join the Regions with the global-table replicator, each write replicated after this delay. @default - no replicator */
  readonly replicationDelayMs?: number;
  /** pgbouncer (transaction pooling) in front of the primary, with this many server connections. @default - no proxy */
  readonly proxyPoolSize?: number;
  /** moto_server, for Secrets Manager and RDS control-plane calls. @default false */
  readonly moto?: boolean;
  /** Work to overlap with the engines' start-up (e.g. building bundles). */
  readonly alongside?: ReadonlyArray<Promise<unknown>>;
}

export interface LocalEngines {
  readonly cluster: PostgresCluster;
  readonly redis: RedisEngine;
  readonly proxy?: PgBouncer;
  readonly replicator?: GlobalTableReplicator;
  readonly moto?: MotoServer;
  readonly tableName: string;
  /** Each Region's DynamoDB endpoint (through the replicator when there is one). */
  readonly dynamoEndpoints: Readonly<Record<string, string>>;
  /** PostgreSQL (as the app role) and Redis: what every app process needs. */
  dataEnv(): Record<string, string>;
  /** The same, with the primary reached through the proxy (the Lambda tier; replicas stay direct). */
  pooledDataEnv(): Record<string, string>;
  /** A Region's DynamoDB endpoint, the table and dummy credentials (every endpoint is local). */
  regionEnv(region: string): Record<string, string>;
}

/** Starts the engines; each one is on `cleanup` as soon as it is up (a failure leaves closing to the caller). */
export async function startLocalEngines(cleanup: CleanupStack, options: LocalEnginesOptions = {}): Promise<LocalEngines> {
  const tableName = options.tableName ?? 'patterns-local';
  const regionNames = options.regions ?? [];
  // The Regions (dynalite, the table, the replicator) are ready long before PostgreSQL: chained apart.
  const regions = async () => {
    if (regionNames.length === 0) return { endpoints: {}, replicator: undefined };
    const dynamo = await cleanup.started(() => startDynamoRegions([...regionNames]), (d) => d.stop());
    await createGlobalTable(dynamo.endpoints, tableName);
    if (options.replicationDelayMs === undefined) return { endpoints: dynamo.endpoints, replicator: undefined };
    const delayMs = options.replicationDelayMs;
    const replicator = await cleanup.started(() => startGlobalTableReplicator({ regions: dynamo.endpoints, tableName, delayMs }), (r) => r.stop());
    return { endpoints: replicator.endpoints, replicator };
  };
  const withProxy = async () => {
    const cluster = await cleanup.started(() => startPostgresCluster({ replicas: options.replicas ?? 2 }), (c) => c.stop());
    if (options.proxyPoolSize === undefined) return { cluster, proxy: undefined };
    const master = { user: cluster.user, password: cluster.password };
    const proxy = await cleanup.started(
      () => startPgBouncer({ server: { port: cluster.primary.port, credentials: master }, users: [master, cluster.app], poolSize: options.proxyPoolSize }),
      (p) => p.stop(),
    );
    return { cluster, proxy };
  };
  const [{ cluster, proxy }, redis, dynamo, moto] = await Promise.all([
    withProxy(),
    cleanup.started(() => startRedis(), (r) => r.stop()),
    regions(),
    options.moto === true ? cleanup.started(() => startMotoServer(), (m) => m.stop()) : Promise.resolve(undefined),
    ...(options.alongside ?? []),
  ]);
  return {
    cluster,
    redis,
    proxy,
    replicator: dynamo.replicator,
    moto,
    tableName,
    dynamoEndpoints: dynamo.endpoints,
    dataEnv: () => ({ ...cluster.appEnv(), ...redis.appEnv() }),
    pooledDataEnv: () => ({ ...cluster.appEnv(), ...redis.appEnv(), ...(proxy?.appEnv() ?? {}) }),
    regionEnv: (region) => {
      const endpoint = dynamo.endpoints[region];
      if (endpoint === undefined) throw new Error(`region: got ${JSON.stringify(region)}; allowed: ${Object.keys(dynamo.endpoints).join(', ')}`);
      return multiMasterRegionEnv(region, tableName, endpoint);
    },
  };
}
