/**
 * `cdk synth` of the whole app (every stack, every region, every Lambda bundled) beside an app
 * that only loads aws-cdk-lib and synthesizes one empty stack, measured two ways:
 * - `cli`: `npx cdk synth --quiet`, what a developer types (the CLI's own start-up included);
 * - `direct`: the app command of cdk.json with the context the CLI would pass, no CLI.
 * The figure is the CLI one; runs alternate app / baseline so that a busy moment hits both.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { handlerFiles } from '../lib/function/handler-build';
import type { BenchContext } from './options';
import { measureTree, type TreeMeasurement } from './process-tree';
import { ratioAcrossRounds, runStats, type Ratio, type RunStats } from './stats';

export const SYNTH_RATIO_TARGET = 2;
const EMPTY_APP = 'bench/fixtures/empty-app.ts';

export interface SynthVariantResult {
  readonly wallMs: RunStats;
  readonly cpuMs: RunStats;
  readonly peakRssMb: RunStats;
}

export interface SynthResult {
  readonly command: { readonly cli: string; readonly direct: string };
  /** `direct` is left out by `--quick` (the CLI figure, once each, is what CI checks still runs). */
  readonly app: { readonly cli: SynthVariantResult; readonly direct?: SynthVariantResult };
  readonly emptyApp: { readonly cli: SynthVariantResult; readonly direct?: SynthVariantResult };
  /** Whole-app wall time / empty-app wall time, CLI (the figure) and direct. */
  readonly ratio: {
    readonly cli: Ratio;
    readonly direct?: Ratio;
    readonly peakRssCli: Ratio;
    /** CPU time (user + system of the tree) over the empty app's: steadier than wall time on a shared machine. */
    readonly cpuCli?: Ratio;
  };
  /** Lambda assets with an `index.js` in the last whole-app assembly (one per handler file). */
  readonly lambdaBundles: number;
}

interface CdkJson {
  readonly app: string;
  readonly context?: Record<string, unknown>;
}

/** The context the CLI hands to the app: cdk.json's, then cdk.context.json's (cached lookups). */
function cliContext(repoRoot: string): string {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(repoRoot, 'cdk.json'), 'utf8')) as CdkJson;
  const cached = path.join(repoRoot, 'cdk.context.json');
  const lookups = fs.existsSync(cached) ? (JSON.parse(fs.readFileSync(cached, 'utf8')) as Record<string, unknown>) : {};
  return JSON.stringify({ ...cdkJson.context, ...lookups });
}

/** No network from the CLI: no telemetry, no version check, no notices (see BENCHMARKS.md). */
function quietCliEnv(): Record<string, string | undefined> {
  return { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: 'true' };
}

/** Run i of the app beside run i of the baseline (seconds apart), then the median over runs. */
function perRun(app: readonly TreeMeasurement[], empty: readonly TreeMeasurement[], pick: (m: TreeMeasurement) => number, target?: number): Ratio {
  return ratioAcrossRounds(app.map((m, i) => pick(m) / pick(empty[i])), target);
}

function variant(measurements: readonly TreeMeasurement[]): SynthVariantResult {
  return {
    wallMs: runStats(measurements.map((m) => m.wallMs)),
    cpuMs: runStats(measurements.map((m) => m.cpuMs)),
    peakRssMb: runStats(measurements.map((m) => m.peakRssBytes / 1e6)),
  };
}

function assertSucceeded(what: string, m: TreeMeasurement): void {
  if (m.exitCode !== 0) throw new Error(`${what} failed (${m.exitCode === null ? `killed after ${Math.round(m.wallMs / 1000)} s` : `exit ${m.exitCode}`}):\n${m.outputTail}`);
}

/** Folders of the assembly holding one of our Lambda bundles (with its source map; CDK's own custom resources have none). */
function countLambdaBundles(outdir: string): number {
  return fs.readdirSync(outdir).filter((entry) => fs.existsSync(path.join(outdir, entry, 'index.js.map'))).length;
}

export async function runSynthBench(ctx: BenchContext): Promise<SynthResult> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(ctx.repoRoot, 'cdk.json'), 'utf8')) as CdkJson;
  const emptyAppCommand = cdkJson.app.replace('bin/app.ts', EMPTY_APP);
  if (emptyAppCommand === cdkJson.app) throw new Error(`cdk.json app ${JSON.stringify(cdkJson.app)} does not run bin/app.ts`);
  const context = cliContext(ctx.repoRoot);
  const cli = (outdir: string, app?: string) =>
    `npx cdk synth --quiet --no-notices -o ${outdir}${app === undefined ? '' : ` --app '${app}'`} > /dev/null`;
  const runs: Record<'appCli' | 'emptyCli' | 'appDirect' | 'emptyDirect', TreeMeasurement[]> = {
    appCli: [],
    emptyCli: [],
    appDirect: [],
    emptyDirect: [],
  };
  let lambdaBundles = 0;
  // The direct runs get what the CLI would give the app: an output folder and the context.
  const directEnv = (outdir: string) => ({ ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: context });
  const plan: Array<[keyof typeof runs, (outdir: string) => string, (outdir: string) => Record<string, string | undefined>]> = [
    ['appCli', (out) => cli(out), quietCliEnv],
    ['emptyCli', (out) => cli(out, emptyAppCommand), quietCliEnv],
    ['appDirect', () => `${cdkJson.app} > /dev/null 2>&1`, directEnv],
    ['emptyDirect', () => `${emptyAppCommand} > /dev/null 2>&1`, directEnv],
  ];
  if (!ctx.quick) {
    // One unrecorded run first: tsx compiles changed files once and caches them, as on a developer's machine.
    const warmOutdir = path.join(ctx.workDir, 'synth-warm-up');
    assertSucceeded('synth warm-up', await measureTree(plan[2][1](warmOutdir), { cwd: ctx.repoRoot, env: plan[2][2](warmOutdir), timeoutMs: 600_000 }));
    fs.rmSync(warmOutdir, { recursive: true, force: true });
  }
  // Quick (CI): the CLI pair once, which runs every step a user's synth runs; the direct pair only adds figures.
  const planned = ctx.quick ? plan.filter(([name]) => name === 'appCli' || name === 'emptyCli') : plan;
  for (let run = 1; run <= ctx.runs; run += 1) {
    for (const [name, command, env] of planned) {
      const outdir = path.join(ctx.workDir, `synth-${name}-${run}`);
      // 10 minutes: on a machine shared with other jobs one synth has taken close to 2 minutes.
      const measured = await measureTree(command(outdir), { cwd: ctx.repoRoot, env: env(outdir), timeoutMs: 600_000 });
      assertSucceeded(`synth ${name}`, measured);
      runs[name].push(measured);
      if (name === 'appCli') lambdaBundles = countLambdaBundles(outdir);
      fs.rmSync(outdir, { recursive: true, force: true });
      ctx.progress(`synth ${name} run ${run}/${ctx.runs}: ${(measured.wallMs / 1000).toFixed(2)} s, peak ${(measured.peakRssBytes / 1e6).toFixed(0)} MB`);
    }
  }
  const expectedBundles = handlerFiles(path.join(ctx.repoRoot, 'lambdas', 'handlers')).length;
  if (lambdaBundles !== expectedBundles) {
    throw new Error(`synth produced ${lambdaBundles} Lambda bundles, expected one per handler file (${expectedBundles})`);
  }
  const direct = runs.appDirect.length > 0;
  const app = { cli: variant(runs.appCli), direct: direct ? variant(runs.appDirect) : undefined };
  const emptyApp = { cli: variant(runs.emptyCli), direct: direct ? variant(runs.emptyDirect) : undefined };
  return {
    command: { cli: 'npx cdk synth --quiet --no-notices', direct: `CDK_OUTDIR=... CDK_CONTEXT_JSON=... ${cdkJson.app}` },
    app,
    emptyApp,
    ratio: {
      cli: perRun(runs.appCli, runs.emptyCli, (m) => m.wallMs, SYNTH_RATIO_TARGET),
      direct: direct ? perRun(runs.appDirect, runs.emptyDirect, (m) => m.wallMs) : undefined,
      peakRssCli: perRun(runs.appCli, runs.emptyCli, (m) => m.peakRssBytes),
      cpuCli: perRun(runs.appCli, runs.emptyCli, (m) => m.cpuMs),
    },
    lambdaBundles,
  };
}
