/**
 * The lab target: every engine and instance started here, on 127.0.0.1, and stopped at the end.
 * - PostgreSQL primary + 1 streaming replica, Redis, two dynalite "Regions" joined by the lab's
 *   global-table replicator (last-writer-wins, 300 ms delay);
 * - the container tier: 2 container-server instances behind HAProxy (the ALB's default route),
 *   Redis sessions, stickiness switched at run time;
 * - the Lambda tier: a second pool of 2 instances behind a second HAProxy, never sticky (ALB
 *   stickiness does not apply to Lambda targets), signed-cookie sessions, so that one run proves
 *   both stateless strategies. As on AWS, it reaches the primary through a transaction-pooling
 *   proxy (pgbouncer standing in for RDS Proxy) with a pool of 2 per instance; replicas stay direct. A pool of its own rather than a path rewrite on the first HAProxy:
 *   on AWS the two tiers are separate fleets, and the harness's HAProxy stays the plain ALB stand-in;
 *   the checks reach it without the `/lambda` prefix (the Lambda handlers strip it on AWS);
 * - one writer per Region (the container server with that Region's DynamoDB endpoint), reached
 *   directly as a Function URL would be.
 */
import { randomBytes } from 'node:crypto';
import { ENV } from '../../lambdas/config/env-names';
import {
  type AppInstance,
  type GlobalTableReplicator,
  type Haproxy,
  installSignalHandlers,
  startAppInstances,
  startDynamoRegions,
  startGlobalTableReplicator,
  startHaproxy,
  startPgBouncer,
  startPostgresCluster,
  startRedis,
} from '../../harness';
import { createGlobalTable } from '../../harness/global-table-setup';
import { capabilityReport } from '../capabilities';
import { RegionalClient } from '../http/regional-client';
import type { E2eTarget, Log, RegionalEndpoint, TierEndpoint } from './target';
import { LAMBDA_DB_POOL_MAX } from '../../lib/config/connection-budget';
import type { ComputeTier } from '../../lambdas/config/vocabulary';

export const LAB_REGIONS = ['us-east-1', 'us-west-2'] as const;
const TABLE_NAME = 'patterns-e2e';
const REPLICATION_DELAY_MS = 300;
const INSTANCES_PER_TIER = 2;
/** Server connections pgbouncer keeps for the app role: fewer than the Lambda tier's client connections. */
const PROXY_POOL_SIZE = 3;
const REQUEST_TIMEOUT_MS = 5000;
/** Dummy credentials for dynalite; every endpoint is explicit, so nothing reaches AWS. */
const LOCAL_AWS_ENV = { AWS_ACCESS_KEY_ID: 'local-lab', AWS_SECRET_ACCESS_KEY: 'local-lab', AWS_EC2_METADATA_DISABLED: 'true' };

/** Runs `start`, registering `stop` for teardown before anything else can fail. */
type Starter = <T>(start: () => Promise<T>, stop: (started: T) => Promise<unknown>) => Promise<T>;

/**
 * Starts the lab and returns it as a target; on any failure, stops what was started and rethrows.
 *
 * @example
 * const target = await startLabTarget(console.error);
 * try { ... } finally { await target.close(); }
 */
export async function startLabTarget(log: Log): Promise<E2eTarget> {
  installSignalHandlers(); // Ctrl-C stops every engine before exiting
  const stops: Array<() => Promise<unknown>> = [];
  const started: Starter = async (start, stop) => {
    const value = await start();
    stops.push(() => stop(value));
    return value;
  };
  const close = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((error: Error) => log(`cleanup failed: ${error.message}`));
  };
  try {
    return await startLab(started, close, log);
  } catch (error) {
    await close();
    throw error;
  }
}

async function startLab(started: Starter, close: () => Promise<void>, log: Log): Promise<E2eTarget> {
  log('starting PostgreSQL (primary + 1 replica), Redis and two dynalite Regions');
  const [cluster, redis, dynamo] = await Promise.all([
    started(() => startPostgresCluster({ replicas: 1 }), (c) => c.stop()),
    started(() => startRedis(), (r) => r.stop()),
    started(() => startDynamoRegions([...LAB_REGIONS]), (d) => d.stop()),
  ]);
  await createGlobalTable(dynamo.endpoints, TABLE_NAME);
  const replicator: GlobalTableReplicator = await started(
    () => startGlobalTableReplicator({ regions: dynamo.endpoints, tableName: TABLE_NAME, delayMs: REPLICATION_DELAY_MS }),
    (r) => r.stop(),
  );

  const master = { user: cluster.user, password: cluster.password };
  const proxy = await started(
    () => startPgBouncer({ server: { port: cluster.primary.port, credentials: master }, users: [master, cluster.app], poolSize: PROXY_POOL_SIZE }),
    (p) => p.stop(),
  );

  log(`starting ${INSTANCES_PER_TIER} + ${INSTANCES_PER_TIER} app instances and ${LAB_REGIONS.length} regional writers`);
  const dataEnv = { ...cluster.appEnv(), ...redis.appEnv() };
  const stopAll = (apps: readonly AppInstance[]) => Promise.all(apps.map((app) => app.stop()));
  const [fargate, lambda, ...writers] = await Promise.all([
    started(
      () => startAppInstances({ count: INSTANCES_PER_TIER, namePrefix: 'fargate', env: { ...dataEnv, [ENV.sessionStore]: 'redis' } }),
      stopAll,
    ),
    started(
      () =>
        startAppInstances({
          count: INSTANCES_PER_TIER,
          namePrefix: 'lambda',
          env: {
            ...dataEnv,
            ...proxy.appEnv(),
            [ENV.dbPoolMax]: String(LAMBDA_DB_POOL_MAX),
            [ENV.sessionStore]: 'cookie',
            [ENV.sessionSigningKey]: randomBytes(32).toString('hex'),
          },
        }),
      stopAll,
    ),
    ...LAB_REGIONS.map((region) =>
      started(
        () =>
          startAppInstances({
            count: 1,
            namePrefix: `writer-${region}`,
            env: {
              ...LOCAL_AWS_ENV,
              [ENV.region]: region,
              [ENV.globalTableName]: TABLE_NAME,
              [ENV.globalConsistency]: 'eventual',
              [ENV.dynamodbEndpoint]: replicator.endpoints[region],
            },
          }),
        stopAll,
      ),
    ),
  ]);

  log('starting HAProxy in front of each tier');
  const [fargateLb, lambdaLb]: Haproxy[] = await Promise.all([
    started(() => startHaproxy({ backends: fargate, sticky: false }), (lb) => lb.stop()),
    started(() => startHaproxy({ backends: lambda, sticky: false }), (lb) => lb.stop()),
  ]);

  const tier = (name: ComputeTier, lb: Haproxy): TierEndpoint => ({
    tier: name,
    baseUrl: lb.url,
    pathPrefix: '',
    expectedTierLabel: 'local',
  });
  const regions: RegionalEndpoint[] = LAB_REGIONS.map((region, i) => ({ region, url: writers[i][0].url }));
  const clients = new Map(regions.map((r) => [r.region, new RegionalClient({ url: r.url, region: r.region, timeoutMs: REQUEST_TIMEOUT_MS })]));

  return {
    name: 'lab',
    description:
      `lab on 127.0.0.1: HAProxy + ${INSTANCES_PER_TIER} container instances, HAProxy + ${INSTANCES_PER_TIER} "Lambda" instances ` +
      `(primary through pgbouncer, transaction mode), ` +
      `PostgreSQL 1 replica, Redis, dynalite ${LAB_REGIONS.join(' + ')} with replication (${REPLICATION_DELAY_MS} ms)`,
    capabilities: capabilityReport(),
    tiers: { fargate: tier('fargate', fargateLb), lambda: tier('lambda', lambdaLb) },
    regions,
    loadBalancerCookie: /^SERVERID$/,
    stickinessMode: 'lb',
    setSticky: (on) => fargateLb.setSticky(on),
    regionalClient(region) {
      const client = clients.get(region);
      if (client === undefined) throw new Error(`the lab has no writer in ${region}`);
      return client;
    },
    replicationTimeoutMs: 10_000,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    checkTimeoutMs: 30_000,
    async holdReplication(act) {
      replicator.setDelay(60_000);
      try {
        return await act();
      } finally {
        await replicator.flush();
        replicator.setDelay(REPLICATION_DELAY_MS);
      }
    },
    close,
  };
}
