/**
 * Runs checks against a target: a check whose capabilities the target lacks is skipped with the
 * reason, a running check is bounded by the target's timeout (a hang is a failure, not a stuck
 * run), and every outcome is recorded as passed, failed or skipped with its duration.
 */
import { performance } from 'node:perf_hooks';
import { missingCapability } from './capabilities';
import { CheckSkipped, checkContext, type E2eCheck } from './check';
import type { E2eTarget } from './targets/target';

export type CheckOutcome = 'passed' | 'failed' | 'skipped';

export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly target: string;
  readonly outcome: CheckOutcome;
  readonly ms: number;
  /** Passed: what was seen; failed: why; skipped: why it could not run here. */
  readonly reason: string;
}

export interface RunOptions {
  /** Called after each check, e.g. to print a progress line. */
  readonly onResult?: (result: CheckResult) => void;
}

/** Runs `checks` one after the other (they share the target's engines) and returns every result. */
export async function runChecks(target: E2eTarget, checks: readonly E2eCheck[], options: RunOptions = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    const result = await runOne(target, check);
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

async function runOne(target: E2eTarget, check: E2eCheck): Promise<CheckResult> {
  const base = { id: check.id, title: check.title, target: target.name };
  const missing = missingCapability(target.capabilities, check.needs);
  if (missing !== undefined) return { ...base, outcome: 'skipped', ms: 0, reason: missing };
  const t0 = performance.now();
  const elapsed = () => Math.round(performance.now() - t0);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${target.checkTimeoutMs} ms`)), target.checkTimeoutMs);
  });
  try {
    const details = await Promise.race([check.run(checkContext(target, check)), timeout]);
    return { ...base, outcome: 'passed', ms: elapsed(), reason: details };
  } catch (error) {
    if (error instanceof CheckSkipped) return { ...base, outcome: 'skipped', ms: elapsed(), reason: error.reason };
    return { ...base, outcome: 'failed', ms: elapsed(), reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The process exit code for a run: 1 when a check failed, or when none passed (a run that verified
 * nothing must not look green); 0 otherwise. Skipped checks never count as passed.
 */
export function exitCodeFor(results: readonly CheckResult[]): 0 | 1 {
  if (results.some((r) => r.outcome === 'failed')) return 1;
  return results.some((r) => r.outcome === 'passed') ? 0 : 1;
}

/** "17 checks: 12 passed, 5 skipped, 0 failed". */
export function totals(results: readonly CheckResult[]): string {
  const count = (outcome: CheckOutcome) => results.filter((r) => r.outcome === outcome).length;
  return `${results.length} checks: ${count('passed')} passed, ${count('skipped')} skipped, ${count('failed')} failed`;
}

/**
 * The summary table printed at the end: check / target / result / ms / reason, one row per check.
 *
 * @example
 * console.log(formatSummary(results));
 */
export function formatSummary(results: readonly CheckResult[], maxReason = 110): string {
  const header = ['check', 'target', 'result', 'ms', 'reason'];
  const rows = results.map((r) => [
    r.id,
    r.target,
    r.outcome.toUpperCase(),
    String(r.ms),
    r.reason.length > maxReason ? `${r.reason.slice(0, maxReason - 3)}...` : r.reason,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 3 ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '', totals(results)].join('\n');
}
