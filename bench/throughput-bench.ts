/**
 * Throughput of the container server, as production builds and runs it (the `build:server`
 * bundle, NODE_ENV=production, --enable-source-maps), beside a minimal Hono app on
 * `@hono/node-server` doing the same work and a bare `node:http` handler (the limit), on three
 * routes: `GET /whoami`, a cache-aside hit (the profile already in Redis) and a session read
 * (Redis strategy: GET + SET per request). autocannon, same connections for all, in rounds that
 * rotate the order of the servers; the ratio of each round, then their median.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import autocannon from 'autocannon';
import { startAppInstances, type AppInstance } from '../harness';
import { ENV } from '../lambdas/config/env-names';
import { startBenchEngines } from './engines';
import { THROUGHPUT_PATHS } from './fixtures/throughput-work';
import { KeepAliveHttpClient } from '../toolkit';
import type { BenchContext } from './options';
import { buildLikeServer } from './server-bundle';
import { processCpuMs, requestsPerSecond, rotated, routeThroughput, THROUGHPUT_SERVERS, type RouteThroughput, type ThroughputRun, type ThroughputServer } from './throughput';

export const THROUGHPUT_TARGET = 0.8;
export const THROUGHPUT_CONNECTIONS = 16;

/** Where each server's entry is (the baselines are bench fixtures). */
const ENTRIES: Readonly<Record<ThroughputServer, string>> = {
  container: path.join('lambdas', 'server', 'container-server.ts'),
  hono: path.join('bench', 'fixtures', 'minimal-hono-server.ts'),
  bare: path.join('bench', 'fixtures', 'bare-node-server.ts'),
};

export const THROUGHPUT_ROUTES = [
  { name: 'GET /whoami', path: THROUGHPUT_PATHS.whoami, session: false },
  { name: 'cache-aside hit', path: THROUGHPUT_PATHS.cacheHit, session: false },
  { name: 'session read (Redis)', path: THROUGHPUT_PATHS.session, session: true },
] as const;

export interface ThroughputResult {
  readonly connections: number;
  readonly secondsPerRun: number;
  readonly rounds: number;
  /** Every run answered only 2xx without connection errors (a run that did not fails the benchmark). */
  readonly routes: ReadonlyArray<RouteThroughput & { readonly name: string; readonly path: string }>;
}

const cpuMsOf = (pid: number) => processCpuMs(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));

/** One autocannon run against `app`; fails on any non-2xx answer or connection error. */
async function measure(app: AppInstance, route: string, seconds: number, cookie: string | undefined): Promise<ThroughputRun> {
  const url = `${app.url}${route}`;
  const cpuBefore = cpuMsOf(app.pid);
  const result = await autocannon({ url, connections: THROUGHPUT_CONNECTIONS, duration: seconds, headers: cookie === undefined ? undefined : { cookie } });
  const cpuMs = cpuMsOf(app.pid) - cpuBefore;
  const failed = result.non2xx + result.errors;
  if (failed > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors in ${result.duration} s`);
  const ok = result['2xx'];
  return { reqPerSec: requestsPerSecond({ ok, durationSeconds: result.duration }), cpuUsPerRequest: ok === 0 ? Number.NaN : (cpuMs * 1000) / ok };
}

export async function runThroughputBench(ctx: BenchContext): Promise<ThroughputResult> {
  const rounds = ctx.quick ? 1 : 5;
  // 4 s per run, order rotated every round: the protocol of the independent idle-machine measurement the README quotes.
  const seconds = ctx.quick ? 1 : 4;
  ctx.progress('throughput: building the three servers, starting Redis and PostgreSQL');
  const outDir = path.join(ctx.workDir, 'throughput');
  fs.mkdirSync(outDir, { recursive: true });
  const [engines, ...files] = await Promise.all([
    startBenchEngines({ dynamo: false }),
    ...THROUGHPUT_SERVERS.map((s) => buildLikeServer(ctx.repoRoot, path.join(ctx.repoRoot, ENTRIES[s]), outDir)),
  ]);
  const apps = new Map<ThroughputServer, AppInstance>();
  let seed: KeepAliveHttpClient | undefined;
  try {
    // As the Dockerfile runs it; the Redis strategy for sessions (the default deployment).
    // The cached profile every server reads must outlive the run (5 rounds x 3 routes x 3 servers x 4 s > the 60 s
    // default TTL): once it expired, the baselines, which only read Redis, answered 404 and failed the run.
    const env = { ...engines.env, [ENV.sessionStore]: 'redis', [ENV.cacheTtlSeconds]: String(24 * 3600), NODE_ENV: 'production', NODE_OPTIONS: '--enable-source-maps' };
    for (const [i, server] of THROUGHPUT_SERVERS.entries()) {
      const [app] = await startAppInstances({ count: 1, namePrefix: `throughput-${server}`, entry: files[i], env });
      apps.set(server, app);
    }
    const appOf = (server: ThroughputServer): AppInstance => {
      const app = apps.get(server);
      if (app === undefined) throw new Error(`throughput: ${server} not started`);
      return app;
    };
    const container = appOf('container');
    // Fixtures, through the container itself: a cached profile and one Redis session every server reads.
    seed = new KeepAliveHttpClient(container.url);
    await seed.expect([200, 201], 'PUT', THROUGHPUT_PATHS.cacheHit, { name: 'Bench User', email: 'bench@example.com' });
    await seed.expect(200, 'GET', THROUGHPUT_PATHS.cacheHit);
    const hit = await seed.expect<{ cache: string }>(200, 'GET', THROUGHPUT_PATHS.cacheHit);
    if (hit.body.cache !== 'hit') throw new Error(`throughput: expected a cache hit after a miss, got ${hit.body.cache}`);
    await seed.expect(200, 'GET', THROUGHPUT_PATHS.session);
    const sid = seed.cookie('sid');
    if (sid === undefined) throw new Error('throughput: the container set no sid cookie');
    const cookieFor = (route: (typeof THROUGHPUT_ROUTES)[number]) => (route.session ? `sid=${sid}` : undefined);

    // Warm-up (JIT, connections, Redis): one short unrecorded run per server and route (quick: none, its figures are not published).
    for (const route of ctx.quick ? [] : THROUGHPUT_ROUTES) {
      for (const server of THROUGHPUT_SERVERS) await measure(appOf(server), route.path, 1, cookieFor(route));
    }
    const perRoute = THROUGHPUT_ROUTES.map(() => [] as Array<Record<ThroughputServer, ThroughputRun>>);
    for (let round = 0; round < rounds; round += 1) {
      for (const [r, route] of THROUGHPUT_ROUTES.entries()) {
        const figures = {} as Record<ThroughputServer, ThroughputRun>;
        for (const server of rotated(THROUGHPUT_SERVERS, round + r)) figures[server] = await measure(appOf(server), route.path, seconds, cookieFor(route));
        perRoute[r].push(figures);
        ctx.progress(`  ${route.name}: ${THROUGHPUT_SERVERS.map((s) => `${s} ${Math.round(figures[s].reqPerSec)} req/s (${Math.round(figures[s].cpuUsPerRequest)} µs CPU/req)`).join(', ')}`);
      }
      ctx.progress(`throughput round ${round + 1}/${rounds}`);
    }
    return {
      connections: THROUGHPUT_CONNECTIONS,
      secondsPerRun: seconds,
      rounds,
      routes: THROUGHPUT_ROUTES.map((route, r) => ({ name: route.name, path: route.path, ...routeThroughput(perRoute[r], THROUGHPUT_TARGET) })),
    };
  } finally {
    seed?.close();
    await Promise.allSettled([...apps.values()].map((a) => a.stop()));
    await engines.stop();
  }
}
