/**
 * Wall time of the infrastructure tests and of `npm test` (the target: at most five minutes on
 * the idle reference machine), each run once: enough to see where the suite's time goes, not a
 * statistic. `npm test` runs this benchmark's quick mode, which times one small jest file instead,
 * so that the step is exercised without running the suite inside itself.
 */
import type { BenchContext } from './options';
import { measureTree } from './process-tree';

/** `npm test` on the idle reference machine. */
export const TEST_SUITE_TARGET_SECONDS = 300;
/** What the quick mode times: a small, engine-free suite. */
const QUICK_COMMAND = 'npx jest test/unit/bench-stats.test.ts';

export interface SuiteRun {
  readonly command: string;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly passed: boolean;
  /** Jest's summary lines ("Tests: 406 passed, 406 total"). */
  readonly summary: string;
}

export interface TestSuiteResult {
  readonly infra: SuiteRun;
  /** `npm test` in a full run; the quick command in a quick one. */
  readonly whole: SuiteRun;
  /** Seconds `whole` must stay within, when it is `npm test`. */
  readonly targetSeconds?: number;
}

async function timeOnce(ctx: BenchContext, command: string): Promise<SuiteRun> {
  ctx.progress(`test suite: ${command} (once)`);
  const m = await measureTree(`${command} 2>&1`, { cwd: ctx.repoRoot, timeoutMs: 1_800_000, sampleMs: 500, tailBytes: 256_000 });
  // The jest summary lines of the run (npm test prints the lab's and e2e's reports after them).
  const summary = m.outputTail
    .split('\n')
    .filter((line) => /^(Test Suites|Tests|Snapshots):/.test(line))
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .join('; ');
  return { command, wallMs: m.wallMs, cpuMs: m.cpuMs, passed: m.exitCode === 0, summary: summary || `exit ${m.exitCode}` };
}

export async function runTestSuiteBench(ctx: BenchContext): Promise<TestSuiteResult> {
  if (ctx.quick) {
    const run = await timeOnce(ctx, QUICK_COMMAND);
    if (!run.passed) throw new Error(`test suite: ${QUICK_COMMAND} failed: ${run.summary}`);
    return { infra: run, whole: run };
  }
  const infra = await timeOnce(ctx, 'npx jest test/infra');
  const whole = await timeOnce(ctx, 'npm test');
  return { infra, whole, targetSeconds: TEST_SUITE_TARGET_SECONDS };
}
