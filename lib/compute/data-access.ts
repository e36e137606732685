import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env-names';
import type { CacheAccess, DatabaseAccess } from '../data/data-references';
import type { SessionStoreKind } from '../../lambdas/config/vocabulary';

/** How one tier's processes reach the database. */
export interface DatabaseRouting {
  /** Connections per pool (primary and each replica) in one process: `DB_POOL_MAX`. */
  readonly poolMax: number;
  /** Primary traffic through the proxy, when there is one. */
  readonly viaProxy: boolean;
  /** Read replicas (always direct: a proxy for RDS instances attaches to the writer only). */
  readonly replicas: boolean;
}

/** The data plane the stateless tiers use, as handed over by the data stack (data only: no configuration). */
export interface PatternData {
  readonly database: DatabaseAccess;
  readonly cache: CacheAccess;
  readonly sessionSigningKey: secretsmanager.ISecret;
}

/** What a pattern's code talks to; decides its environment, secret grants and network access. */
export type PatternDependency = 'database' | 'cache' | 'sessions';

export interface PatternAccess {
  /** Plain environment: endpoints, modes and secret ARNs (never secret values). */
  readonly environment: Record<string, string>;
  /** What the process must be allowed to log in to (the stores' `grantConnect`, the signing key's `grantRead`). */
  readonly grants: ReadonlyArray<(grantee: iam.IGrantable) => iam.Grant>;
  /** Data stores the process must be able to reach on the network, each on its default port. */
  readonly stores: ReadonlyArray<{ readonly store: ec2.IConnectable; readonly name: string }>;
}

/** The port a store listens on (its `connections.defaultPort`, which every data construct sets). */
function defaultPortOf(store: ec2.IConnectable): ec2.Port {
  const port = store.connections.defaultPort;
  if (port === undefined) throw new Error('a data store without a default port: its connections must set one');
  return port;
}

const portNumberOf = (store: ec2.IConnectable) => String(defaultPortOf(store).toRuleJson().fromPort);

/**
 * The one place that decides how a process reaches the data plane for a set of patterns: both tiers
 * (each Lambda function, and the Fargate task that serves every pattern) are configured from it.
 * Secrets travel as ARNs and are resolved by the runtime, which re-reads them after a rotation.
 */
export function patternAccess(
  uses: readonly PatternDependency[],
  data: PatternData,
  routing: DatabaseRouting,
  sessionStore: SessionStoreKind,
): PatternAccess {
  const environment: Record<string, string> = {};
  const grants: Array<(grantee: iam.IGrantable) => iam.Grant> = [];
  const stores: Array<{ store: ec2.IConnectable; name: string }> = [];
  const { database, cache } = data;

  if (uses.includes('database')) {
    const proxy = routing.viaProxy ? database.proxy : undefined;
    const replicas = routing.replicas ? database.replicas : [];
    Object.assign(environment, {
      [ENV.dbPrimaryHost]: proxy?.endpoint ?? database.primary.dbInstanceEndpointAddress,
      [ENV.dbPrimaryPort]: proxy === undefined ? database.primary.dbInstanceEndpointPort : portNumberOf(proxy),
      [ENV.dbReplicas]: replicas.map((replica) => `${replica.dbInstanceEndpointAddress}:${replica.dbInstanceEndpointPort}`).join(','),
      [ENV.dbName]: database.databaseName,
      // RDS and the proxy require TLS; verify the server (RDS CA bundle, or the proxy's Amazon CA).
      [ENV.dbSsl]: 'verify-full',
      [ENV.dbSecretArn]: database.appSecret.secretArn,
      [ENV.dbPoolMax]: String(routing.poolMax),
    });
    grants.push((grantee) => database.grantConnect(grantee));
    if (proxy !== undefined) stores.push({ store: proxy, name: 'Proxy' });
    if (proxy === undefined || replicas.length > 0) stores.push({ store: database, name: 'Database' });
  }
  const sessionsInRedis = uses.includes('sessions') && sessionStore === 'redis';
  if (uses.includes('cache') || sessionsInRedis) {
    Object.assign(environment, {
      [ENV.redisHost]: cache.endpointAddress,
      [ENV.redisPort]: portNumberOf(cache),
      [ENV.redisTls]: 'true',
      [ENV.redisAuthSecretArn]: cache.authSecret.secretArn,
    });
    grants.push((grantee) => cache.grantConnect(grantee));
    stores.push({ store: cache, name: 'Cache' });
  }
  if (uses.includes('sessions')) {
    environment[ENV.sessionStore] = sessionStore;
    if (sessionStore === 'cookie') {
      environment[ENV.sessionSigningKeySecretArn] = data.sessionSigningKey.secretArn;
      grants.push((grantee) => data.sessionSigningKey.grantRead(grantee));
    }
  }
  return { environment, grants, stores };
}

/**
 * Lets `peer` reach each store's default port. The ingress rule is created in the consumer's stack
 * (`scope`) on an imported copy of the store's security group, so that the stateful stack never
 * depends on the stateless one (which would be a dependency cycle): `store.connections.allowDefaultPortFrom(peer)`
 * would write the rule into the store's own stack.
 */
export function allowReach(scope: Construct, access: PatternAccess, peer: ec2.IConnectable, description: string): void {
  for (const store of access.stores) {
    const id = `${store.name}Access`;
    if (scope.node.tryFindChild(id) !== undefined) continue;
    const target = ec2.SecurityGroup.fromSecurityGroupId(scope, id, store.store.connections.securityGroups[0].securityGroupId);
    target.connections.allowFrom(peer, defaultPortOf(store.store), `${store.name} from ${description}`);
  }
}
