/**
 * Request paths through the container server (one local instance per session strategy, real
 * Redis and PostgreSQL), each beside the raw engine operation it is built on, measured from the
 * same client process in the same run:
 * - sessions: p50/p99 of `GET /session` per strategy, beside a raw Redis GET+SET (what the Redis
 *   strategy does per request);
 * - cache-aside: a cache hit (the server's own `elapsedMs`, and end to end), beside a raw Redis GET;
 * - reads: a replica read and a read-your-writes read, beside a plain primary read through `pg`.
 * Closed loop, one request at a time (`lab/load.ts`), in rounds that interleave the series so
 * that a busy moment of the machine hits all of them alike.
 */
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import { sleep, startAppInstances, type AppInstance } from '../harness';
import { createDatabasePools, type DatabasePools } from '../lambdas/adapters/pg-pools';
import { findNote } from '../lambdas/adapters/pg-notes-repository';
import { createSecretResolver } from '../lambdas/adapters/secrets';
import { readDatabaseConfig } from '../lambdas/config/runtime-config';
import { ENV } from '../lambdas/config/env-names';
import { runLoad, summarize, type LatencySummary, KeepAliveHttpClient } from '../toolkit';
import { startBenchEngines } from './engines';
import type { BenchContext } from './options';
import { ratioAcrossRounds, runStats, type Ratio, type RunStats } from './stats';
import type { SessionStoreKind } from '../lambdas/config/vocabulary';

export const SESSION_OVERHEAD_TARGET = 1.5;
export const CACHE_HIT_RATIO_TARGET = 1.3;
const STRATEGIES = ['memory', 'redis', 'cookie'] as const satisfies readonly SessionStoreKind[];

export interface LatencyFigure {
  readonly p50: RunStats;
  readonly p99: RunStats;
  /** Requests measured per round. */
  readonly requestsPerRound: number;
  readonly failed: number;
}

export interface RequestPathsResult {
  readonly requestsPerRound: number;
  readonly rounds: number;
  readonly series: Readonly<Record<string, LatencyFigure>>;
  /** Paired baselines (the figures); `...BackToBack`: against the raw operation in a tight loop, for reference. */
  readonly sessions: { readonly redisOverRoundTrips: Ratio; readonly cookieOverRoundTrips: Ratio; readonly redisOverRoundTripsBackToBack: Ratio };
  readonly cache: { readonly hitServerVsRawGet: Ratio; readonly hitEndToEndVsRawGet: Ratio; readonly hitServerVsRawGetBackToBack: Ratio };
  readonly reads: { readonly replicaVsPrimary: Ratio; readonly readYourWritesVsPrimary: Ratio; readonly servedBy: Readonly<Record<string, Record<string, number>>> };
}

/**
 * One measured loop: `run` is one iteration; it sends one request of each series compared in the
 * loop and records each latency under its series name through `sample`.
 */
interface MeasuredLoop {
  readonly label: string;
  readonly run: (sample: (series: string, ms: number) => void) => Promise<void>;
}

/** Runs `operation` and records its latency under `series`. */
async function timed<T>(sample: (series: string, ms: number) => void, series: string, operation: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await operation();
  sample(series, performance.now() - started);
  return result;
}

/** Series names, as they appear in results.json and BENCHMARKS.md. */
export const SERIES = {
  session: (strategy: string) => `session ${strategy}`,
  rawGetSet: 'raw Redis GET+SET',
  rawGet: 'raw Redis GET',
  rawGetSetBackToBack: 'raw Redis GET+SET, back to back',
  rawGetBackToBack: 'raw Redis GET, back to back',
  cacheHitServer: 'cache hit (server elapsedMs)',
  cacheHitEndToEnd: 'cache hit (end to end)',
  replicaRead: 'replica read',
  readYourWrites: 'read-your-writes read',
  strongRead: 'primary read through the server',
  rawPrimaryRead: 'raw primary read (pg)',
  httpFloor: 'GET /whoami (HTTP floor)',
} as const;

export async function runRequestPathsBench(ctx: BenchContext): Promise<RequestPathsResult> {
  const requests = ctx.quick ? 200 : 500;
  const rounds = ctx.quick ? 1 : 7;
  ctx.progress('request paths: starting Redis, PostgreSQL (primary + 1 replica) and 3 app instances');
  const engines = await startBenchEngines({ dynamo: false });
  const apps: AppInstance[] = [];
  const clients: KeepAliveHttpClient[] = [];
  let redis: Redis | undefined;
  let pools: DatabasePools | undefined;
  try {
    for (const strategy of STRATEGIES) {
      const [app] = await startAppInstances({ count: 1, namePrefix: `bench-${strategy}`, env: { ...engines.env, [ENV.sessionStore]: strategy } });
      apps.push(app);
    }
    const client = (app: AppInstance) => {
      const c = new KeepAliveHttpClient(app.url);
      clients.push(c);
      return c;
    };
    const sessionClients = Object.fromEntries(STRATEGIES.map((s, i) => [s, client(apps[i])])) as Record<(typeof STRATEGIES)[number], KeepAliveHttpClient>;
    const main = client(apps[1]);
    redis = new Redis({ host: engines.redis.host, port: engines.redis.port, lazyConnect: false });
    pools = await createDatabasePools(readDatabaseConfig(engines.env), createSecretResolver());
    const primary = pools.primary;
    const r = redis;

    // Fixtures: one session per strategy, a cached profile, a replicated note.
    for (const s of STRATEGIES) await sessionClients[s].expect(200, 'GET', '/session');
    const sessionJson = await r.get(`session:${sessionClients.redis.cookie('sid') ?? ''}`);
    if (sessionJson === null) throw new Error('the Redis strategy stored no session');
    await main.expect([200, 201], 'PUT', '/profiles/bench-hit', { name: 'Bench User', email: 'bench@example.com' });
    await main.expect(200, 'GET', '/profiles/bench-hit'); // miss: fills the cache
    const profileJson = (await r.get('profile:bench-hit')) ?? '{}';
    const note = await main.expect<{ id: string }>(201, 'POST', '/notes', { text: 'bench note' });
    await waitForReplica(main, note.body.id);
    const readers = { replica: client(apps[1]), ryw: client(apps[1]) };
    const servedBy: Record<string, Record<string, number>> = { [SERIES.replicaRead]: {}, [SERIES.readYourWrites]: {} };
    const count = (series: string, node: string) => (servedBy[series][node] = (servedBy[series][node] ?? 0) + 1);

    // Series compared with each other run in the same loop, one request of each per iteration, so
    // that a busy moment of this shared machine hits them alike; each raw baseline is in the loop
    // of the figures it is compared with, so the engine sees the same idle gaps as under HTTP. Back
    // to back, a raw operation finds Redis and the CPU still hot and reads faster than any request
    // can (kept as reference rows).
    const rawGetSet = () => r.get('bench:session').then(() => r.set('bench:session', sessionJson, 'EX', 3600));
    const rawGet = () => r.get('profile:bench-hit');
    const groups: MeasuredLoop[] = [
      {
        label: 'sessions',
        run: async (sample) => {
          for (const s of STRATEGIES) await timed(sample, SERIES.session(s), () => sessionClients[s].expect(200, 'GET', '/session'));
          await timed(sample, SERIES.rawGetSet, rawGetSet);
        },
      },
      {
        label: 'cache-aside',
        run: async (sample) => {
          const res = await timed(sample, SERIES.cacheHitEndToEnd, () => main.expect<{ cache: string; elapsedMs: number }>(200, 'GET', '/profiles/bench-hit'));
          if (res.body.cache !== 'hit') throw new Error(`expected a cache hit, got ${res.body.cache}`);
          sample(SERIES.cacheHitServer, res.body.elapsedMs);
          await timed(sample, SERIES.rawGet, rawGet);
        },
      },
      {
        label: 'reads',
        run: async (sample) => {
          const res = await timed(sample, SERIES.replicaRead, () => readers.replica.expect<{ servedBy: string }>(200, 'GET', `/notes/${note.body.id}`));
          count(SERIES.replicaRead, res.body.servedBy);
          await timed(sample, SERIES.strongRead, () => main.expect(200, 'GET', `/notes/${note.body.id}?consistency=strong`));
          await timed(sample, SERIES.rawPrimaryRead, () => findNote(primary, note.body.id));
          await timed(sample, SERIES.httpFloor, () => main.expect(200, 'GET', '/whoami'));
        },
      },
      {
        label: SERIES.readYourWrites,
        run: async (sample) => {
          // The write is not timed: only the read that follows it, with the rw_lsn cookie it set.
          const written = await readers.ryw.expect<{ id: string }>(201, 'POST', '/notes', { text: 'ryw' });
          const res = await timed(sample, SERIES.readYourWrites, () => readers.ryw.expect<{ servedBy: string }>(200, 'GET', `/notes/${written.body.id}`));
          count(SERIES.readYourWrites, res.body.servedBy);
        },
      },
      { label: SERIES.rawGetSetBackToBack, run: (sample) => timed(sample, SERIES.rawGetSetBackToBack, rawGetSet).then(() => undefined) },
      { label: SERIES.rawGetBackToBack, run: (sample) => timed(sample, SERIES.rawGetBackToBack, rawGet).then(() => undefined) },
    ];
    await r.set('bench:session', sessionJson, 'EX', 3600);
    if (profileJson === '{}') throw new Error('the profile was not cached after a miss');

    // Per round and series: percentiles of the samples, summarized in microseconds so that
    // summarize()'s 0.01 rounding keeps sub-millisecond figures precise.
    const perRound = new Map<string, LatencySummary[]>();
    const failures = new Map<string, number>();
    for (let round = 1; round <= rounds; round += 1) {
      for (const s of groups) {
        const samples = new Map<string, number[]>();
        const result = await runLoad({
          concurrency: 1,
          // A read-your-writes iteration also writes: fewer of them keep the round short.
          requests: s.label === SERIES.readYourWrites ? Math.ceil(requests / 3) : requests,
          warmupPerWorker: 20,
          request: (_worker, sequence) =>
            s.run((name, ms) => {
              if (sequence < 0) return; // a warm-up iteration
              const values = samples.get(name) ?? [];
              values.push(ms * 1000);
              samples.set(name, values);
            }),
        });
        for (const [name, values] of samples) {
          perRound.set(name, [...(perRound.get(name) ?? []), summarize(values)]);
          failures.set(name, (failures.get(name) ?? 0) + result.failed);
        }
        if (result.failed > 0) ctx.progress(`  ${s.label}: ${result.failed} failed: ${JSON.stringify(result.errors)}`);
      }
      ctx.progress(`request paths round ${round}/${rounds}: ${groups.length} loops of ${requests} iterations`);
    }

    const figures: Record<string, LatencyFigure> = {};
    for (const [name, summaries] of perRound) {
      figures[name] = {
        p50: runStats(summaries.map((s) => s.p50 / 1000)),
        p99: runStats(summaries.map((s) => s.p99 / 1000)),
        requestsPerRound: summaries[0].count,
        failed: failures.get(name) ?? 0,
      };
    }
    // Ratios per round (figure and baseline from the same loop), then their median across rounds.
    const p50s = (name: string) => (perRound.get(name) ?? []).map((summary) => summary.p50);
    const across = (figure: string, baseline: string, target?: number, reference?: string) => {
      const [f, b, ref] = [p50s(figure), p50s(baseline), reference === undefined ? undefined : p50s(reference)];
      return ratioAcrossRounds(f.map((v, i) => (v - (ref?.[i] ?? 0)) / b[i]), target);
    };
    const memory = SERIES.session('memory');
    return {
      requestsPerRound: requests,
      rounds,
      series: figures,
      sessions: {
        redisOverRoundTrips: across(SERIES.session('redis'), SERIES.rawGetSet, SESSION_OVERHEAD_TARGET, memory),
        cookieOverRoundTrips: across(SERIES.session('cookie'), SERIES.rawGetSet, undefined, memory),
        redisOverRoundTripsBackToBack: across(SERIES.session('redis'), SERIES.rawGetSetBackToBack, undefined, memory),
      },
      cache: {
        hitServerVsRawGet: across(SERIES.cacheHitServer, SERIES.rawGet, CACHE_HIT_RATIO_TARGET),
        hitEndToEndVsRawGet: across(SERIES.cacheHitEndToEnd, SERIES.rawGet),
        hitServerVsRawGetBackToBack: across(SERIES.cacheHitServer, SERIES.rawGetBackToBack),
      },
      reads: {
        replicaVsPrimary: across(SERIES.replicaRead, SERIES.rawPrimaryRead),
        readYourWritesVsPrimary: across(SERIES.readYourWrites, SERIES.rawPrimaryRead),
        servedBy,
      },
    };
  } finally {
    for (const c of clients) c.close();
    redis?.disconnect();
    await pools?.close();
    await Promise.allSettled(apps.map((a) => a.stop()));
    await engines.stop();
  }
}

/** Polls until a replica serves the note (bounded): the replica-read series must read replicated data. */
async function waitForReplica(client: KeepAliveHttpClient, id: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await client.request<{ servedBy?: string }>('GET', `/notes/${id}`);
    if (res.status === 200 && res.body.servedBy?.startsWith('replica')) return;
    if (Date.now() > deadline) throw new Error(`note ${id} never served by a replica (last: HTTP ${res.status} ${JSON.stringify(res.body)})`);
    await sleep(50);
  }
}
