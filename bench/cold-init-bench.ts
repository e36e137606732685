/**
 * Cold init of each Lambda bundle in a fresh Node process, beside an empty handler in a fresh
 * process. The figure is Lambda's "Init Duration" seen from inside the process: from the process
 * start (Node's own start-up included, as on Lambda) until the handler has loaded, built its app
 * and clients, and answered a request that touches no engine (a 404). A second figure, the
 * first engine request, shows what was left for later (drivers evaluated and connections opened on
 * first use), so deferring work cannot hide it.
 *
 * Configuration: every pattern's local configuration (plain secret values, Redis sessions as
 * deployed) against real local engines; see BENCHMARKS.md for what differs on AWS.
 */
import { spawn } from 'node:child_process';
import { albEvent, lambdaContext } from '../toolkit/alb-event';
import type { BuiltBundle, BundlesResult } from './bundles-bench';
import { startBenchEngines } from './engines';
import type { BenchContext } from './options';
import { ratioAcrossRounds, runStats, type Ratio, type RunStats } from './stats';

/**
 * Targets of the reframed figure. A handler is held to its own baseline (the same SDK clients and
 * drivers, constructed, nothing else): what the project adds on top of what it must load. The old
 * "3x the empty handler" measured the SDK as much as the code: the DynamoDB client alone is ~3.3x.
 * whoami, which loads no client, is held to the empty handler.
 */
export const COLD_INIT_BASELINE_TARGET = 1.5;
export const COLD_INIT_NO_CLIENT_TARGET = 2.5;
/** What `PatternFunction` sets on every function. */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';

/** Timings the child reports, in ms since its process started (performance.timeOrigin). */
interface ChildReport {
  readonly bootMs: number;
  readonly loadMs: number;
  readonly initMs: number;
  readonly readyMs: number;
  readonly firstRequestMs: number | null;
  readonly firstStatus: number | null;
}

const REPORT_MARKER = 'BENCH-REPORT ';

/**
 * The child: require the bundle, invoke its ready event (a 404 for HTTP), then its first engine request. Plain
 * JavaScript passed with `-e`, so that nothing but the bundle is loaded.
 */
const CHILD_SCRIPT = `
const t0 = performance.now();
const mod = require(process.argv[1]);
const t1 = performance.now();
const [ready, first] = JSON.parse(process.argv[2]);
const context = { ...JSON.parse(process.argv[3]), getRemainingTimeInMillis: () => 10000 };
(async () => {
  if (ready !== null) await mod.handler(ready, context);
  const t2 = performance.now();
  let firstStatus = null;
  let t3 = null;
  if (first !== null) {
    const res = await mod.handler(first, context);
    t3 = performance.now();
    // An operator or deploy-step result has no HTTP status: resolved counts as 200, { ok: false } as 500.
    firstStatus = res && typeof res.statusCode === 'number' ? res.statusCode : res && res.ok === false ? 500 : 200;
  }
  process.stdout.write('BENCH-REPORT ' + JSON.stringify({ bootMs: t0, loadMs: t1 - t0, initMs: t2 - t1, readyMs: t2,
    firstRequestMs: t3 === null ? null : t3 - t2, firstStatus }) + '\\n');
  process.exit(0);
})().catch((error) => { process.stderr.write(String((error && error.stack) || error)); process.exit(1); });
`;

/**
 * How the benchmark starts each handler without AWS. `ready` is the cheapest complete invocation
 * (app and clients built, nothing reached): a 404 for an HTTP handler, an unknown action for an
 * operator handler; none for a deploy step, whose one invocation is its whole job (ready = module
 * loaded). `first` is the first invocation that reaches an engine, timed separately.
 */
export type ColdInitProbe =
  | { readonly kind: 'http'; readonly first: { readonly method: string; readonly path: string } | null }
  | { readonly kind: 'operator'; readonly ready: Readonly<Record<string, unknown>> }
  | { readonly kind: 'deploy-step' }
  /** Loaded, never invoked: its one call goes to an AWS API that no local engine serves. */
  | { readonly kind: 'load-only' };

/**
 * One probe per handler file. A handler without one fails the benchmark (and with it CI's quick
 * run) with a message that says where to add it, instead of starting it without configuration.
 */
export const COLD_INIT_PROBES: Readonly<Record<string, ColdInitProbe>> = {
  'reverse-proxy-handler': { kind: 'http', first: { method: 'GET', path: '/lambda/whoami' } },
  'sessions-handler': { kind: 'http', first: { method: 'GET', path: '/lambda/session' } },
  'cache-aside-handler': { kind: 'http', first: { method: 'GET', path: '/lambda/profiles/bench-cold' } },
  'read-replica-handler': { kind: 'http', first: { method: 'GET', path: '/lambda/notes/1' } },
  'replication-lag-handler': { kind: 'http', first: { method: 'GET', path: '/lambda/replication/lag' } },
  'counters-handler': { kind: 'http', first: { method: 'GET', path: '/lambda/counters/bench-cold' } },
  'multi-master-handler': { kind: 'http', first: { method: 'GET', path: '/lambda/items/bench-cold' } },
  // Its real actions need the RDS API; an unknown action is answered without building anything.
  'failover-operations-handler': { kind: 'operator', ready: { action: 'bench-cold-init' } },
  // The deploy-time trigger: one run reads both secrets (Secrets Manager in moto_server) and migrates the harness's PostgreSQL.
  'migration-handler': { kind: 'deploy-step' },
  // The deploy-time quota check: its one call is Lambda GetAccountSettings, which no local engine serves.
  'concurrency-preflight-handler': { kind: 'load-only' },
};

/**
 * The probe of `handler`.
 *
 * @example
 * coldInitProbe('reverse-proxy-handler'); // { kind: 'http', first: { method: 'GET', path: '/lambda/whoami' } }
 */
export function coldInitProbe(handler: string): ColdInitProbe {
  const probe = COLD_INIT_PROBES[handler];
  if (probe === undefined) {
    throw new Error(`cold init: no probe for ${handler}: add one to COLD_INIT_PROBES in bench/cold-init-bench.ts (how to invoke it without AWS, and its first engine request)`);
  }
  return probe;
}

/** The child's two events, `[ready, first]` (null: not invoked), as JSON. */
function probeEvents(probe: ColdInitProbe): string {
  switch (probe.kind) {
    case 'http':
      return JSON.stringify([
        albEvent({ path: '/lambda/bench-cold-init-404' }),
        probe.first === null ? null : albEvent({ method: probe.first.method, path: probe.first.path }),
      ]);
    case 'operator':
      return JSON.stringify([probe.ready, null]);
    case 'deploy-step':
      return JSON.stringify([null, {}]);
    case 'load-only':
      return JSON.stringify([null, null]);
  }
}

/** The path shown for the first request. */
function firstLabel(probe: ColdInitProbe): string | undefined {
  if (probe.kind === 'http') return probe.first?.path;
  return probe.kind === 'deploy-step' ? '(one complete run)' : undefined;
}

export interface ColdInitFigure {
  readonly readyMs: RunStats;
  readonly bootMs: RunStats;
  readonly loadMs: RunStats;
  readonly initMs: RunStats;
}

export interface HandlerColdInit {
  readonly handler: string;
  readonly plain: ColdInitFigure;
  /** With NODE_OPTIONS=--enable-source-maps, as deployed. */
  readonly sourceMaps: ColdInitFigure;
  /** The SDK-only bundle of the same clients (what the drivers alone cost), when there is one. */
  readonly sdkOnly?: ColdInitFigure;
  readonly firstRequest?: { readonly ms: RunStats; readonly statuses: readonly number[]; readonly path: string };
  /** To the empty handler; with a target only for a handler without clients (whoami). */
  readonly ratioToEmpty: Ratio;
  /** To its SDK-only bundle (target), when it has clients. */
  readonly ratioToBaseline?: Ratio;
  readonly ratioSourceMaps: Ratio;
}

export interface ColdInitResult {
  readonly emptyHandler: { readonly plain: ColdInitFigure; readonly sourceMaps: ColdInitFigure };
  readonly handlers: readonly HandlerColdInit[];
}

function runChild(bundle: BuiltBundle, events: string, context: string, env: Record<string, string>, nodeOptions: string[]): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeOptions, '-e', CHILD_SCRIPT, bundle.file, events, context], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString('utf8')).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      // The handler's own logs go to stdout too: the report is the line with the marker.
      const line = out.split('\n').find((l) => l.startsWith(REPORT_MARKER));
      if (code !== 0 || line === undefined) {
        reject(new Error(`cold init of ${bundle.name} failed (exit ${code}): ${err || out}`));
        return;
      }
      resolve(JSON.parse(line.slice(REPORT_MARKER.length)) as ChildReport);
    });
  });
}

function figure(reports: readonly ChildReport[]): ColdInitFigure {
  return {
    readyMs: runStats(reports.map((r) => r.readyMs)),
    bootMs: runStats(reports.map((r) => r.bootMs)),
    loadMs: runStats(reports.map((r) => r.loadMs)),
    initMs: runStats(reports.map((r) => r.initMs)),
  };
}

/** Runs every bundle `ctx.runs` times, round by round (one run of each bundle per round). */
export async function runColdInitBench(ctx: BenchContext, bundles: BundlesResult): Promise<ColdInitResult> {
  // Before any engine starts: a handler without a probe fails here, with where to add one.
  const probes = new Map(bundles.handlers.map((h) => [h.handler, coldInitProbe(h.handler)]));
  const needsSecrets = [...probes.values()].some((p) => p.kind === 'deploy-step');
  ctx.progress(`cold init: starting Redis, PostgreSQL, dynalite${needsSecrets ? ' and moto_server (Secrets Manager)' : ''}`);
  const engines = await startBenchEngines({ dynamo: true, secrets: needsSecrets });
  try {
    const context = JSON.stringify(lambdaContext());
    interface Job {
      readonly key: string;
      readonly bundle: BuiltBundle;
      readonly nodeOptions: string[];
      readonly events: string;
    }
    const jobs: Job[] = [];
    const add = (key: string, bundle: BuiltBundle, nodeOptions: string[], events: string) => jobs.push({ key, bundle, nodeOptions, events });
    const readyOnly = (events: string) => JSON.stringify([(JSON.parse(events) as unknown[])[0], null]);
    const emptyEvents = probeEvents({ kind: 'http', first: null });
    add('empty:plain', bundles.emptyHandler, [], emptyEvents);
    add('empty:maps', bundles.emptyHandler, [LAMBDA_NODE_OPTIONS], emptyEvents);
    for (const h of bundles.handlers) {
      const events = probeEvents(probes.get(h.handler) as ColdInitProbe);
      add(`${h.handler}:plain`, h.bundle, [], events);
      add(`${h.handler}:maps`, h.bundle, [LAMBDA_NODE_OPTIONS], readyOnly(events));
      if (h.baselineKind === 'sdk-only') add(`${h.handler}:sdk-only`, h.baseline, [], emptyEvents);
    }
    const reports = new Map<string, ChildReport[]>(jobs.map((j) => [j.key, []]));
    for (let round = 1; round <= ctx.runs; round += 1) {
      for (const job of jobs) reports.get(job.key)?.push(await runChild(job.bundle, job.events, context, engines.env, job.nodeOptions));
      ctx.progress(`cold init round ${round}/${ctx.runs}: ${jobs.length} fresh processes`);
    }
    const of = (key: string) => figure(reports.get(key) ?? []);
    // Round i of a handler and of the empty handler ran seconds apart: their ratio, then the median over rounds.
    const perRoundRatio = (key: string, baseline: string, target?: number) => {
      const base = reports.get(baseline) ?? [];
      return ratioAcrossRounds((reports.get(key) ?? []).map((r, i) => r.readyMs / base[i].readyMs), target);
    };
    const empty = { plain: of('empty:plain'), sourceMaps: of('empty:maps') };
    const handlers = bundles.handlers.map((h): HandlerColdInit => {
      const plain = of(`${h.handler}:plain`);
      const sourceMaps = of(`${h.handler}:maps`);
      const first = firstLabel(probes.get(h.handler) as ColdInitProbe);
      const plainReports = reports.get(`${h.handler}:plain`) ?? [];
      return {
        handler: h.handler,
        plain,
        sourceMaps,
        sdkOnly: h.baselineKind === 'sdk-only' ? of(`${h.handler}:sdk-only`) : undefined,
        firstRequest:
          first === undefined
            ? undefined
            : {
                ms: runStats(plainReports.map((r) => r.firstRequestMs ?? Number.NaN)),
                statuses: [...new Set(plainReports.map((r) => r.firstStatus ?? 0))],
                path: first,
              },
        ratioToEmpty: perRoundRatio(`${h.handler}:plain`, 'empty:plain', h.baselineKind === 'sdk-only' ? undefined : COLD_INIT_NO_CLIENT_TARGET),
        ratioToBaseline: h.baselineKind === 'sdk-only' ? perRoundRatio(`${h.handler}:plain`, `${h.handler}:sdk-only`, COLD_INIT_BASELINE_TARGET) : undefined,
        ratioSourceMaps: perRoundRatio(`${h.handler}:maps`, 'empty:maps'),
      };
    });
    for (const h of handlers) {
      const bad = h.firstRequest?.statuses.filter((s) => s >= 500 || s === 0) ?? [];
      if (bad.length > 0) throw new Error(`${h.handler}: first request ${h.firstRequest?.path} answered ${bad.join(', ')}`);
    }
    return { emptyHandler: empty, handlers };
  } finally {
    await engines.stop();
  }
}
