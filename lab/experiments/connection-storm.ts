/**
 * connection-storm: many short-lived environments, each with its own small pool, against a
 * PostgreSQL with few connection slots, first directly, then through pgbouncer in transaction
 * pooling mode (the local stand-in for RDS Proxy). The environments log in as an application role
 * (no superuser), so the 3 superuser-reserved slots stay free for the sampler, as RDS keeps some
 * for its own admin: the role has max_connections - 3 slots, fewer than the environments.
 */
import { Client } from 'pg';
import { sleep, startPgBouncer, startPostgresCluster, type PostgresCluster } from '../../harness';
import {
  judgeConnectionStorm, MIN_DIRECT_FAILED_SHARE, summarizeStormRun, type ConnectionSample, type StormRunSummary,
} from '../connection-storm-figures';
import type { ChartSpec, Experiment, ExperimentContext, ExperimentResult } from '../experiment';
import { runEnvironmentFleet } from '../lambda-environments';

interface Sizes {
  readonly environments: number;
  readonly durationMs: number;
  readonly thinkMs: number;
  readonly lifetimeMs: readonly [number, number];
}

// Environments live for seconds: long enough that most requests find their connection open (a
// login with SCRAM costs milliseconds of CPU at both ends, which a busy machine stretches a lot).
const QUICK: Sizes = { environments: 60, durationMs: 3000, thinkMs: 200, lifetimeMs: [1500, 3000] };
const FULL: Sizes = { environments: 120, durationMs: 10_000, thinkMs: 400, lifetimeMs: [3000, 8000] };
const MAX_CONNECTIONS = 30;
const SUPERUSER_RESERVED = 3; // PostgreSQL's default superuser_reserved_connections
/** Per environment, as the Lambda tier's pool towards the proxy (1-2). */
const ENV_POOL_MAX = 2;
/** The pooler's server connections: well inside the role's 27 slots. */
const POOL_SIZE = 10;
const ROLE = { user: 'storm_app', password: 'storm-app-local-only' };
const ROWS = 100;
/** One invocation in WRITE_EVERY is a write (UPDATE), the others reads. */
const WRITE_EVERY = 4;
const SAMPLE_EVERY_MS = 100;

async function startDatabase(ctx: ExperimentContext): Promise<PostgresCluster> {
  ctx.progress(`starting PostgreSQL with max_connections = ${MAX_CONNECTIONS}`);
  const cluster = await startPostgresCluster({ replicas: 0 });
  ctx.defer(() => cluster.stop());
  await cluster.query(`ALTER SYSTEM SET max_connections = ${MAX_CONNECTIONS}`);
  await cluster.stopNode(cluster.primary); // max_connections needs a restart
  await cluster.startNode(cluster.primary);
  await cluster.query(`CREATE ROLE ${ROLE.user} LOGIN PASSWORD '${ROLE.password}'`);
  await cluster.query('CREATE TABLE storm_items (id int PRIMARY KEY, v bigint NOT NULL DEFAULT 0)');
  await cluster.query(`INSERT INTO storm_items (id) SELECT generate_series(1, ${ROWS})`);
  await cluster.query(`GRANT SELECT, UPDATE ON storm_items TO ${ROLE.user}`);
  return cluster;
}

/** Samples the role's server connections (pg_stat_activity) on one superuser connection until `stop()`. */
async function sampleConnections(cluster: PostgresCluster): Promise<{ stop: () => Promise<ConnectionSample[]> }> {
  const client = new Client({ connectionString: cluster.connectionString(cluster.primary) });
  client.on('error', () => undefined);
  await client.connect();
  const samples: ConnectionSample[] = [];
  const started = Date.now();
  let running = true;
  const loop = (async () => {
    while (running) {
      const result = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1', [ROLE.user]);
      samples.push({ atMs: Date.now() - started, connections: result.rows[0].n });
      await sleep(SAMPLE_EVERY_MS);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await client.end();
      return samples;
    },
  };
}

async function storm(cluster: PostgresCluster, port: number, sizes: Sizes): Promise<{ summary: StormRunSummary; samples: ConnectionSample[] }> {
  const sampler = await sampleConnections(cluster);
  const invocations = await runEnvironmentFleet({
    environments: sizes.environments,
    durationMs: sizes.durationMs,
    thinkMs: sizes.thinkMs,
    lifetimeMs: sizes.lifetimeMs,
    pool: {
      // As the runtime's pools: no startup parameters (pgbouncer would drop them), bounded connects.
      host: '127.0.0.1', port, database: cluster.database, ...ROLE, max: ENV_POOL_MAX,
      connectionTimeoutMillis: 10_000, idleTimeoutMillis: 60_000,
    },
    invoke: async (pool, sequence) => {
      const id = (sequence % ROWS) + 1;
      if (sequence % WRITE_EVERY === 0) await pool.query('UPDATE storm_items SET v = v + 1 WHERE id = $1', [id]);
      else await pool.query('SELECT v FROM storm_items WHERE id = $1', [id]);
    },
  });
  const samples = await sampler.stop();
  return { summary: summarizeStormRun(invocations, samples), samples };
}

function charts(direct: ConnectionSample[], pooled: ConnectionSample[], d: StormRunSummary, p: StormRunSummary): ChartSpec[] {
  const points = (samples: ConnectionSample[]) => samples.map((s) => ({ x: Math.round(s.atMs / 100) / 10, y: s.connections }));
  const flat = (samples: ConnectionSample[], y: number) => [samples[0], samples[samples.length - 1]].map((s) => ({ x: Math.round((s?.atMs ?? 0) / 100) / 10, y }));
  return [
    {
      id: 'connections',
      title: 'Server connections of the application role (pg_stat_activity)',
      kind: 'line',
      unit: 'connections',
      xLabel: 'seconds into the run',
      series: [
        { name: 'direct', points: points(direct) },
        { name: 'via pgbouncer', points: points(pooled) },
        { name: `role limit (${MAX_CONNECTIONS - SUPERUSER_RESERVED})`, points: flat(direct, MAX_CONNECTIONS - SUPERUSER_RESERVED) },
        { name: `pool size (${POOL_SIZE})`, points: flat(pooled, POOL_SIZE) },
      ],
    },
    {
      id: 'requests',
      title: 'Requests served and failed',
      kind: 'bar',
      unit: 'requests',
      xLabel: 'path to the database',
      series: [
        { name: 'served', points: [{ x: 'direct', y: d.served }, { x: 'pgbouncer', y: p.served }] },
        { name: 'failed', points: [{ x: 'direct', y: d.failed }, { x: 'pgbouncer', y: p.failed }] },
      ],
    },
  ];
}

export const connectionStormExperiment: Experiment = {
  id: 'connection-storm',
  title: 'Connection storm: one pool per environment against a shared pooler',
  claim:
    'Many short-lived stateless instances each holding their own connections exhaust the database; a shared connection pooler in front of it holds the connections constant and serves them all.',
  async run(ctx: ExperimentContext): Promise<ExperimentResult> {
    const sizes = ctx.quick ? QUICK : FULL;
    const cluster = await startDatabase(ctx);
    const what = `${sizes.environments} environments (pool max ${ENV_POOL_MAX}) for ${sizes.durationMs} ms`;

    ctx.progress(`direct: ${what}`);
    const direct = await storm(cluster, cluster.primary.port, sizes);
    ctx.progress(`direct: ${direct.summary.failed}/${direct.summary.requests} failed, up to ${direct.summary.serverConnections.max} server connections`);

    ctx.progress(`starting pgbouncer (transaction pooling, pool size ${POOL_SIZE})`);
    const bouncer = await startPgBouncer({
      server: { port: cluster.primary.port, credentials: cluster },
      poolSize: POOL_SIZE,
      users: [{ user: cluster.user, password: cluster.password }, ROLE],
      // A login then costs the pooler no key derivation, as a proxy that stores verifiers: the
      // storm's logins would otherwise queue on pgbouncer's one thread on a busy machine.
      scramSecretsFromServer: true,
    });
    ctx.defer(() => bouncer.stop());
    ctx.progress(`pooled: ${what}`);
    const pooled = await storm(cluster, bouncer.port, sizes);
    ctx.progress(`pooled: ${pooled.summary.failed}/${pooled.summary.requests} failed, up to ${pooled.summary.serverConnections.max} server connections`);

    const verdict = judgeConnectionStorm(direct.summary, pooled.summary, POOL_SIZE);
    const [d, p] = [direct.summary, pooled.summary];
    return {
      figures: {
        failedRequests: { direct: d.failed, pooled: p.failed },
        failedShare: { direct: d.failedShare, pooled: p.failedShare },
        requests: { direct: d.requests, pooled: p.requests },
        failures: { direct: d.failures, pooled: p.failures },
        environmentsServed: { direct: `${d.environmentsServed}/${d.environments}`, pooled: `${p.environmentsServed}/${p.environments}` },
        serverConnections: { direct: d.serverConnections, pooled: p.serverConnections },
        latencyMs: { direct: { p50: d.latencyMs.p50, p99: d.latencyMs.p99 }, pooled: { p50: p.latencyMs.p50, p99: p.latencyMs.p99 } },
        warmLatencyMs: { direct: { p50: d.warmLatencyMs.p50, p99: d.warmLatencyMs.p99 }, pooled: { p50: p.warmLatencyMs.p50, p99: p.warmLatencyMs.p99 } },
        setup: {
          maxConnections: MAX_CONNECTIONS, superuserReserved: SUPERUSER_RESERVED, environments: sizes.environments,
          poolMaxPerEnvironment: ENV_POOL_MAX, pgbouncerPoolSize: POOL_SIZE, durationMsPerRun: sizes.durationMs,
          thinkMs: sizes.thinkMs, lifetimeMs: [...sizes.lifetimeMs], writeShare: 1 / WRITE_EVERY,
        },
      },
      holds: verdict.holds,
      details:
        `${sizes.environments} simulated Lambda environments, each with its own pg pool (max ${ENV_POOL_MAX}), one invocation at a time ` +
        `(${WRITE_EVERY - 1} reads for 1 write, ${sizes.thinkMs} ms apart, recycled after ${sizes.lifetimeMs.join('-')} ms), ran for ${sizes.durationMs} ms ` +
        `against PostgreSQL with max_connections = ${MAX_CONNECTIONS} (${MAX_CONNECTIONS - SUPERUSER_RESERVED} for the application role), ` +
        `first directly, then through pgbouncer in transaction pooling mode with ${POOL_SIZE} server connections. ` +
        `Directly, ${d.failed} of ${d.requests} requests failed (${Math.round(d.failedShare * 100)}%, ${Object.keys(d.failures).join(', ') || 'none'}) ` +
        `with up to ${d.serverConnections.max} server connections, and ${d.environmentsServed} of ${d.environments} environments were ever answered; ` +
        `through the pooler ${p.failed} of ${p.requests} failed, all ${p.environmentsServed} environments were answered, on at most ` +
        `${p.serverConnections.max} server connections. Latency p50/p99 through the pooler ${p.latencyMs.p50}/${p.latencyMs.p99} ms ` +
        `(${p.warmLatencyMs.p50}/${p.warmLatencyMs.p99} ms on an open connection), directly ${d.latencyMs.p50}/${d.latencyMs.p99} ms ` +
        `(${d.warmLatencyMs.p50}/${d.warmLatencyMs.p99} ms); a cold request pays its login (SCRAM), which the busy machine stretches. ` +
        `Holds when at least ${Math.round(MIN_DIRECT_FAILED_SHARE * 100)}% fail directly and none through the pooler, within its pool size` +
        (verdict.reasons.length === 0 ? '.' : `; it did not hold: ${verdict.reasons.join('; ')}.`),
      charts: charts(direct.samples, pooled.samples, d, p),
    };
  },
};
