#!/usr/bin/env node
/**
 * `npm run bench [-- --only <name>[,...]] [--quick]`: runs the benchmarks, prints progress, and
 * writes `bench/results.json` and the results block of `BENCHMARKS.md`. See BENCHMARKS.md for
 * what each figure is and what it stands beside.
 *
 * Both files are written once, at the end, and only by a complete full run: a benchmark that fails
 * leaves them as they were. `--quick` (what `npm test` runs, so that a new handler or a broken step
 * fails CI) prints its tables and writes nothing: its figures are not figures to publish.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { installSignalHandlers } from '../harness';
import { runBundlesBench, type BundlesResult } from './bundles-bench';
import { runColdInitBench } from './cold-init-bench';
import { runLambdaWarmBench } from './lambda-warm-bench';
import { type BenchContext, type BenchmarkName, parseBenchArgs, REPO_ROOT, USAGE } from './options';
import { describeMachine, readResults, type Stamped, writeReport } from './report';
import { renderResults } from './report-render';
import { runRequestPathsBench } from './request-paths-bench';
import { runSynthBench } from './synth-bench';
import { runTestSuiteBench } from './test-suite-bench';
import { runThroughputBench } from './throughput-bench';

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const options = parseBenchArgs(argv);
  installSignalHandlers();
  const started = performance.now();
  const workDir = path.join(REPO_ROOT, 'bench', 'out', new Date().toISOString().replace(/[:.]/g, '-'));
  fs.mkdirSync(workDir, { recursive: true });
  const ctx: BenchContext = {
    repoRoot: REPO_ROOT,
    workDir,
    quick: options.quick,
    runs: options.quick ? 1 : 7,
    progress: (message) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`),
  };
  ctx.progress(`benchmarks: ${options.only.join(', ')}${options.quick ? ' (quick)' : ''}; load average ${os.loadavg()[0].toFixed(2)}`);
  const results = readResults(REPO_ROOT);
  let bundles: BundlesResult | undefined;
  const stamp = async <T>(name: BenchmarkName, run: () => Promise<T>): Promise<Stamped<T>> => {
    const loadBefore = Math.round(os.loadavg()[0] * 100) / 100;
    const result = await run();
    const stamped = { measuredAt: new Date().toISOString(), quick: options.quick, machine: describeMachine(loadBefore), result };
    ctx.progress(`${name} done`);
    return stamped;
  };
  try {
    for (const name of options.only) {
      switch (name) {
        case 'synth':
          // Synth is the slowest process-level figure: three runs keep `npm run bench` under five minutes.
          results.synth = await stamp(name, () => runSynthBench({ ...ctx, runs: options.quick ? 1 : 3 }));
          break;
        case 'bundles':
          results.bundles = await stamp(name, async () => (bundles = await runBundlesBench(ctx)));
          break;
        case 'cold-init': {
          bundles ??= await runBundlesBench({ ...ctx, progress: () => undefined });
          const built = bundles;
          results['cold-init'] = await stamp(name, () => runColdInitBench(ctx, built));
          break;
        }
        case 'lambda-warm': {
          bundles ??= await runBundlesBench({ ...ctx, progress: () => undefined });
          const built = bundles;
          results['lambda-warm'] = await stamp(name, () => runLambdaWarmBench(ctx, built));
          break;
        }
        case 'request-paths':
          results['request-paths'] = await stamp(name, () => runRequestPathsBench(ctx));
          break;
        case 'throughput':
          results.throughput = await stamp(name, () => runThroughputBench(ctx));
          break;
        case 'test-suite':
          results['test-suite'] = await stamp(name, () => runTestSuiteBench(ctx));
          break;
      }
    }
  } finally {
    if (process.env.BENCH_KEEP !== '1') fs.rmSync(workDir, { recursive: true, force: true });
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  if (options.quick) {
    const measured = Object.fromEntries(options.only.map((name) => [name, results[name]]));
    console.log(`\n${renderResults(measured)}`);
    ctx.progress(`every benchmark ran (quick: figures above are indicative only; bench/results.json and BENCHMARKS.md untouched) in ${seconds} s`);
    return;
  }
  writeReport(REPO_ROOT, results);
  ctx.progress(`wrote bench/results.json and BENCHMARKS.md in ${seconds} s`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
