/**
 * The deployed migration entry point end to end: the Lambda `handler()` reads two JSON secrets
 * from Secrets Manager (moto_server, through the real SDK client) and migrates the harness's
 * PostgreSQL, as the deploy-time trigger does; a wrong master password fails it.
 */
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { MIGRATIONS } from '../../lambdas/adapters/pg-migrations';
import { handler } from '../../lambdas/handlers/migration-handler';
import { startPostgresCluster, type PostgresCluster } from '../../harness/postgres-cluster';
import { MOTO_CREDENTIALS, startMotoServer, type MotoServer } from '../../harness/moto-server';

const REGION = 'eu-west-1';
const savedEnv = { ...process.env };

describe('migration handler with Secrets Manager (moto) and PostgreSQL (harness)', () => {
  let moto: MotoServer;
  let cluster: PostgresCluster;
  let secrets: SecretsManagerClient;
  let masterArn: string;

  beforeAll(async () => {
    [moto, cluster] = await Promise.all([startMotoServer(), startPostgresCluster({ replicas: 0, migrate: false })]);
    secrets = new SecretsManagerClient({ endpoint: moto.endpoint, region: REGION, credentials: MOTO_CREDENTIALS });
    const create = async (name: string, value: object) =>
      (await secrets.send(new CreateSecretCommand({ Name: name, SecretString: JSON.stringify(value) }))).ARN!;
    masterArn = await create('db-master', { username: cluster.user, password: cluster.password, engine: 'postgres' });
    const appArn = await create('db-app', { username: 'patterns_app', password: 'from-secrets-manager', engine: 'postgres' });
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      AWS_REGION: REGION,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
      DB_PRIMARY_HOST: '127.0.0.1',
      DB_PRIMARY_PORT: String(cluster.primary.port),
      DB_NAME: cluster.database,
      DB_MASTER_SECRET_ARN: masterArn,
      DB_APP_SECRET_ARN: appArn,
    });
  }, 60_000);

  afterAll(async () => {
    process.env = savedEnv;
    secrets?.destroy();
    await Promise.allSettled([moto?.stop(), cluster?.stop()]);
  });

  it('applies the schema and creates the role of the app secret', async () => {
    // Act
    const report = await handler();

    // Assess
    expect(report).toEqual({ applied: MIGRATIONS.map((m) => m.id), appRole: 'patterns_app' });
    const [role] = await cluster.query<{ rolcanlogin: boolean }>("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'patterns_app'");
    expect(role.rolcanlogin).toBe(true);
  });

  it('fails the deploy with the database message when the master secret is wrong (secrets are read on every run)', async () => {
    // Prepare
    await secrets.send(new PutSecretValueCommand({ SecretId: masterArn, SecretString: JSON.stringify({ username: cluster.user, password: 'stale' }) }));

    // Act & Assess
    await expect(handler()).rejects.toThrow(`migration failed: password authentication failed for user "${cluster.user}" (SQLSTATE 28P01)`);
  });
});
