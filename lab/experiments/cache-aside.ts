/**
 * Cache-aside on real engines: one app instance with Redis in front of PostgreSQL reads profiles
 * in a skewed (Zipf) order; then Redis is killed and the same sequence is read again, every read
 * going to the database (`cache: 'bypass'`), as the no-cache baseline.
 *
 * Database work is counted by PostgreSQL itself: index and sequential scans of `profiles`
 * (`pg_stat_user_tables`). PostgreSQL 15 backends publish their statistics at most once a second
 * and may keep them up to 10 s while idle, so before each reading the app's connections are ended
 * (`pg_terminate_backend`; a backend flushes its statistics when it exits, and the pool reconnects).
 */
import { startAppInstances, startPostgresCluster, startRedis, pollUntil, type PostgresCluster } from '../../harness';
import { bestHitRatio, zipfSequence } from '../cache-aside-workload';
import type { ChartSpec, Experiment, ExperimentContext, ExperimentResult } from '../experiment';
import { HttpClient, runLoad, summarize, type LatencySummary } from '../../toolkit';

const WORKERS = 4;
const ZIPF_S = 1;
const SEED = 20_240_601;
const WARM_UP_PROFILES = 50;

interface ProfileRead {
  readonly cache: 'hit' | 'miss' | 'bypass';
}

/** Index + sequential scans of `profiles` so far, once every app backend has flushed its statistics. */
async function profileLookups(cluster: PostgresCluster): Promise<number> {
  const app = "application_name = 'scalability-patterns'";
  await cluster.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${app}`);
  await pollUntil(async () => (await cluster.query(`SELECT 1 FROM pg_stat_activity WHERE ${app}`)).length === 0, 10_000, 'app backends did not exit');
  const [row] = await cluster.query<{ scans: string }>(
    "SELECT coalesce(idx_scan, 0) + coalesce(seq_scan, 0) AS scans FROM pg_stat_user_tables WHERE relname = 'profiles'",
  );
  return Number(row.scans);
}

interface Phase {
  readonly latency: Record<ProfileRead['cache'], number[]>;
  readonly lookups: number;
  readonly failed: number;
}

/** Reads `ranks` in order with WORKERS concurrent users; PostgreSQL's lookups are counted around it. */
async function readAll(cluster: PostgresCluster, client: HttpClient, ranks: readonly number[]): Promise<Phase> {
  const latency: Phase['latency'] = { hit: [], miss: [], bypass: [] };
  const before = await profileLookups(cluster);
  const load = await runLoad({
    concurrency: WORKERS,
    requests: ranks.length,
    request: async (_, sequence) => {
      const response = await client.get<ProfileRead>(`/profiles/p-${ranks[sequence]}`);
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      latency[response.body.cache].push(response.ms);
    },
  });
  return { latency, lookups: (await profileLookups(cluster)) - before, failed: load.failed };
}

const pick = ({ p50, p99, count }: LatencySummary) => ({ p50, p99, count });

function charts(hit: LatencySummary, miss: LatencySummary, noCache: LatencySummary, lookups: { withCache: number; withoutCache: number }): ChartSpec[] {
  const bars = (pickValue: (s: LatencySummary) => number) => [
    { x: 'cache hit', y: pickValue(hit) },
    { x: 'cache miss', y: pickValue(miss) },
    { x: 'no cache', y: pickValue(noCache) },
  ];
  return [
    { id: 'latency', title: 'GET /profiles/:id latency', kind: 'bar', unit: 'ms', xLabel: 'read path', series: [{ name: 'p50', points: bars((s) => s.p50) }, { name: 'p99', points: bars((s) => s.p99) }] },
    {
      id: 'database-lookups',
      title: 'Profile lookups PostgreSQL performed for the same reads',
      kind: 'bar',
      unit: 'lookups',
      xLabel: 'run',
      series: [{ name: 'lookups', points: [{ x: 'with cache', y: lookups.withCache }, { x: 'without cache', y: lookups.withoutCache }] }],
    },
  ];
}

export const cacheAsideExperiment: Experiment = {
  id: 'cache-aside',
  title: 'Cache-aside: read latency and database load with and without Redis',
  claim: 'A server-side cache cuts read latency and database load.',
  async run(ctx: ExperimentContext): Promise<ExperimentResult> {
    const profiles = ctx.quick ? 1000 : 5000;
    const reads = ctx.quick ? 3000 : 20_000;
    ctx.progress('starting PostgreSQL, Redis and 1 app instance');
    const [cluster, redis] = await Promise.all([startPostgresCluster({ replicas: 0 }), startRedis()]);
    ctx.defer(() => cluster.stop());
    ctx.defer(() => redis.stop());
    const [app] = await startAppInstances({ count: 1, namePrefix: 'cache', env: { ...cluster.appEnv(), ...redis.appEnv(), CACHE_TTL_SECONDS: '600' } });
    ctx.defer(() => app.stop());
    const client = new HttpClient(app.url);

    ctx.progress(`seeding ${profiles} profiles (+${WARM_UP_PROFILES} for the warm-up)`);
    const created = await client.request('PUT', '/profiles/w-0', { name: 'Warm Up', email: 'w-0@example.com' }); // applies the migrations
    if (created.status !== 201 && created.status !== 200) throw new Error(`PUT /profiles/w-0 answered ${created.status}`);
    await cluster.query(
      `INSERT INTO profiles (id, name, email)
       SELECT 'p-' || g, 'User ' || g, 'user' || g || '@example.com' FROM generate_series(1, $1::int) AS g
       UNION ALL SELECT 'w-' || g, 'Warm ' || g, 'w' || g || '@example.com' FROM generate_series(1, $2::int) AS g`,
      [profiles, WARM_UP_PROFILES],
    );
    await cluster.query('ANALYZE profiles');
    // Misses then hits on profiles outside the workload: compiled code paths, open connections.
    for (let round = 0; round < 2; round += 1) {
      await runLoad({ concurrency: WORKERS, requests: WARM_UP_PROFILES, request: async (_, i) => void (await client.get(`/profiles/w-${i + 1}`)) });
    }

    const ranks = zipfSequence({ items: profiles, s: ZIPF_S, count: reads, seed: SEED });
    ctx.progress(`with Redis: ${reads} reads of ${profiles} profiles, Zipf s=${ZIPF_S}, ${WORKERS} concurrent users`);
    const cached = await readAll(cluster, client, ranks);

    ctx.progress('killing Redis: the same reads now go to the database (bypass)');
    await redis.kill();
    await pollUntil(async () => (await client.get<ProfileRead>('/profiles/w-1')).body.cache === 'bypass', 10_000, 'reads did not bypass the dead cache');
    const uncached = await readAll(cluster, client, ranks);

    const hit = summarize(cached.latency.hit);
    const miss = summarize(cached.latency.miss);
    const noCache = summarize(uncached.latency.bypass);
    const hitRatio = Math.round((hit.count / reads) * 1000) / 1000;
    const lookups = { withCache: cached.lookups, withoutCache: uncached.lookups };
    const failed = cached.failed + uncached.failed;
    const complete = cached.latency.bypass.length === 0 && uncached.latency.bypass.length === reads;
    return {
      figures: {
        hitRatio,
        databaseLookups: { ...lookups, saved: lookups.withoutCache - lookups.withCache },
        latencyMs: { hit: pick(hit), miss: pick(miss), noCache: pick(noCache) },
        bestPossibleHitRatio: Math.round(bestHitRatio(ranks) * 1000) / 1000,
        missResponses: miss.count,
        failedReads: failed,
        setup: { profiles, reads, zipfS: ZIPF_S, workers: WORKERS },
      },
      holds: hit.p50 < miss.p50 && lookups.withCache < lookups.withoutCache && failed === 0 && complete,
      details:
        `${WORKERS} users read ${reads} profiles out of ${profiles}, Zipf-distributed (s=${ZIPF_S}), through one app instance with Redis in front of ` +
        `PostgreSQL (both on this host), then read the same sequence again with Redis killed (every read bypasses to the database). ` +
        `Hit ratio ${hitRatio} (the best this sequence allows is ${bestHitRatio(ranks).toFixed(3)}). Median latency: hit ${hit.p50} ms, ` +
        `miss ${miss.p50} ms, no cache ${noCache.p50} ms (p99 ${hit.p99} / ${miss.p99} / ${noCache.p99}). PostgreSQL counted ${lookups.withCache} ` +
        `profile lookups with the cache (${miss.count} miss responses) against ${lookups.withoutCache} without: ${lookups.withoutCache - lookups.withCache} saved. ` +
        (noCache.p50 <= hit.p50
          ? 'A primary-key lookup in an idle database on the same host is about as fast as a cache hit: here the gain is the database work saved. '
          : '') +
        `Holds when hit p50 < miss p50 and PostgreSQL did fewer lookups with the cache.`,
      charts: charts(hit, miss, noCache, lookups),
    };
  },
};
