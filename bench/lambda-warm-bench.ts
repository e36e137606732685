/**
 * The Lambda request path, warm: per-invocation time of the whoami handler bundle for an ALB
 * event, in-process (no Lambda runtime, no network), beside a bare handler bundle returning the
 * same response. No target: both are far under Lambda's 1 ms billing unit; the row is there so
 * that a regression past ~0.5 ms per invocation shows.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { esbuildOptions, HANDLER_BUNDLING } from '../lib/function/handler-build';
import { albEvent, lambdaContext } from '../toolkit/alb-event';
import type { BundlesResult } from './bundles-bench';
import type { BenchContext } from './options';
import { ratioAcrossRounds, runStats, type Ratio, type RunStats } from './stats';

/** Past this, a warm invocation is worth looking at (the bound, not a target). */
export const WARM_INVOCATION_LIMIT_MS = 0.5;

export interface LambdaWarmResult {
  readonly invocationsPerRun: number;
  /** CPU time per invocation (the figure). */
  readonly whoamiMs: RunStats;
  readonly bareMs: RunStats;
  /** Wall time per invocation, for reference (includes waiting for a core). */
  readonly whoamiWallMs: RunStats;
  readonly bareWallMs: RunStats;
  readonly ratio: Ratio;
  readonly withinLimit: boolean;
}

/** A handler answering what whoami answers, with nothing around it (JSON built per call, as whoami does). */
const BARE_HANDLER_SOURCE = `
const startedAt = Date.now();
let served = 0;
export const handler = async () => {
  served += 1;
  const body = JSON.stringify({ instanceId: 'bare', tier: 'lambda', region: 'us-east-1', startedAt: new Date(startedAt).toISOString(), uptimeMs: Date.now() - startedAt, requestCount: served });
  return { statusCode: 200, headers: { 'content-type': 'application/json', 'x-served-by': 'bare' }, body, isBase64Encoded: false };
};
`;

/**
 * The child: warm up, then time `n` sequential invocations; prints the mean per invocation in ms,
 * CPU time of the process (user + system: what the invocations cost, not how long they waited
 * for a core on a shared machine) and wall time.
 */
const CHILD_SCRIPT = `
const mod = require(process.argv[1]);
const [event, ctx, n] = JSON.parse(process.argv[2]);
const context = { ...ctx, getRemainingTimeInMillis: () => 10000 };
(async () => {
  for (let i = 0; i < Math.min(n, 2000); i += 1) await mod.handler(event, context);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i += 1) await mod.handler(event, context);
  const cpu = process.cpuUsage(cpu0);
  const wallMs = (performance.now() - t0) / n;
  const ms = (cpu.user + cpu.system) / 1000 / n;
  const res = await mod.handler(event, context);
  process.stdout.write('WARM ' + JSON.stringify({ ms, wallMs, status: res.statusCode }) + '\\n');
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
`;

interface WarmRun {
  readonly ms: number;
  readonly wallMs: number;
  readonly status: number;
}

function runChild(file: string, args: string): Promise<WarmRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD_SCRIPT, file, args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'WARN' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString('utf8')).slice(-2000)));
    child.once('error', reject);
    child.once('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('WARM '));
      if (code !== 0 || line === undefined) reject(new Error(`warm invocations of ${file} failed (exit ${code}): ${err || out}`));
      else resolve(JSON.parse(line.slice('WARM '.length)) as WarmRun);
    });
  });
}

export async function runLambdaWarmBench(ctx: BenchContext, bundles: BundlesResult): Promise<LambdaWarmResult> {
  const whoami = bundles.handlers.find((h) => h.handler === 'reverse-proxy-handler');
  if (whoami === undefined) throw new Error('lambda-warm: no reverse-proxy-handler bundle');
  const esbuild = await import('esbuild');
  const bareFile = path.join(ctx.workDir, 'bundles', 'bare-handler', 'index.js');
  fs.mkdirSync(path.dirname(bareFile), { recursive: true });
  await esbuild.build({ ...esbuildOptions(HANDLER_BUNDLING), stdin: { contents: BARE_HANDLER_SOURCE, resolveDir: ctx.repoRoot, sourcefile: 'bare-handler.ts', loader: 'ts' }, outfile: bareFile });
  const n = ctx.quick ? 5000 : 20000;
  const args = JSON.stringify([albEvent({ path: '/lambda/whoami' }), lambdaContext(), n]);
  const who: WarmRun[] = [];
  const bare: WarmRun[] = [];
  for (let round = 0; round < ctx.runs; round += 1) {
    // Alternate which runs first, as the other benchmarks do.
    const order = round % 2 === 0 ? (['whoami', 'bare'] as const) : (['bare', 'whoami'] as const);
    for (const which of order) {
      const run = await runChild(which === 'whoami' ? whoami.bundle.file : bareFile, args);
      if (run.status !== 200) throw new Error(`lambda-warm: ${which} answered ${run.status}`);
      (which === 'whoami' ? who : bare).push(run);
    }
  }
  const whoamiMs = runStats(who.map((r) => r.ms));
  const bareMs = runStats(bare.map((r) => r.ms));
  ctx.progress(`lambda warm: whoami ${(whoamiMs.median * 1000).toFixed(1)} µs, bare ${(bareMs.median * 1000).toFixed(1)} µs CPU per invocation`);
  return {
    invocationsPerRun: n,
    whoamiMs,
    bareMs,
    whoamiWallMs: runStats(who.map((r) => r.wallMs)),
    bareWallMs: runStats(bare.map((r) => r.wallMs)),
    ratio: ratioAcrossRounds(who.map((w, i) => w.ms / bare[i].ms)),
    withinLimit: whoamiMs.median <= WARM_INVOCATION_LIMIT_MS,
  };
}
