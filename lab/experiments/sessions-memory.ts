/**
 * Memory per in-memory session: one app instance with SESSION_STORE=memory, started with
 * --expose-gc so that `GET /session/stats` reads the heap after a full GC (see the node options below). Sessions (each with a
 * one-line cart) are created in steps; the slope of heap bytes over sessions held is the cost of
 * one session. MEMORY_SESSION_LIMIT equals the number created, so the next ones must be refused.
 */
import * as fs from 'node:fs';
import { sleep, startAppInstances } from '../../harness';
import type { ChartSpec, Experiment, ExperimentContext, ExperimentResult } from '../experiment';
import { runLoad } from '../../toolkit';
import {
  fitLine, GIB, MIB, MIN_R2, sessionMemoryHolds, sessionsThatFit, type CapOutcome, type HeapReading,
} from '../sessions-memory-figures';
import { KeepAliveJsonClient, type JsonResponse } from '../sessions-memory-http';

const STEPS = 10;
const WARM_UP_SESSIONS = 600;
const CONCURRENCY = 8;

interface SessionStats {
  readonly heapUsedBytes: number;
  readonly heapAfterGc: boolean;
  readonly held: { readonly sessions: number; readonly approxBytes: number };
}

/** A pause before each reading: readings taken right after a burst of requests wobbled by ±300 KB. */
const settle = () => sleep(150);

async function readStats(client: KeepAliveJsonClient): Promise<SessionStats> {
  // Read twice, keep the second: the first GC runs while the previous requests' objects may still
  // be reachable (in our runs the second reading was ~0.7 MiB lower and much steadier). The pauses
  // let the server finish with the last requests (and V8 its background sweeping) first.
  await settle();
  await client.request('GET', '/session/stats');
  await settle();
  const response = await client.request<SessionStats>('GET', '/session/stats');
  if (response.status !== 200 || response.body?.heapAfterGc !== true) {
    throw new Error(`GET /session/stats answered ${response.status} (heapAfterGc=${String(response.body?.heapAfterGc)})`);
  }
  return response.body;
}

/** Resident memory of a process, from /proc (the lab runs on Linux). */
function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** One new user (no cookie): a new session whose cart holds one line. */
function createSession(client: KeepAliveJsonClient, sequence: number): Promise<JsonResponse> {
  return client.request('POST', '/session/cart', { body: { sku: `SKU-${sequence % 997}`, quantity: 1 + (sequence % 3) } });
}

/** Creates `count` sessions, CONCURRENCY at a time; returns their cookies. Any answer but 200 is an error here. */
async function fill(client: KeepAliveJsonClient, count: number, firstSequence: number): Promise<string[]> {
  const cookies: string[] = [];
  const load = await runLoad({
    concurrency: CONCURRENCY,
    requests: count,
    request: async (_, sequence) => {
      const { status, cookie } = await createSession(client, firstSequence + sequence);
      if (status !== 200 || cookie === undefined) throw new Error(`HTTP ${status}`);
      cookies.push(cookie);
    },
  });
  if (load.failed > 0) throw new Error(`creating sessions failed: ${JSON.stringify(load.errors)}`);
  return cookies;
}

async function warmUp(client: KeepAliveJsonClient): Promise<void> {
  // Compiles the hot paths (JIT code lives in the heap too) and lets the store's table grow once,
  // then ends the sessions it made: the first few hundred sessions otherwise look dearer than the rest.
  const cookies = await fill(client, WARM_UP_SESSIONS, 1_000_000);
  await runLoad({ concurrency: CONCURRENCY, requests: cookies.length, request: async (_, i) => void (await client.request('DELETE', '/session', { cookie: cookies[i] })) });
}

async function probeCap(client: KeepAliveJsonClient, limit: number, attempts: number, existingCookie: string): Promise<CapOutcome> {
  const heldBefore = (await readStats(client)).held.sessions;
  const statuses: number[] = [];
  await runLoad({
    concurrency: CONCURRENCY,
    requests: attempts,
    request: async (_, sequence) => {
      statuses.push((await createSession(client, 2_000_000 + sequence)).status);
    },
  });
  const again = await client.request<{ visits: number }>('GET', '/session', { cookie: existingCookie });
  return {
    limit,
    heldBefore,
    attempted: attempts,
    accepted: statuses.filter((s) => s === 200).length,
    refused: statuses.filter((s) => s === 503).length,
    existingServed: again.status === 200 && again.body.visits >= 1,
  };
}

function charts(readings: readonly HeapReading[], estimates: readonly HeapReading[], baseline: number): ChartSpec[] {
  const points = (list: readonly HeapReading[], base: number) =>
    list.map((r) => ({ x: r.sessions, y: Math.round(((r.heapUsedBytes - base) / MIB) * 100) / 100 }));
  return [
    {
      id: 'heap',
      title: 'Heap growth (after GC) with in-memory sessions',
      kind: 'line',
      unit: 'MiB',
      xLabel: 'sessions held',
      series: [
        { name: 'measured heap growth', points: points(readings, baseline) },
        { name: "store's own estimate", points: points(estimates, 0) },
      ],
    },
  ];
}

export const sessionsMemoryExperiment: Experiment = {
  id: 'sessions-memory',
  title: 'Session memory: what each in-memory session costs an instance',
  claim: 'Each in-memory session costs instance memory, which caps the users one instance can hold.',
  async run(ctx: ExperimentContext): Promise<ExperimentResult> {
    const total = ctx.quick ? 3000 : 20_000;
    const overLimit = ctx.quick ? 100 : 500;
    ctx.progress(`starting 1 app instance: SESSION_STORE=memory, MEMORY_SESSION_LIMIT=${total}, node --expose-gc --no-opt`);
    const [app] = await startAppInstances({
      count: 1,
      namePrefix: 'memory',
      env: { SESSION_STORE: 'memory', MEMORY_SESSION_LIMIT: String(total) },
      // --no-opt: optimized code comes and goes in the heap's code space (±250 KB between readings
      // in our runs, the cost of ~600 sessions); session data is laid out the same without it.
      // --no-flush-bytecode: our many forced GCs would otherwise age out unused functions' bytecode.
      nodeArgs: ['--expose-gc', '--no-opt', '--no-flush-bytecode'],
    });
    ctx.defer(() => app.stop());
    const client = new KeepAliveJsonClient(app.url, CONCURRENCY);
    ctx.defer(async () => client.close());

    ctx.progress(`warming up (${WARM_UP_SESSIONS} sessions created, then ended)`);
    await warmUp(client);
    const baseline = await readStats(client);
    const baselineRss = residentBytes(app.pid);
    const readings: HeapReading[] = [{ sessions: baseline.held.sessions, heapUsedBytes: baseline.heapUsedBytes }];
    const estimates: HeapReading[] = [{ sessions: baseline.held.sessions, heapUsedBytes: baseline.held.approxBytes }];
    let cookies: string[] = [];
    for (let step = 1; step <= STEPS; step += 1) {
      const target = Math.round((total * step) / STEPS);
      cookies = cookies.concat(await fill(client, target - cookies.length, cookies.length));
      const stats = await readStats(client);
      readings.push({ sessions: stats.held.sessions, heapUsedBytes: stats.heapUsedBytes });
      estimates.push({ sessions: stats.held.sessions, heapUsedBytes: stats.held.approxBytes });
      ctx.progress(`${stats.held.sessions}/${total} sessions held, heap ${(stats.heapUsedBytes / MIB).toFixed(1)} MiB after GC`);
    }
    const finalRss = residentBytes(app.pid);

    ctx.progress(`instance full: trying ${overLimit} more new sessions`);
    const cap = await probeCap(client, total, overLimit, cookies[0]);
    ctx.progress(`${cap.refused} refused (503), ${cap.accepted} accepted`);

    const fit = fitLine(readings);
    const bytesPerSession = Math.round(fit.slope);
    const last = estimates[estimates.length - 1];
    const estimatePerSession = last.sessions > 0 ? Math.round(last.heapUsedBytes / last.sessions) : 0;
    const sessionsPerGiB = sessionsThatFit(GIB, fit.slope);
    const heapGrowth = readings[readings.length - 1].heapUsedBytes - readings[0].heapUsedBytes;
    const fargateSessions = sessionsThatFit(512 * MIB - baselineRss, fit.slope);
    return {
      figures: {
        bytesPerSession,
        sessionsPerGiB,
        storeEstimateBytesPerSession: estimatePerSession,
        r2: Math.round(fit.r2 * 1000) / 1000,
        sessionsCreated: readings[readings.length - 1].sessions,
        heapGrowthBytes: heapGrowth,
        rssGrowthBytes: finalRss - baselineRss,
        fargate512MiB: { baselineRssBytes: baselineRss, sessions: fargateSessions },
        cap: { ...cap },
      },
      holds: sessionMemoryHolds(fit, cap),
      details:
        `One instance with in-memory sessions took ${last.sessions} sessions (one cart line each), created in ${STEPS} steps by ${CONCURRENCY} ` +
        `concurrent users; every heap reading follows a full GC (node --expose-gc, with --no-opt --no-flush-bytecode to keep JIT code out of it). ` +
        `The heap grew ${(heapGrowth / MIB).toFixed(1)} MiB: ${bytesPerSession} bytes per session (least-squares slope, R² ${fit.r2.toFixed(3)}; ` +
        `the store's own estimate is ${estimatePerSession}), about ${sessionsPerGiB} sessions per GiB; a 512 MiB Fargate task, minus the ` +
        `${(baselineRss / MIB).toFixed(0)} MiB the idle process uses, could hold about ${fargateSessions} (before V8's heap limit and request garbage). ` +
        `With MEMORY_SESSION_LIMIT=${cap.limit} reached, ${cap.refused} of ${cap.attempted} new sessions were refused with 503 and an existing one was ` +
        `${cap.existingServed ? 'still served' : 'NOT served'}. Holds when the slope is positive with R² >= ${MIN_R2} and exactly the sessions beyond the limit are refused.`,
      charts: charts(readings, estimates, readings[0].heapUsedBytes),
    };
  },
};
