/**
 * The lab target: the local architecture (harness/local-architecture.ts, the same one `npm start`
 * shows) started here on 127.0.0.1 and stopped at the end:
 * - PostgreSQL primary + 1 streaming replica, Redis, two dynalite "Regions" joined by the lab's
 *   global-table replicator (last-writer-wins, 300 ms delay);
 * - one HAProxy as the ALB: the Fargate tier (2 container-server instances, Redis sessions,
 *   stickiness switched at run time) as its default route, the Lambda tier under `/lambda`, as on AWS;
 * - the Lambda tier: 2 shims running the deployed handler bundles (one ALB event per request, one
 *   invocation at a time per execution environment), never sticky (ALB stickiness does not apply to
 *   Lambda targets), signed-cookie sessions, so that one run proves both stateless strategies; its
 *   primary through pgbouncer (RDS Proxy), replicas direct;
 * - one writer per Region (the container server with that Region's DynamoDB endpoint), reached
 *   directly as a Function URL would be.
 */
import { randomBytes } from 'node:crypto';
import { ENV } from '../../lambdas/config/env-names';
import { installSignalHandlers } from '../../harness';
import { startLocalArchitecture } from '../../harness/local-architecture';
import { LAMBDA_PATH_PREFIX } from '../../lambdas/http/pattern-paths';
import { capabilityReport } from '../capabilities';
import { RegionalClient } from '../http/regional-client';
import type { E2eTarget, Log, RegionalEndpoint } from './target';

export const LAB_REGIONS = ['us-east-1', 'us-west-2'] as const;
const TABLE_NAME = 'patterns-e2e';
const REPLICATION_DELAY_MS = 300;
const INSTANCES_PER_TIER = 2;
const REQUEST_TIMEOUT_MS = 5000;

/**
 * Starts the lab and returns it as a target; on any failure, stops what was started and rethrows.
 *
 * @example
 * const target = await startLabTarget(console.error);
 * try { ... } finally { await target.close(); }
 */
export async function startLabTarget(log: Log): Promise<E2eTarget> {
  installSignalHandlers(); // Ctrl-C stops every engine before exiting
  const arch = await startLocalArchitecture({
    replicas: 1,
    regions: LAB_REGIONS,
    tableName: TABLE_NAME,
    replicationDelayMs: REPLICATION_DELAY_MS,
    fargate: { count: INSTANCES_PER_TIER, env: { [ENV.sessionStore]: 'redis' } },
    lambda: { count: INSTANCES_PER_TIER, env: { [ENV.sessionStore]: 'cookie', [ENV.sessionSigningKey]: randomBytes(32).toString('hex') } },
    alb: { sticky: false },
    onPhase: (line) => log(line),
  });
  const replicator = arch.engines.replicator;
  if (replicator === undefined) {
    await arch.cleanup.close();
    throw new Error('the lab runs the global-table replicator');
  }
  const regions: RegionalEndpoint[] = LAB_REGIONS.map((region, i) => ({ region, url: arch.writers[i].url }));
  const clients = new Map(regions.map((r) => [r.region, new RegionalClient({ url: r.url, region: r.region, timeoutMs: REQUEST_TIMEOUT_MS })]));

  return {
    name: 'lab',
    description:
      `lab on 127.0.0.1: HAProxy as the ALB, ${INSTANCES_PER_TIER} container instances, ${INSTANCES_PER_TIER} Lambda shims running the deployed ` +
      `bundles under ${LAMBDA_PATH_PREFIX} (primary through pgbouncer, transaction mode), ` +
      `PostgreSQL 1 replica, Redis, dynalite ${LAB_REGIONS.join(' + ')} with replication (${REPLICATION_DELAY_MS} ms)`,
    capabilities: capabilityReport(),
    tiers: {
      fargate: { tier: 'fargate', baseUrl: arch.url, pathPrefix: '', expectedTierLabel: 'fargate' },
      lambda: { tier: 'lambda', baseUrl: arch.url, pathPrefix: LAMBDA_PATH_PREFIX, expectedTierLabel: 'lambda' },
    },
    regions,
    loadBalancerCookie: /^SERVERID$/,
    stickinessMode: 'lb',
    setSticky: (on) => arch.alb.setSticky(on),
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
    close: () => arch.cleanup.close((error) => log(`cleanup failed: ${error.message}`)),
  };
}
