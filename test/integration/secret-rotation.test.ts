/**
 * A single-user rotation of the app secret while both tiers serve a steady load, on the local
 * engines: the Lambda tier through pgbouncer (the RDS Proxy stand-in), the Fargate tier straight
 * to PostgreSQL. The rotation runs the four steps of AWS's rotation function template against the
 * local secret store (`harness/secret-rotation.ts`); nothing may fail beyond what the pools'
 * refused-login retry absorbs.
 *
 * Fidelity. The pooler authenticates clients against the secret's value, and logs in to the server
 * with it, as RDS Proxy does with the secrets registered on it; it takes the new value when the
 * test tells it to, PROXY_LAG_MS after finishSecret (AWS does not document when the proxy re-reads a
 * secret, so the test leaves a window where clients that read the new value are ahead of it).
 * Connections are recycled all along (pg's maxUses; Lambda environments replaced after a few
 * requests, each a cold start that reads the secret), so that logins happen in every phase of the
 * switch-over, as over a real rotation's idle timeouts and scale-outs. The pooler's server
 * connections are opened before the rotation and kept: like RDS Proxy's idle connections, they
 * outlive the password change (a proxy that had to open new ones between setSecret and its
 * re-read would fail them: see README, "Secret rotation").
 */
import * as os from 'node:os';
import type { Hono } from 'hono';
import { Client } from 'pg';
import { ManualClock, realSleep } from '../../lambdas/core/clock';
import { InstanceIdentity } from '../../lambdas/core/reverse-proxy-identity';
import { createPatternApp } from '../../lambdas/http/app';
import { buildCounterRoutes } from '../../lambdas/wiring/counters-wiring';
import { createSharedClients, type SharedClients } from '../../lambdas/wiring/shared-clients';
import { sharedDatabase } from '../../lambdas/wiring/shared-database';
import { LocalSecretStore, AWSPREVIOUS, type CountingSecretResolver } from '../../harness/local-secret-store';
import { startPgBouncer, type PgBouncer } from '../../harness/pgbouncer';
import { startPostgresCluster, type PostgresCluster } from '../../harness/postgres-cluster';
import { rotateSingleUser, type RotationReport } from '../../harness/secret-rotation';
import { readRuntimeConfig } from '../../lambdas/config/runtime-sections';

/** Lambda environments serving at once (each one request at a time, pool of 1), and the pooler's server connections for them. */
const LAMBDA_ENVIRONMENTS = 3;
/** Requests an environment serves before it is replaced by a fresh one (a cold start). */
const LAMBDA_ENVIRONMENT_REQUESTS = 12;
/** Concurrent requests on the one container task (pool of 4). */
const FARGATE_CONCURRENCY = 3;
/** Each pooled connection serves this many queries, then the pool logs in anew. */
const CONNECTION_USES = 4;
const STEP_GAP_MS = 250;
const PROXY_LAG_MS = 500;
const WARM_UP_MS = 700;
const COOL_DOWN_MS = 1000;
const COUNTER = 'rotation';

type Tier = 'lambda' | 'fargate';

interface Instance {
  readonly tier: Tier;
  readonly app: Hono;
  readonly clients: SharedClients;
  readonly secrets: CountingSecretResolver;
}

interface Answer {
  readonly tier: Tier;
  readonly startedAt: number;
  readonly ms: number;
  readonly status: number;
}

describe('single-user rotation of the app secret under load', () => {
  let cluster: PostgresCluster;
  let bouncer: PgBouncer;
  const store = new LocalSecretStore();
  let arn: string;
  const instances: Instance[] = [];

  beforeAll(async () => {
    cluster = await startPostgresCluster({ replicas: 0 });
    const master = { user: cluster.user, password: cluster.password };
    bouncer = await startPgBouncer({
      server: { port: cluster.primary.port, credentials: master },
      users: [master, cluster.app],
      poolSize: LAMBDA_ENVIRONMENTS,
      maxDbConnections: LAMBDA_ENVIRONMENTS + 2,
    });
    // As the attachment makes it on AWS: the instance itself is the host, never the proxy.
    arn = store.create('patterns-app', {
      engine: 'postgres', host: '127.0.0.1', port: cluster.primary.port, dbname: cluster.database, username: cluster.app.user, password: cluster.app.password,
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(instances.map((i) => i.clients.close()));
    await bouncer?.stop();
    await cluster?.stop();
  });

  /** One process of a tier: its own secret cache, its own pools (recycling connections), the counter routes. */
  const start = async (tier: Tier, name: string): Promise<Instance> => {
    const secrets = store.resolver();
    const host = tier === 'lambda' ? { DB_PRIMARY_HOST: bouncer.host, DB_PRIMARY_PORT: String(bouncer.port) } : { DB_PRIMARY_HOST: '127.0.0.1', DB_PRIMARY_PORT: String(cluster.primary.port) };
    const env = { ...host, DB_REPLICAS: '', DB_NAME: cluster.database, DB_SSL: 'off', DB_SECRET_ARN: arn, DB_POOL_MAX: tier === 'lambda' ? '1' : '4' };
    const clients = createSharedClients(readRuntimeConfig(env), secrets);
    (await sharedDatabase(clients)).primary.pool.options.maxUses = CONNECTION_USES;
    const identity = new InstanceIdentity({ tier, region: 'local', instanceId: name }, new ManualClock());
    // Metrics are not what this test watches: left to the host, which never writes them here.
    const app = createPatternApp(identity, [await buildCounterRoutes(clients)], { metricsPublication: 'host' });
    const instance = { tier, app, clients, secrets };
    instances.push(instance);
    return instance;
  };

  /** Opens the pooler's server connections (as a proxy's warm pool) before the password changes. */
  const warmPooler = async () => {
    const clients = Array.from({ length: LAMBDA_ENVIRONMENTS }, () => new Client({ host: bouncer.host, port: bouncer.port, database: cluster.database, ...cluster.app }));
    await Promise.all(clients.map((c) => c.connect()));
    await Promise.all(clients.map((c) => c.query('SELECT pg_sleep(0.1)')));
    await Promise.all(clients.map((c) => c.end()));
  };

  it('serves both tiers through the four steps with no failure, the retry absorbing every refused login', async () => {
    // Prepare
    await warmPooler();
    const answers: Answer[] = [];
    let running = true;
    const request = async (tier: Tier, app: Hono) => {
      const startedAt = performance.now();
      const response = await app.request(`/counters/${COUNTER}/hot`, { method: 'POST' });
      answers.push({ tier, startedAt, ms: performance.now() - startedAt, status: response.status });
    };
    const lambdaEnvironment = async (slot: number) => {
      for (let generation = 0; running; generation++) {
        const env = await start('lambda', `lambda-${slot}-${generation}`);
        for (let served = 0; served < LAMBDA_ENVIRONMENT_REQUESTS && running; served++) await request('lambda', env.app);
      }
    };
    const container = await start('fargate', 'fargate-1');
    const fargateWorker = async () => {
      while (running) await request('fargate', container.app);
    };
    const load = Promise.all([
      ...Array.from({ length: LAMBDA_ENVIRONMENTS }, (_, slot) => lambdaEnvironment(slot)),
      ...Array.from({ length: FARGATE_CONCURRENCY }, () => fargateWorker()),
    ]);

    // Act: warm-up, the rotation (the proxy re-reading the secret PROXY_LAG_MS after finishSecret), cool-down
    await realSleep(WARM_UP_MS);
    let proxyReadAt = 0;
    const rotation: RotationReport = await rotateSingleUser(store, arn, {
      pauseBetweenStepsMs: STEP_GAP_MS,
      afterStep: async (step) => {
        if (step !== 'finishSecret') return;
        await realSleep(PROXY_LAG_MS);
        const current = store.get(arn);
        await bouncer.updateLogins([{ user: String(current.username), password: String(current.password) }]);
        proxyReadAt = performance.now();
      },
    }).catch((error: unknown) => {
      running = false;
      throw error;
    });
    await realSleep(COOL_DOWN_MS);
    running = false;
    await load;

    // Assess
    const switchFrom = rotation.steps.setSecret.startedAt;
    const figures = (tier: Tier) => {
      const all = answers.filter((a) => a.tier === tier);
      // In flight at some moment of the switch-over (a request queued for a connection before setSecret counts)
      const during = all.filter((a) => a.startedAt <= proxyReadAt && a.startedAt + a.ms >= switchFrom);
      const resolvers = instances.filter((i) => i.tier === tier).map((i) => i.secrets);
      return {
        requests: all.length,
        duringSwitch: during.length,
        failures: all.filter((a) => a.status !== 200).length,
        refusedLoginsRetried: resolvers.reduce((sum, r) => sum + r.forcedFetches, 0),
        slowestDuringSwitchMs: Math.round(Math.max(0, ...during.map((a) => a.ms))),
        slowestOtherwiseMs: Math.round(Math.max(0, ...all.filter((a) => !during.includes(a)).map((a) => a.ms))),
      };
    };
    const report = { lambda: figures('lambda'), fargate: figures('fargate') };
    const switchMs = Math.round(proxyReadAt - switchFrom);
    console.log(
      `secret rotation under load (switch-over ${switchMs} ms: setSecret -> proxy re-read; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores)\n` +
        JSON.stringify(report, null, 2),
    );

    for (const tier of ['lambda', 'fargate'] as const) {
      expect(report[tier].failures).toBe(0);
      // The switch really happened under load, and really refused logins (else this proves nothing)
      expect(report[tier].duringSwitch).toBeGreaterThanOrEqual(5);
      expect(report[tier].refusedLoginsRetried).toBeGreaterThanOrEqual(1);
      // No answer waited longer than the retry's budget (3.1 s of pauses) plus the switch itself
      expect(report[tier].slowestDuringSwitchMs).toBeLessThan(3100 + switchMs);
    }
    // Every acknowledged increment counted once: a retried login never repeats a write
    const [{ total }] = await cluster.query<{ total: string }>('SELECT coalesce(sum(value), 0)::text AS total FROM counters WHERE name = $1', [COUNTER]);
    expect(Number(total)).toBe(answers.length);
    // The rotation did rotate: same login, new password; the old one is refused
    const [current, previous] = [store.get(arn), store.get(arn, AWSPREVIOUS)];
    expect(current.username).toBe(cluster.app.user);
    expect(previous.password).toBe(cluster.app.password);
    const loginWith = async (password: unknown) => {
      const client = new Client({ host: '127.0.0.1', port: cluster.primary.port, database: cluster.database, user: cluster.app.user, password: String(password) });
      client.on('error', () => undefined);
      return client.connect().then(() => client.end().then(() => 'ok'), (error: { code?: string }) => error.code);
    };
    expect(await loginWith(current.password)).toBe('ok');
    expect(await loginWith(previous.password)).toBe('28P01');
  }, 45_000);
});
