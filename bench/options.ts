/**
 * Command-line options of `npm run bench` and what every benchmark receives: how many runs,
 * where to put scratch files, how to report progress.
 */
import * as path from 'node:path';
import { commandLine } from '../toolkit/command-line';

/** The benchmarks, in the order they run (the request paths share one engine set). */
export const BENCHMARK_NAMES = ['synth', 'bundles', 'cold-init', 'lambda-warm', 'request-paths', 'throughput', 'test-suite'] as const;
export type BenchmarkName = (typeof BENCHMARK_NAMES)[number];

export interface BenchOptions {
  readonly only: readonly BenchmarkName[];
  /** One run each and short series: a smoke test of every step (what `npm test` runs), not figures to publish; writes nothing. */
  readonly quick: boolean;
}

export const USAGE = `Usage: npm run bench [-- --only <name>[,<name>...]] [--quick]
  --only   run only these benchmarks: ${BENCHMARK_NAMES.join(', ')}
  --quick  one run each and short series: checks that every step runs (npm test runs it);
           prints the tables, writes neither bench/results.json nor BENCHMARKS.md`;

/**
 * Parses `--only a,b` (or `--only=a,b`, repeatable) and `--quick` (node:util parseArgs); throws with every problem at once.
 *
 * @example
 * parseBenchArgs(['--only', 'synth,bundles', '--quick']); // { only: ['synth', 'bundles'], quick: true }
 */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const problems: string[] = [];
  const only: BenchmarkName[] = [];
  let quick = false;
  const addOnly = (list: string | undefined) => {
    if (list === undefined || list.trim() === '') {
      problems.push('--only needs a benchmark name');
      return;
    }
    for (const name of list.split(',').map((n) => n.trim()).filter((n) => n !== '')) {
      if ((BENCHMARK_NAMES as readonly string[]).includes(name)) {
        if (!only.includes(name as BenchmarkName)) only.push(name as BenchmarkName);
      } else {
        problems.push(`--only ${JSON.stringify(name)} is unknown: expected one of ${BENCHMARK_NAMES.join(', ')}`);
      }
    }
  };
  for (const item of commandLine(argv, { quick: 'boolean', only: 'string' })) {
    if (item.kind === 'flag') quick = true;
    else if (item.kind === 'value') addOnly(item.value);
    else problems.push(`unknown argument ${JSON.stringify(item.kind === 'unknown' ? item.text : item.value)}`);
  }
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${USAGE}`);
  // Keep the declared order whatever order they were asked in: request paths reuse nothing from the others, but the output reads better.
  return { only: only.length === 0 ? [...BENCHMARK_NAMES] : BENCHMARK_NAMES.filter((n) => only.includes(n)), quick };
}

/** What each benchmark gets from the runner. */
export interface BenchContext {
  readonly repoRoot: string;
  /** Scratch folder of this run (bench/out/<timestamp>), removed at the end unless BENCH_KEEP=1. */
  readonly workDir: string;
  readonly quick: boolean;
  /** Repetitions of process-level measurements (synth, cold init). */
  readonly runs: number;
  /** One progress line (prefixed with the elapsed time). */
  progress(message: string): void;
}

export const REPO_ROOT = path.resolve(__dirname, '..');
