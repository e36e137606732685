/**
 * Figures and verdict of the `autoscale` experiment, kept apart from the engines so that they can
 * be tested: latency per window and per phase (before, during and after the load step), the time
 * from the step until p99 is back under the bound, and whether the claim held.
 */
import { summarize } from '../toolkit';

/** One request of the open-loop load, by the time it was sent. */
export interface TimedRequest {
  /** Milliseconds since the run started. */
  readonly startedMs: number;
  readonly ms: number;
  readonly ok: boolean;
}

export interface WindowLatency {
  readonly startMs: number;
  readonly requests: number;
  readonly failed: number;
  readonly p50: number;
  readonly p99: number;
}

/** When the load stepped up and back down, and when the run ended (ms since its start). */
export interface StepPhases {
  readonly stepStartMs: number;
  readonly stepEndMs: number;
  readonly endMs: number;
}

/** A type, not an interface, so that it is a report figure as is. */
export type PhaseLatency = {
  readonly requests: number;
  readonly failed: number;
  readonly p50: number;
  readonly p99: number;
};

/** Latency of the requests sent in each window [k x windowMs, (k+1) x windowMs) up to `endMs` (failed ones excluded from the percentiles). */
export function latencyByWindow(requests: readonly TimedRequest[], windowMs: number, endMs: number): WindowLatency[] {
  const count = Math.ceil(endMs / windowMs);
  const buckets = Array.from({ length: count }, () => ({ ms: [] as number[], failed: 0 }));
  for (const r of requests) {
    const bucket = buckets[Math.floor(r.startedMs / windowMs)];
    if (bucket === undefined) continue;
    if (r.ok) bucket.ms.push(r.ms);
    else bucket.failed += 1;
  }
  return buckets.map((b, k) => {
    const s = summarize(b.ms);
    return { startMs: k * windowMs, requests: b.ms.length + b.failed, failed: b.failed, p50: s.p50, p99: s.p99 };
  });
}

/** Latency of the requests sent before, during and after the step. */
export function latencyByPhase(requests: readonly TimedRequest[], phases: StepPhases): Record<'before' | 'during' | 'after', PhaseLatency> {
  const of = (from: number, to: number): PhaseLatency => {
    const inPhase = requests.filter((r) => r.startedMs >= from && r.startedMs < to);
    const s = summarize(inPhase.filter((r) => r.ok).map((r) => r.ms));
    return { requests: inPhase.length, failed: inPhase.filter((r) => !r.ok).length, p50: s.p50, p99: s.p99 };
  };
  return { before: of(0, phases.stepStartMs), during: of(phases.stepStartMs, phases.stepEndMs), after: of(phases.stepEndMs, phases.endMs) };
}

/** The p99 bound is at least this, and at least twice the p99 before the step (a busy machine is slower for both runs). */
export const MIN_P99_BOUND_MS = 300;

/** The latency bound of both runs, in whole milliseconds. */
export function p99Bound(p99sBeforeStep: readonly number[]): number {
  return Math.max(MIN_P99_BOUND_MS, Math.round(2 * Math.max(0, ...p99sBeforeStep)));
}

/**
 * Milliseconds from the step until p99 is back under `boundMs` for good (every later window of the
 * step within the bound, with no failed request): the end of the last step window over the bound,
 * 0 if none was, null if the step's last window still was (not recovered within the step).
 */
export function recoveryMs(windows: readonly WindowLatency[], windowMs: number, phases: StepPhases, boundMs: number): number | null {
  const inStep = windows.filter((w) => w.startMs >= phases.stepStartMs && w.startMs + windowMs <= phases.stepEndMs);
  if (inStep.length === 0) return null;
  const over = (w: WindowLatency): boolean => w.p99 > boundMs || w.failed > 0;
  const lastOver = inStep.map(over).lastIndexOf(true);
  if (lastOver === -1) return 0;
  if (lastOver === inStep.length - 1) return null;
  return inStep[lastOver].startMs + windowMs - phases.stepStartMs;
}

export interface AutoscaleRun {
  /** Most instances in service at once. */
  readonly maxInstances: number;
  /** Instances asked for when the run ended. */
  readonly finalInstances: number;
  readonly recoveryMs: number | null;
}

export interface AutoscaleVerdict {
  readonly holds: boolean;
  readonly reasons: readonly string[];
}

/**
 * Holds when the autoscaled tier added instances, brought p99 back under the bound before the step
 * ended and scaled back in after it, while the fixed fleet of the minimum size did not recover
 * within the step.
 *
 * @example
 * judgeAutoscale({ maxInstances: 5, finalInstances: 2, recoveryMs: 2000 }, { maxInstances: 2, finalInstances: 2, recoveryMs: null }, 2);
 * // { holds: true, reasons: [] }
 */
export function judgeAutoscale(autoscaled: AutoscaleRun, fixed: AutoscaleRun, minInstances: number): AutoscaleVerdict {
  const reasons: string[] = [];
  if (autoscaled.maxInstances <= minInstances) reasons.push(`autoscaled: never had more than ${autoscaled.maxInstances} instances in service`);
  if (autoscaled.recoveryMs === null) reasons.push('autoscaled: p99 not back under the bound before the step ended');
  if (autoscaled.finalInstances >= autoscaled.maxInstances && autoscaled.maxInstances > minInstances) {
    reasons.push(`autoscaled: still ${autoscaled.finalInstances} instances after the step (no scale-in)`);
  }
  if (fixed.recoveryMs !== null) reasons.push(`fixed fleet: p99 back under the bound ${fixed.recoveryMs} ms into the step (the step did not overload it)`);
  return { holds: reasons.length === 0, reasons };
}
