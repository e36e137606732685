import { Client } from 'pg';
import { startPgBouncer, type PgBouncer } from '../../harness/pgbouncer';
import { startPostgresCluster, type PostgresCluster } from '../../harness/postgres-cluster';
import { isAlive, runningProcesses } from '../../harness/processes';
import { isPortOpen } from '../../harness/ports';

const POOL_SIZE = 3;

/** A client of the pooler with the startup options the runtime's pools send (statement_timeout). */
function clientFor(cluster: PostgresCluster, bouncer: PgBouncer): Client {
  const client = new Client({
    host: bouncer.host,
    port: bouncer.port,
    user: cluster.user,
    password: cluster.password,
    database: cluster.database,
    statement_timeout: 5000,
    connectionTimeoutMillis: 5000,
  });
  client.on('error', () => undefined);
  return client;
}

/** Server connections to the cluster's database that are not the sampling query's own. */
async function serverConnections(cluster: PostgresCluster): Promise<number> {
  const [row] = await cluster.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
    [cluster.database],
  );
  return row.n;
}

describe('PgBouncer', () => {
  let cluster: PostgresCluster;
  let bouncer: PgBouncer;

  beforeAll(async () => {
    cluster = await startPostgresCluster({ replicas: 0 });
    bouncer = await startPgBouncer({ server: { port: cluster.primary.port, credentials: cluster }, poolSize: POOL_SIZE });
  });

  afterAll(async () => {
    await bouncer?.stop();
    await cluster?.stop();
  });

  it('passes queries, with and without parameters, to the server', async () => {
    // Prepare
    const client = clientFor(cluster, bouncer);
    await client.connect();

    // Act
    const simple = await client.query('SELECT current_database() AS db');
    const extended = await client.query('SELECT $1::int + 1 AS n', [41]);
    await client.end();

    // Assess
    expect(simple.rows).toEqual([{ db: cluster.database }]);
    expect(extended.rows).toEqual([{ n: 42 }]);
  });

  it('serves many clients with at most poolSize server connections', async () => {
    // Prepare
    const clients = Array.from({ length: 30 }, () => clientFor(cluster, bouncer));
    await Promise.all(clients.map((c) => c.connect()));
    const samples: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) samples.push(await serverConnections(cluster));
    })();

    // Act
    const results = await Promise.all(
      clients.map(async (c, i) => {
        const rows: number[] = [];
        for (let round = 0; round < 3; round++) rows.push((await c.query('SELECT $1::int AS i, pg_sleep(0.02)', [i])).rows[0].i);
        return rows;
      }),
    );
    sampling = false;
    await sampler;
    const pools = await bouncer.pools();
    await Promise.all(clients.map((c) => c.end()));

    // Assess
    expect(results).toEqual(clients.map((_, i) => [i, i, i]));
    expect(samples.length).toBeGreaterThan(0);
    expect(Math.max(...samples)).toBeLessThanOrEqual(POOL_SIZE);
    expect(Math.max(...samples)).toBeGreaterThanOrEqual(1);
    const pool = pools.find((p) => p.database === cluster.database);
    expect(pool?.serverConnections).toBeLessThanOrEqual(POOL_SIZE);
  });

  it('pools per transaction: session state stays on the server connection, not with the client', async () => {
    // Prepare: two clients, one server connection, so both run on the same server backend
    const single = await startPgBouncer({ server: { port: cluster.primary.port, credentials: cluster }, poolSize: 1 });
    const [a, b] = [clientFor(cluster, single), clientFor(cluster, single)];
    await Promise.all([a.connect(), b.connect()]);

    // Act
    // (work_mem, not application_name: pgbouncer tracks and restores a few parameters per client)
    await a.query("SET work_mem = '7MB'");
    const seenByB = await b.query('SHOW work_mem');
    await Promise.all([a.end(), b.end()]);
    await single.stop();

    // Assess
    expect(seenByB.rows[0].work_mem).toBe('7MB');
  });

  it('logs clients in with the SCRAM secrets read from the server (pass-through to the server)', async () => {
    // Prepare: a login role, then a pooler that knows only its secret
    await cluster.query("CREATE ROLE bouncer_app LOGIN PASSWORD 'app-secret'");
    const role = { user: 'bouncer_app', password: 'app-secret' };
    const viaSecrets = await startPgBouncer({
      server: { port: cluster.primary.port, credentials: cluster },
      users: [{ user: cluster.user, password: cluster.password }, role],
      scramSecretsFromServer: true,
    });
    const login = (password: string): Client => {
      const client = new Client({ host: '127.0.0.1', port: viaSecrets.port, ...role, password, database: cluster.database });
      client.on('error', () => undefined);
      return client;
    };

    // Act
    const good = login(role.password);
    await good.connect();
    const [row] = (await good.query('SELECT current_user AS who')).rows;
    await good.end();
    const wrong = await login('not-the-password').connect().then(() => 'connected', (error: Error) => error.message);
    const pools = await viaSecrets.pools();
    await viaSecrets.stop();

    // Assess
    expect(row.who).toBe('bouncer_app');
    expect(wrong).toMatch(/password authentication failed|SASL authentication failed/);
    expect(pools.some((p) => p.user === 'bouncer_app' && p.database === cluster.database)).toBe(true);
  });

  it("updateLogins takes a login's new password, as RDS Proxy re-reading a secret: new logins use it, open sessions stay", async () => {
    // Prepare: a role whose password the "rotation" changes; a client logged in before the change
    await cluster.query("CREATE ROLE rotated_app LOGIN PASSWORD 'old-password'");
    await cluster.query('GRANT CONNECT ON DATABASE patterns TO rotated_app');
    const admin = { user: cluster.user, password: cluster.password };
    const pooler = await startPgBouncer({ server: { port: cluster.primary.port, credentials: admin }, users: [admin, { user: 'rotated_app', password: 'old-password' }] });
    const login = async (password: string) => {
      const client = new Client({ host: '127.0.0.1', port: pooler.port, user: 'rotated_app', password, database: cluster.database });
      client.on('error', () => undefined);
      return client.connect().then(() => client, (error: { code?: string }) => error.code ?? 'no SQLSTATE');
    };
    const before = await login('old-password');
    await cluster.query("ALTER ROLE rotated_app PASSWORD 'new-password'");

    // Act
    const aheadOfThePooler = await login('new-password');
    await pooler.updateLogins([{ user: 'rotated_app', password: 'new-password' }]);
    const withOld = await login('old-password');
    const withNew = await login('new-password');
    const sessionFromBefore = typeof before === 'string' ? before : (await before.query('SELECT 1 AS one')).rows[0].one;
    const rejected = await pooler.updateLogins([{ user: 'nobody', password: 'x' }]).catch((error: Error) => error.message);

    // Assess: the pooler refuses a login it holds no password for with 08P01 (what the runtime retries)
    expect(aheadOfThePooler).toBe('08P01');
    expect(withOld).toBe('08P01');
    expect(typeof withNew).not.toBe('string');
    expect(sessionFromBefore).toBe(1);
    expect(rejected).toBe('updateLogins: got "nobody"; allowed: the pooler\'s logins');
    for (const client of [before, withNew]) if (typeof client !== 'string') await client.end();
    await pooler.stop();
  });

  it('rejects invalid settings with every problem at once', async () => {
    await expect(
      startPgBouncer({ server: { port: 1, credentials: { user: 'u', password: 'p' } }, poolSize: 0, maxClientConnections: 2.5 }),
    ).rejects.toThrow('startPgBouncer: poolSize: got 0; allowed: an integer >= 1; maxDbConnections: got 0; allowed: an integer >= 1; maxClientConnections: got 2.5; allowed: an integer >= 1');
  });

  it('stop ends the process by PID and frees the port', async () => {
    // Prepare
    const extra = await startPgBouncer({ server: { port: cluster.primary.port, credentials: cluster } });

    // Act
    await extra.stop();

    // Assess
    expect(isAlive(extra.pid)).toBe(false);
    expect(runningProcesses().some((p) => p.pid === extra.pid)).toBe(false);
    expect(await isPortOpen(extra.port)).toBe(false);
  });
});
