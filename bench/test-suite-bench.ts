/**
 * Wall time of the infrastructure tests and of the whole suite, each run once (`npx jest
 * test/infra`, then `npx jest`): enough to see where the suite's time goes, not a statistic.
 */
import type { BenchContext } from './options';
import { measureTree } from './process-tree';

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
  readonly whole: SuiteRun;
}

async function runJest(ctx: BenchContext, args: string): Promise<SuiteRun> {
  const command = `npx jest ${args}`.trim();
  ctx.progress(`test suite: ${command} (once)`);
  const m = await measureTree(`${command} 2>&1 | tail -n 40`, { cwd: ctx.repoRoot, timeoutMs: 600_000, sampleMs: 500 });
  const summary = m.outputTail
    .split('\n')
    .filter((line) => /^(Test Suites|Tests|Snapshots):/.test(line))
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .join('; ');
  return { command, wallMs: m.wallMs, cpuMs: m.cpuMs, passed: /Tests:.*passed/.test(summary) && !/failed/.test(summary), summary };
}

export async function runTestSuiteBench(ctx: BenchContext): Promise<TestSuiteResult> {
  const infra = await runJest(ctx, 'test/infra');
  const whole = await runJest(ctx, '');
  return { infra, whole };
}
