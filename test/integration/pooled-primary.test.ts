/**
 * The primary path through a transaction-pooling proxy (pgbouncer, the local stand-in for RDS
 * Proxy): the stand-in really breaks on session state (so the other suites' `pgbouncer` runs
 * mean something), many small pools share a few server connections with no failure, and the
 * server-side limits hold although the pooler drops the client's startup parameters.
 */
import type { Hono } from 'hono';
import { Pool } from 'pg';
import { ManualClock } from '../../lambdas/core/clock';
import { InstanceIdentity } from '../../lambdas/core/reverse-proxy-identity';
import { createPatternApp } from '../../lambdas/http/app';
import { buildCounterRoutes } from '../../lambdas/wiring/counters-wiring';
import { buildReadReplicaRoutes } from '../../lambdas/wiring/read-replica-wiring';
import { createSharedClients, type SharedClients } from '../../lambdas/wiring/shared-clients';
import { sharedDatabase } from '../../lambdas/wiring/shared-database';
import { startPgBouncer } from '../../harness/pgbouncer';
import { POOLED_SERVER_CONNECTIONS, startDatabaseOnPath, type PathDatabase } from '../fixtures/database-paths';
import { readRuntimeConfig } from '../../lambdas/config/runtime-sections';

const ENVIRONMENTS = 8;
const POOL_MAX = 2;

describe('the primary path through pgbouncer in transaction mode', () => {
  let database: PathDatabase;
  const clientSets: SharedClients[] = [];

  beforeAll(async () => {
    database = await startDatabaseOnPath('pgbouncer', { replicas: 0 });
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(clientSets.map((clients) => clients.close()));
    await database?.stop();
  });

  /** One simulated Lambda environment: its own clients and pool of DB_POOL_MAX connections. */
  const environment = async (i: number): Promise<{ app: Hono; clients: SharedClients }> => {
    const clients = createSharedClients(readRuntimeConfig({ ...database.appEnv(), DB_POOL_MAX: String(POOL_MAX) }));
    clientSets.push(clients);
    const identity = new InstanceIdentity({ tier: 'lambda', region: 'local', instanceId: `env-${i}` }, new ManualClock());
    const app = createPatternApp(identity, [await buildCounterRoutes(clients), await buildReadReplicaRoutes(clients)]);
    return { app, clients };
  };

  it('is a live check: session state set by one client leaks into another one (what pins an RDS Proxy session)', async () => {
    // Prepare: a pooler with ONE server connection, so both clients get the same one
    const { cluster } = database;
    const single = await startPgBouncer({
      server: { port: cluster.primary.port, credentials: { user: cluster.user, password: cluster.password } },
      users: [{ user: cluster.user, password: cluster.password }, cluster.app],
      poolSize: 1,
    });
    const connect = () =>
      new Pool({ host: single.host, port: single.port, database: cluster.database, ...cluster.app, max: 1 });
    const [first, second] = [connect(), connect()];
    try {
      // Act: a session-level SET on the first client, then an ordinary query on the second
      await first.query('SET search_path = nowhere');
      const leaked = await second.query('SELECT count(*) FROM counters').catch((error: { code?: string }) => error.code);

      // Assess: 42P01 = undefined_table, the second client runs with the first one's search_path
      expect(leaked).toBe('42P01');
    } finally {
      await Promise.allSettled([first.end(), second.end()]);
      await single.stop();
    }
  });

  it(`serves ${ENVIRONMENTS} environments x ${POOL_MAX} connections on ${POOLED_SERVER_CONNECTIONS} server connections, with no failure`, async () => {
    // Prepare
    const environments = await Promise.all(Array.from({ length: ENVIRONMENTS }, (_, i) => environment(i)));

    // Act: every environment runs the hot path at once (atomic and transactional increments, a write, a read)
    const status = async (app: Hono, path: string, init?: RequestInit) => (await app.request(path, init)).status;
    const writeThenRead = async (app: Hono, text: string) => {
      const written = await app.request('/notes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
      if (written.status !== 201) return written.status;
      return status(app, `/notes/${((await written.json()) as { id: string }).id}`);
    };
    const statuses = await Promise.all(
      environments.flatMap(({ app }, i) => [
        status(app, '/counters/pooled/hot', { method: 'POST' }),
        status(app, '/counters/pooled/sharded', { method: 'POST' }),
        writeThenRead(app, `n${i}`),
      ]),
    );
    const opened = await Promise.all(environments.map(async ({ clients }) => (await sharedDatabase(clients)).primary.pool.totalCount));
    const serverConnections = await database.cluster.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'patterns_app'",
    );
    const reading = (await (await environments[0].app.request('/counters/pooled')).json()) as { hot: { total: number }; sharded: { total: number } };

    // Assess
    expect(statuses).toEqual(Array(3 * ENVIRONMENTS).fill(200));
    expect(reading).toMatchObject({ hot: { total: ENVIRONMENTS }, sharded: { total: ENVIRONMENTS } });
    expect(Math.max(...opened)).toBeLessThanOrEqual(POOL_MAX);
    expect(opened.reduce((a, b) => a + b, 0)).toBeGreaterThan(POOLED_SERVER_CONNECTIONS);
    expect(serverConnections[0].n).toBeLessThanOrEqual(POOLED_SERVER_CONNECTIONS);
  });

  it("applies the role's statement_timeout, as pgbouncer drops the client's startup parameter", async () => {
    // Prepare: a client asking for 100 ms at startup, as the runtime's pools ask for theirs
    const { cluster, bouncer } = database;
    const pool = new Pool({ host: bouncer!.host, port: bouncer!.port, database: cluster.database, ...cluster.app, statement_timeout: 100, max: 1 });

    // Act
    const { rows } = await pool.query<{ statement_timeout: string }>('SHOW statement_timeout').finally(() => pool.end());

    // Assess: the role's default (set by the migrations), not the startup parameter
    expect(rows[0].statement_timeout).toBe('5s');
  });
});
