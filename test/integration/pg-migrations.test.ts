/**
 * The migration entry point against the harness's PostgreSQL: idempotent (twice in a row, twice at
 * once), the app role limited to DML, a non-superuser master (as on RDS), and the deploy-time
 * handler: its one retry of a master login refused mid-rotation, and its failure with the database's message.
 */
import { Client } from 'pg';
import { MIGRATIONS, runMigrations, type MigrationTarget } from '../../lambdas/adapters/pg-migrations';
import type { PgLogin } from '../../lambdas/adapters/pg-app-role';
import type { SecretResolver } from '../../lambdas/adapters/secrets';
import type { SecretSource } from '../../lambdas/config/runtime-config';
import { MIGRATION_REFUSED_LOGIN_PAUSES_MS, migrate } from '../../lambdas/handlers/migration-handler';
import { startPostgresCluster, type PostgresCluster } from '../../harness/postgres-cluster';

const ARN = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-abc123`;

/** Runs `work` on one connection logged in as `login`. */
async function as<T>(cluster: PostgresCluster, login: PgLogin, work: (client: Client) => Promise<T>, database = cluster.database): Promise<T> {
  const client = new Client({ host: '127.0.0.1', port: cluster.primary.port, database, ...login });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The SQLSTATE a statement fails with, or 'ok'. */
async function sqlState(client: Client, sql: string): Promise<string> {
  try {
    await client.query(sql);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe('runMigrations (the one migration entry point)', () => {
  let cluster: PostgresCluster;
  let target: MigrationTarget;
  const app: PgLogin = { user: 'patterns_app', password: 'first-app-password' };

  beforeAll(async () => {
    cluster = await startPostgresCluster({ replicas: 0, migrate: false });
    target = {
      host: '127.0.0.1',
      port: cluster.primary.port,
      database: cluster.database,
      master: { user: cluster.user, password: cluster.password },
      appRole: app,
    };
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('applies every migration exactly once when two runs start at once, and nothing on a third run', async () => {
    // Act
    const concurrent = await Promise.all([runMigrations(target), runMigrations(target)]);
    const again = await runMigrations(target);

    // Assess
    expect(concurrent.flatMap((r) => r.applied).sort()).toEqual(MIGRATIONS.map((m) => m.id).sort());
    expect(again).toEqual({ applied: [], appRole: 'patterns_app' });
    const recorded = await cluster.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(recorded.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id));
    const locks = await cluster.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory'");
    expect(locks).toEqual([]);
  });

  it('gives the app role DML on the pattern tables and nothing more', async () => {
    // Prepare
    await runMigrations(target);

    // Act
    const states = await as(cluster, app, async (client) => ({
      insert: await sqlState(client, "INSERT INTO counters (name, shard, value) VALUES ('m', 0, 1)"),
      update: await sqlState(client, "UPDATE counters SET value = 2 WHERE name = 'm'"),
      select: await sqlState(client, 'SELECT * FROM profiles, notes, counters'),
      delete: await sqlState(client, "DELETE FROM counters WHERE name = 'm'"),
      drop: await sqlState(client, 'DROP TABLE counters'),
      alter: await sqlState(client, 'ALTER TABLE profiles ADD COLUMN x int'),
      create: await sqlState(client, 'CREATE TABLE mine (id int)'),
      truncate: await sqlState(client, 'TRUNCATE notes'),
      migrations: await sqlState(client, 'DELETE FROM schema_migrations'),
      createRole: await sqlState(client, 'CREATE ROLE intruder'),
    }));
    const [role] = await cluster.query<Record<string, boolean>>(
      "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = 'patterns_app'",
    );
    const owned = await cluster.query("SELECT 1 FROM pg_tables WHERE tableowner = 'patterns_app'");

    // Assess: 42501 = insufficient_privilege (not the owner, no CREATE on the schema)
    expect(states).toEqual({
      insert: 'ok', update: 'ok', select: 'ok', delete: 'ok',
      drop: '42501', alter: '42501', create: '42501', truncate: '42501', migrations: '42501', createRole: '42501',
    });
    expect(role).toEqual({
      rolcanlogin: true, rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolreplication: false, rolbypassrls: false,
    });
    expect(owned).toEqual([]);
  });

  it('sets the server-side limits on the role, so a pooled path that drops startup parameters keeps them', async () => {
    // Act
    const settings = await as(cluster, app, async (client) => {
      const { rows } = await client.query<{ name: string; setting: string; source: string }>(
        "SELECT name, setting, source FROM pg_settings WHERE name IN ('statement_timeout', 'idle_in_transaction_session_timeout') ORDER BY name",
      );
      return rows;
    });

    // Assess
    expect(settings).toEqual([
      { name: 'idle_in_transaction_session_timeout', setting: '10000', source: 'user' },
      { name: 'statement_timeout', setting: '5000', source: 'user' },
    ]);
  });

  it('updates the app role password on the next run (rotation converges at deploy)', async () => {
    // Prepare
    const rotated = { ...app, password: 'rotated-app-password' };

    // Act
    await runMigrations({ ...target, appRole: rotated });

    // Assess
    await expect(as(cluster, rotated, (c) => c.query('SELECT 1'))).resolves.toBeDefined();
    await expect(as(cluster, app, (c) => c.query('SELECT 1'))).rejects.toMatchObject({ code: '28P01' });
    await runMigrations(target); // back to the first password for the other tests
  });

  it('prepares the multi-user rotation clone: a member with the same limits, usable once rotation sets its password', async () => {
    // Prepare: what Secrets Manager's multi-user rotation does when the clone exists (ALTER USER ... PASSWORD)
    const clone = { user: 'patterns_app_clone', password: 'set-by-rotation' };
    await cluster.query(`ALTER USER patterns_app_clone WITH PASSWORD '${clone.password}'`);

    // Act: the clone logs in; then a deploy runs the migrations with the secret naming the clone
    const states = await as(cluster, clone, async (client) => ({
      update: await sqlState(client, "UPDATE counters SET value = value WHERE name = 'none'"),
      drop: await sqlState(client, 'DROP TABLE counters'),
      timeout: (await client.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows[0].statement_timeout,
    }));
    const redeploy = await runMigrations({ ...target, appRole: { ...clone, password: 'clone-after-redeploy' } });

    // Assess
    expect(states).toEqual({ update: 'ok', drop: '42501', timeout: '5s' });
    expect(redeploy).toEqual({ applied: [], appRole: 'patterns_app_clone' });
    await expect(as(cluster, { ...clone, password: 'clone-after-redeploy' }, (c) => c.query('SELECT 1'))).resolves.toBeDefined();
    await expect(as(cluster, app, (c) => c.query('SELECT 1'))).resolves.toBeDefined(); // the base role keeps its password
  });

  it('works with a non-superuser master that owns the database, as on RDS', async () => {
    // Prepare: an RDS-like master (CREATEROLE, not superuser) owning a fresh database
    const master = { user: 'rds_master', password: 'rds-master-password' };
    await cluster.query(`CREATE ROLE rds_master LOGIN CREATEROLE PASSWORD '${master.password}'`);
    await cluster.query('CREATE DATABASE rds_db OWNER rds_master');
    const rdsTarget = { ...target, database: 'rds_db', master, appRole: { user: 'rds_app', password: 'rds-app-password' } };

    // Act
    const first = await runMigrations(rdsTarget);
    const second = await runMigrations(rdsTarget);

    // Assess
    expect(first.applied).toEqual(MIGRATIONS.map((m) => m.id));
    expect(second.applied).toEqual([]);
    const drop = await as(cluster, rdsTarget.appRole, (c) => sqlState(c, 'DROP TABLE profiles'), 'rds_db');
    expect(drop).toBe('42501');
  });

  it('fails with the database message, rolls the migration back and releases the lock', async () => {
    // Prepare
    const broken = [...MIGRATIONS, { id: '999_broken', statements: ['CREATE TABLE broken (id int)', 'CREAT TABLE oops ()'] }];

    // Act
    const failure = runMigrations(target, { migrations: broken });

    // Assess
    await expect(failure).rejects.toMatchObject({ message: 'syntax error at or near "CREAT"', code: '42601' });
    expect(await cluster.query("SELECT 1 FROM pg_tables WHERE tablename = 'broken'")).toEqual([]);
    await expect(runMigrations(target)).resolves.toEqual({ applied: [], appRole: 'patterns_app' });
  });
});

describe('migration handler (deploy-time trigger)', () => {
  let cluster: PostgresCluster;

  beforeAll(async () => {
    cluster = await startPostgresCluster({ replicas: 0, migrate: false });
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  /**
   * A Secrets Manager stand-in holding two RDS-style JSON secrets. `cachedMaster` is what a cached
   * read returns (e.g. the master password from before a rotation), `master` what a forced read
   * returns; forced reads are counted.
   */
  const secretsFor = (master: PgLogin, app: PgLogin, cachedMaster: PgLogin = master) => {
    const forced: string[] = [];
    const resolver: SecretResolver = {
      async resolve(source: SecretSource, field?: string, options = {}) {
        if (source.kind !== 'secretsManager') throw new Error('expected an ARN');
        if (options.forceFetch === true) forced.push(`${source.arn === ARN('master') ? 'master' : 'app'}.${field}`);
        const login = source.arn === ARN('master') ? (options.forceFetch === true ? master : cachedMaster) : app;
        return field === 'username' ? login.user : login.password;
      },
    };
    return { resolver, forced };
  };
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };

  const env = () => ({
    DB_PRIMARY_HOST: '127.0.0.1',
    DB_PRIMARY_PORT: String(cluster.primary.port),
    DB_NAME: cluster.database,
    DB_MASTER_SECRET_ARN: ARN('master'),
    DB_APP_SECRET_ARN: ARN('app'),
  });

  it('migrates with the master secret and creates the role of the app secret', async () => {
    // Prepare
    const app = { user: 'patterns_app', password: 'handler-app-password' };

    // Act
    const report = await migrate(env(), secretsFor({ user: cluster.user, password: cluster.password }, app).resolver);

    // Assess
    expect(report).toEqual({ applied: MIGRATIONS.map((m) => m.id), appRole: 'patterns_app' });
    const [row] = await as(cluster, app, async (c) => (await c.query<{ user: string }>('SELECT current_user AS user')).rows);
    expect(row.user).toBe('patterns_app');
  });

  it('retries once, after a pause and a fresh read, when the master login is refused mid-rotation', async () => {
    // Prepare: the cached master password is from before a rotation; the secret now holds the new one
    const master = { user: cluster.user, password: cluster.password };
    const { resolver, forced } = secretsFor(master, { user: 'patterns_app', password: 'handler-app-password' }, { ...master, password: 'before-rotation' });
    sleeps.length = 0;

    // Act
    const report = await migrate(env(), resolver, { sleep });

    // Assess
    expect(report).toEqual({ applied: [], appRole: 'patterns_app' });
    expect(sleeps).toEqual([...MIGRATION_REFUSED_LOGIN_PAUSES_MS]);
    expect(forced.sort()).toEqual(['app.password', 'app.username', 'master.password', 'master.username']);
  });

  it('throws with the database message when the master login is still refused after its one retry (the deploy fails)', async () => {
    // Prepare
    const { resolver, forced } = secretsFor({ user: cluster.user, password: 'wrong' }, { user: 'patterns_app', password: 'x' });
    sleeps.length = 0;

    // Act
    const failure = migrate(env(), resolver, { sleep });

    // Assess
    await expect(failure).rejects.toThrow(`migration failed: password authentication failed for user "${cluster.user}" (SQLSTATE 28P01)`);
    expect(sleeps).toHaveLength(1);
    expect(forced.filter((f) => f.startsWith('master'))).toHaveLength(2);
  });

  it('names every missing variable at once', async () => {
    // Act & Assess
    await expect(migrate({}, secretsFor({ user: '', password: '' }, { user: '', password: '' }).resolver)).rejects.toThrow(
      'Invalid runtime configuration:\n - DB_PRIMARY_HOST: got undefined; allowed: a value (required)\n - DB_MASTER_SECRET_ARN: got undefined; allowed: a Secrets Manager secret ARN (required)\n - DB_APP_SECRET_ARN: got undefined; allowed: a Secrets Manager secret ARN (required)',
    );
  });
});
