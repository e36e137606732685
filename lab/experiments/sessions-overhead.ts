/**
 * The price of a shared session store: `GET /session` (read the session, count a visit, save it)
 * against one instance per strategy, directly (no load balancer), by the same workers. Each worker
 * iteration calls every target once in a random order, so that background load hits all of them
 * alike, and also times a raw Redis GET + SET from this process's own ioredis client.
 *
 * Redis sits on this host, where a round trip costs ~0.1 ms and drowns in scheduling noise (while
 * developing, on a busy 2-core machine, the same-host redis median once came out *below* memory's).
 * A real cache is another machine on the network, so the verdict uses a redis instance that reaches
 * Redis through a link adding LINK_DELAY_MS each way (the harness latency proxy), and the raw
 * GET+SET is timed over the same link. The same-host figures are reported too, for comparison.
 */
import Redis from 'ioredis';
import { performance } from 'node:perf_hooks';
import { startAppInstances, startLatencyProxy, startRedis, type AppInstance } from '../../harness';
import type { ChartSpec, Experiment, ExperimentContext, ExperimentResult } from '../experiment';
import { HttpClient, runLoad, summarize, type LatencySummary } from '../../toolkit';
import { MAX_ROUND_TRIPS, MIN_SHARE_OF_ROUND_TRIP, sessionOverheadVerdict } from '../sessions-overhead-figures';
import type { SessionStoreKind } from '../../lambdas/config/vocabulary';

const LINK_DELAY_MS = 1;
const WORKERS = 2;
const SIGNING_KEY = 'lab-session-overhead-signing-key-0123456789';

/** The targets of one iteration: four app instances and two raw Redis clients. */
const TARGETS = ['memory', 'cookie', 'redis', 'redisSameHost', 'rawGetSet', 'rawGetSetSameHost'] as const;
type Target = (typeof TARGETS)[number];

interface Setup {
  readonly apps: Record<SessionStoreKind | 'redisSameHost', AppInstance>;
  readonly raw: Record<'rawGetSet' | 'rawGetSetSameHost', Redis>;
}

async function startEngines(ctx: ExperimentContext): Promise<Setup> {
  ctx.progress('starting Redis and a link to it adding 1 ms each way');
  const redis = await startRedis();
  ctx.defer(() => redis.stop());
  const link = await startLatencyProxy({ targetPort: redis.port, delayMs: LINK_DELAY_MS });
  ctx.defer(() => link.stop());
  ctx.progress('starting 4 app instances: memory, cookie, redis over the link, redis on the same host');
  const linked = { ...redis.appEnv(), REDIS_PORT: String(link.port) };
  const start = async (name: string, env: Record<string, string>) => {
    const [app] = await startAppInstances({ count: 1, namePrefix: name, env });
    ctx.defer(() => app.stop());
    return app;
  };
  const [memory, cookie, linkedRedis, sameHost] = await Promise.all([
    start('memory', { SESSION_STORE: 'memory' }),
    start('cookie', { SESSION_STORE: 'cookie', SESSION_SIGNING_KEY: SIGNING_KEY }),
    start('redis', { ...linked, SESSION_STORE: 'redis' }),
    start('redis-same-host', { ...redis.appEnv(), SESSION_STORE: 'redis' }),
  ]);
  const client = (port: number) => {
    const raw = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, connectTimeout: 2000 });
    ctx.defer(async () => raw.disconnect());
    return raw;
  };
  return {
    apps: { memory, cookie, redis: linkedRedis, redisSameHost: sameHost },
    raw: { rawGetSet: client(link.port), rawGetSetSameHost: client(redis.port) },
  };
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** What a session store keeps for a user with a small cart: the raw GET+SET moves as much. */
const SESSION_VALUE = JSON.stringify({ createdAt: 1767225600000, visits: 3, cart: [{ sku: 'SKU-1', quantity: 2 }], servedBy: ['app-1'] });

async function measure(setup: Setup, durationMs: number, warmUpPerWorker: number): Promise<Record<Target, LatencySummary>> {
  // One browser (cookie jar) per worker and instance: each worker keeps its own session everywhere.
  const browsers = Array.from({ length: WORKERS }, () =>
    Object.fromEntries(Object.entries(setup.apps).map(([name, app]) => [name, new HttpClient(app.url)])),
  );
  const samples = Object.fromEntries(TARGETS.map((t) => [t, [] as number[]])) as Record<Target, number[]>;
  const call = async (worker: number, target: Target, record: boolean): Promise<void> => {
    if (target === 'rawGetSet' || target === 'rawGetSetSameHost') {
      const key = `lab:raw:${worker}`;
      const t0 = performance.now();
      await setup.raw[target].get(key);
      await setup.raw[target].set(key, SESSION_VALUE, 'EX', 1800);
      if (record) samples[target].push(performance.now() - t0);
      return;
    }
    const response = await browsers[worker][target].get('/session');
    if (response.status !== 200) throw new Error(`${target}: HTTP ${response.status}`);
    if (record) samples[target].push(response.ms);
  };
  const load = await runLoad({
    concurrency: WORKERS,
    durationMs,
    warmupPerWorker: warmUpPerWorker,
    request: async (worker, sequence) => {
      for (const target of shuffled(TARGETS)) await call(worker, target, sequence >= 0);
    },
  });
  if (load.failed > 0) throw new Error(`requests failed: ${JSON.stringify(load.errors)}`);
  return Object.fromEntries(TARGETS.map((t) => [t, summarize(samples[t])])) as Record<Target, LatencySummary>;
}

function charts(latency: Record<Target, LatencySummary>): ChartSpec[] {
  const labels: Partial<Record<Target, string>> = { memory: 'memory', cookie: 'cookie', redis: 'redis', rawGetSet: 'raw GET+SET' };
  const bars = (pickValue: (s: LatencySummary) => number) =>
    Object.entries(labels).map(([target, label]) => ({ x: label, y: pickValue(latency[target as Target]) }));
  return [
    {
      id: 'latency',
      title: `GET /session latency by strategy (Redis over a link adding ${LINK_DELAY_MS} ms each way)`,
      kind: 'bar',
      unit: 'ms',
      xLabel: 'strategy',
      series: [
        { name: 'p50', points: bars((s) => s.p50) },
        { name: 'p99', points: bars((s) => s.p99) },
      ],
    },
  ];
}

const pick = ({ p50, p99, count }: LatencySummary) => ({ p50, p99, count });

export const sessionsOverheadExperiment: Experiment = {
  id: 'sessions-overhead',
  title: 'Session overhead: the round trip a shared session store adds to every request',
  claim: 'A shared session store costs a network round trip per request; in-memory and cookie sessions do not.',
  async run(ctx: ExperimentContext): Promise<ExperimentResult> {
    const durationMs = ctx.quick ? 5000 : 20_000;
    const setup = await startEngines(ctx);
    ctx.progress(`measuring for ${durationMs} ms: ${WORKERS} workers, each calling every target once per iteration in random order`);
    const latency = await measure(setup, durationMs, 20);
    const verdict = sessionOverheadVerdict({
      memoryP50: latency.memory.p50,
      cookieP50: latency.cookie.p50,
      redisP50: latency.redis.p50,
      rawGetSetP50: latency.rawGetSet.p50,
    });
    const sameHostExtra = Math.round((latency.redisSameHost.p50 - latency.memory.p50) * 100) / 100;
    ctx.progress(`p50 memory ${latency.memory.p50} ms, cookie ${latency.cookie.p50}, redis ${latency.redis.p50}, raw GET+SET ${latency.rawGetSet.p50}`);
    const shareMin = MIN_SHARE_OF_ROUND_TRIP;
    return {
      figures: {
        redisExtraMs: verdict.redisExtraMs,
        cookieExtraMs: verdict.cookieExtraMs,
        redisExtraInRoundTrips: verdict.redisExtraInRoundTrips,
        latencyMs: {
          memory: pick(latency.memory),
          cookie: pick(latency.cookie),
          redis: pick(latency.redis),
          redisSameHost: pick(latency.redisSameHost),
        },
        rawRedisGetSetMs: { link: pick(latency.rawGetSet), sameHost: pick(latency.rawGetSetSameHost) },
        redisSameHostExtraMs: sameHostExtra,
        setup: { workers: WORKERS, linkDelayMsEachWay: LINK_DELAY_MS, durationMs },
      },
      holds: verdict.holds,
      details:
        `${WORKERS} workers called GET /session on one instance per strategy (no load balancer) for ${durationMs} ms, every target once per iteration ` +
        `in random order, so that machine noise hits all alike. Redis was reached over a link adding ${LINK_DELAY_MS} ms each way (on the same host a round trip ` +
        `is ~0.1 ms and lost in noise). Medians: memory ${latency.memory.p50} ms, cookie ${latency.cookie.p50} ms, redis ${latency.redis.p50} ms; ` +
        `a raw GET+SET from the lab over the same link took ${latency.rawGetSet.p50} ms. Redis added ${verdict.redisExtraMs} ms ` +
        `(${verdict.redisExtraInRoundTrips} GET+SET round trips), the signed cookie ${verdict.cookieExtraMs} ms. ` +
        `Same host: redis ${latency.redisSameHost.p50} ms (${sameHostExtra >= 0 ? '+' : ''}${sameHostExtra} ms), raw GET+SET ${latency.rawGetSetSameHost.p50} ms. ` +
        `Holds when redis adds ${shareMin} to ${MAX_ROUND_TRIPS} raw round trips and the cookie adds less than ${shareMin}.`,
      charts: charts(latency),
    };
  },
};
