/**
 * The local engines the runtime benchmarks talk to, started with the shared harness on free ports
 * and stopped by PID: Redis, PostgreSQL (primary + one streaming replica, `durable: false` as in
 * the tests: no benchmark here measures commit durability) and, when asked, one dynalite region
 * with the multi-master table, and moto_server holding the database's master and app secrets as
 * Secrets Manager does on AWS (what the deploy-time migration handler reads).
 */
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CleanupStack, MOTO_CREDENTIALS, type MotoServer, type PostgresCluster, type RedisEngine } from '../harness';
import { startLocalEngines } from '../harness/local-engines';
import { ENV } from '../lambdas/config/env-names';

export const BENCH_REGION = 'us-east-1';
export const BENCH_TABLE = 'patterns-bench';
/** 48 bytes: the cookie strategy wants at least 32. Local runs only, never a real key. */
export const BENCH_SIGNING_KEY = 'bench-signing-key-for-local-runs-only-0123456789';

/** Dummy credentials: every endpoint is explicit and local, so nothing can reach AWS. */
export const LOCAL_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'local-bench',
  AWS_SECRET_ACCESS_KEY: 'local-bench',
  AWS_EC2_METADATA_DISABLED: 'true',
} as const;

export interface BenchEngines {
  readonly redis: RedisEngine;
  readonly cluster: PostgresCluster;
  /** Every pattern's configuration (Redis sessions, as deployed by default). */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * Starts Redis and PostgreSQL (and dynalite with `dynamo: true`) in parallel.
 *
 * @example
 * const engines = await startBenchEngines({ dynamo: true });
 * try { spawn(..., { env: { ...process.env, ...engines.env } }); } finally { await engines.stop(); }
 */
export async function startBenchEngines(options: { readonly dynamo: boolean; readonly secrets?: boolean }): Promise<BenchEngines> {
  const cleanup = new CleanupStack();
  return cleanup.orClose(async () => {
    // The local architecture's engines (harness/local-engines.ts), without the replicator: one Region.
    const engines = await startLocalEngines(cleanup, {
      replicas: 1,
      regions: options.dynamo ? [BENCH_REGION] : [],
      tableName: BENCH_TABLE,
      moto: options.secrets === true,
    });
    const { cluster, redis, moto } = engines;
    const env: Record<string, string> = {
      ...LOCAL_AWS_ENV,
      [ENV.region]: BENCH_REGION,
      ...engines.dataEnv(),
      [ENV.sessionStore]: 'redis',
      [ENV.sessionSigningKey]: BENCH_SIGNING_KEY,
      ...(options.dynamo
        ? { [ENV.globalTableName]: BENCH_TABLE, [ENV.globalConsistency]: 'eventual', [ENV.dynamodbEndpoint]: engines.dynamoEndpoints[BENCH_REGION] }
        : {}),
      ...(moto === undefined ? {} : await databaseSecrets(moto, cluster)),
    };
    return { redis, cluster, env, stop: () => cleanup.close() };
  });
}

/**
 * The master and app logins of `cluster` as JSON secrets in moto (as the data stack stores them),
 * and the environment that points the deploy-time migration handler at them. The app secret holds
 * the app role's current password, so a migration run leaves the other handlers' login valid.
 */
async function databaseSecrets(moto: MotoServer, cluster: PostgresCluster): Promise<Record<string, string>> {
  const client = new SecretsManagerClient({ endpoint: moto.endpoint, region: BENCH_REGION, credentials: MOTO_CREDENTIALS });
  try {
    const create = async (name: string, login: { readonly user: string; readonly password: string }) => {
      const created = await client.send(new CreateSecretCommand({ Name: name, SecretString: JSON.stringify({ username: login.user, password: login.password, engine: 'postgres' }) }));
      if (created.ARN === undefined) throw new Error(`moto returned no ARN for secret ${name}`);
      return created.ARN;
    };
    return {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
      [ENV.dbMasterSecretArn]: await create('bench-db-master', { user: cluster.user, password: cluster.password }),
      [ENV.dbAppSecretArn]: await create('bench-db-app', cluster.app),
    };
  } finally {
    client.destroy();
  }
}
