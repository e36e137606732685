/**
 * autoscale: a step in offered (open-loop) load through one HAProxy address, against a tier
 * scaled by a local controller that applies the deployed target-tracking policy (the numbers of
 * lib/config/scaling-policy.ts, compressed by TIME_COMPRESSION and REQUEST_COMPRESSION), then
 * against a fixed fleet of the policy's minimum size. An instance serves at most MAX_CONN requests
 * at once (HAProxy's maxconn queues the rest) and each request waits IO_MS: a fixed capacity per
 * instance that needs no CPU, so on 2 cores adding instances adds capacity.
 */
import { performance } from 'node:perf_hooks';
import { ENV } from '../../lambdas/config/env-names';
import { sleep, startAppInstances, startHaproxy } from '../../harness';
import {
  applyDecision, decideCapacity, labScalingPolicy, REQUEST_COMPRESSION, TIME_COMPRESSION, type ControllerState, type LabScalingPolicy,
} from '../autoscale-controller';
import { AutoscaleFleet } from '../autoscale-fleet';
import {
  judgeAutoscale, latencyByPhase, latencyByWindow, p99Bound, recoveryMs, type AutoscaleRun, type StepPhases, type TimedRequest, type WindowLatency,
} from '../autoscale-figures';
import type { ChartSpec, Experiment, ExperimentContext, ExperimentResult } from '../experiment';
import { runOpenLoop } from '../open-loop-load';

// Long waits and few requests: the capacity per instance is set by MAX_CONN x IO_MS, not by CPU,
// so the figures hold on a shared, busy 2-core machine (a CPU-heavy request would measure the neighbours).
const IO_MS = 200;
const CPU_MS = 1;
const MAX_CONN = 2;
/** Requests per second one instance can serve: MAX_CONN at a time, each IO_MS + CPU_MS. */
export const INSTANCE_CAPACITY = (MAX_CONN * 1000) / (IO_MS + CPU_MS);
/** A Fargate task takes about a minute to start and pass its health check: one compressed minute. */
const PROVISION_MS = (60 * 1000) / TIME_COMPRESSION;

interface Sizes {
  readonly beforeMs: number;
  readonly stepMs: number;
  readonly afterMs: number;
}

const QUICK: Sizes = { beforeMs: 2000, stepMs: 6000, afterMs: 4000 };
const FULL: Sizes = { beforeMs: 5000, stepMs: 15_000, afterMs: 10_000 };

/** The step overloads the minimum fleet by this factor: what a fixed fleet of the minimum must fail to absorb. */
export const STEP_OVERLOAD = 1.35;

export interface StepLoad {
  /** Requests per second before and after the step: 75% of the target on the minimum fleet (at most half its capacity). */
  readonly baseRps: number;
  /** During the step: STEP_OVERLOAD x the minimum fleet's capacity. */
  readonly stepRps: number;
}

/**
 * The offered loads. The step is set by capacity, not by the policy, so that the policy is what is
 * measured: how many instances its target asks for, and how fast. Throws when the policy cannot be
 * measured here: a target one lab instance cannot even serve, or a maximum fleet that could not
 * absorb the step at 80% of its capacity.
 */
export function stepLoad(policy: LabScalingPolicy, capacityPerInstance = INSTANCE_CAPACITY): StepLoad {
  const targetPerSecond = (policy.targetPerInstance * 1000) / policy.windowMs;
  const round = (rps: number): number => Math.round(rps * 10) / 10;
  const load = {
    baseRps: round(Math.min(0.75 * targetPerSecond, 0.5 * capacityPerInstance) * policy.minInstances),
    stepRps: round(STEP_OVERLOAD * capacityPerInstance * policy.minInstances),
  };
  const problems: string[] = [];
  if (targetPerSecond >= capacityPerInstance) problems.push(`a target of ${round(targetPerSecond)} req/s per instance is beyond one instance`);
  if (load.stepRps > 0.8 * capacityPerInstance * policy.maxInstances) problems.push(`a step of ${load.stepRps} req/s does not fit in ${policy.maxInstances} instances`);
  if (problems.length > 0) throw new Error(`autoscale: the scaling policy cannot be measured here: ${problems.join('; ')} of ${capacityPerInstance.toFixed(1)} req/s each`);
  return load;
}

interface TimelinePoint {
  readonly atMs: number;
  readonly serving: number;
  readonly desired: number;
  readonly requestsPerInstance: number;
}

interface RunResult {
  readonly requests: TimedRequest[];
  readonly timeline: TimelinePoint[];
  readonly decisions: string[];
}

/** One request of known cost; true when it was served (HAProxy answers 503 after 5 s in its queue). */
async function work(url: string, ioMs = IO_MS): Promise<boolean> {
  const response = await fetch(`${url}/work?ioMs=${ioMs}&cpuMs=${CPU_MS}`, { signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  return response.status === 200;
}

/** One run: the load profile through HAProxy while the controller (if `autoscaling`) acts once per window. */
async function runStep(fleet: AutoscaleFleet, url: string, policy: LabScalingPolicy, load: StepLoad, sizes: Sizes, autoscaling: boolean): Promise<RunResult> {
  const phases = phasesOf(sizes);
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  const traffic = runOpenLoop({
    durationMs: phases.endMs,
    startedAt: started,
    rateAt: (ms) => (ms >= phases.stepStartMs && ms < phases.stepEndMs ? load.stepRps : load.baseRps),
    request: () => work(url),
  });
  const timeline: TimelinePoint[] = [];
  const decisions: string[] = [];
  let state: ControllerState = { desired: fleet.desired };
  let received = await fleet.requestsReceived();
  let readAt = elapsed();
  for (let window = 1; window * policy.windowMs <= phases.endMs; window++) {
    while (elapsed() < window * policy.windowMs) {
      await fleet.admitStarted(elapsed());
      await sleep(20);
    }
    // The metric first, over the instances that served the window, scaled to one window's length
    // (on a busy machine the loop may wake late).
    const total = await fleet.requestsReceived();
    const now = elapsed();
    const observed = { requestsPerInstance: ((total - received) / fleet.serving) * (policy.windowMs / (now - readAt)), instances: fleet.serving };
    [received, readAt] = [total, now];
    await fleet.admitStarted(now);
    if (autoscaling) {
      const decision = decideCapacity(policy, state, observed, now);
      state = applyDecision(state, decision, now);
      if (decision.action !== 'hold') {
        await fleet.scaleTo(decision.desired, now);
        decisions.push(`${(now / 1000).toFixed(1)} s: ${decision.reason}`);
      }
    }
    timeline.push({ atMs: Math.round(now), serving: fleet.serving, desired: fleet.desired, requestsPerInstance: Math.round(observed.requestsPerInstance * 10) / 10 });
  }
  return { requests: await traffic, timeline, decisions };
}

function phasesOf(sizes: Sizes): StepPhases {
  return { stepStartMs: sizes.beforeMs, stepEndMs: sizes.beforeMs + sizes.stepMs, endMs: sizes.beforeMs + sizes.stepMs + sizes.afterMs };
}

function charts(runs: Record<'autoscaled' | 'fixed', RunResult & { windows: WindowLatency[] }>, boundMs: number, windowMs: number): ChartSpec[] {
  const seconds = (ms: number): number => Math.round(ms / 100) / 10;
  const instances = (run: RunResult) => [{ x: 0, y: run.timeline[0]?.serving ?? 0 }, ...run.timeline.map((p) => ({ x: seconds(p.atMs), y: p.serving }))];
  const p99 = (windows: WindowLatency[]) => windows.map((w) => ({ x: seconds(w.startMs + windowMs), y: Math.round(w.p99) }));
  const span = runs.autoscaled.windows.length * windowMs;
  return [
    {
      id: 'instances',
      title: 'Instances in service through the load step',
      kind: 'line',
      unit: 'instances',
      xLabel: `seconds (1 s = ${TIME_COMPRESSION} s deployed)`,
      series: [{ name: 'target tracking', points: instances(runs.autoscaled) }, { name: 'fixed fleet (minimum)', points: instances(runs.fixed) }],
    },
    {
      id: 'p99',
      title: 'p99 latency per window through the load step',
      kind: 'line',
      unit: 'ms',
      xLabel: 'seconds (end of each 1 s window)',
      series: [
        { name: 'target tracking', points: p99(runs.autoscaled.windows) },
        { name: 'fixed fleet (minimum)', points: p99(runs.fixed.windows) },
        { name: `bound (${boundMs} ms)`, points: [{ x: seconds(windowMs), y: boundMs }, { x: seconds(span), y: boundMs }] },
      ],
    },
  ];
}

function summaryOf(run: RunResult, windows: WindowLatency[], windowMs: number, phases: StepPhases, boundMs: number): AutoscaleRun {
  return {
    maxInstances: Math.max(...run.timeline.map((p) => p.serving)),
    finalInstances: run.timeline[run.timeline.length - 1]?.desired ?? 0,
    recoveryMs: recoveryMs(windows, windowMs, phases, boundMs),
  };
}

export const autoscaleExperiment: Experiment = {
  id: 'autoscale',
  title: 'Auto scaling behind one address: target tracking against a fixed fleet',
  claim: 'A stateless tier behind one address absorbs a load step by adding instances; a fixed fleet of the minimum size does not.',
  async run(ctx: ExperimentContext): Promise<ExperimentResult> {
    const sizes = ctx.quick ? QUICK : FULL;
    const policy = labScalingPolicy();
    const load = stepLoad(policy);
    const phases = phasesOf(sizes);
    ctx.progress(`starting ${policy.maxInstances} app instances behind HAProxy (maxconn ${MAX_CONN} each), ${policy.minInstances} in service`);
    const apps = await startAppInstances({ count: policy.maxInstances, namePrefix: 'auto', env: { [ENV.labMode]: '1' } });
    ctx.defer(() => Promise.all(apps.map((a) => a.stop())));
    const lb = await startHaproxy({ backends: apps, sticky: false, maxConnPerServer: MAX_CONN });
    ctx.defer(() => lb.stop());
    const fleet = new AutoscaleFleet(lb, apps, PROVISION_MS, policy.maxInstances);
    await Promise.all(apps.map((a) => work(a.url, 1))); // JIT warm-up

    const results = {} as Record<'autoscaled' | 'fixed', RunResult & { windows: WindowLatency[] }>;
    for (const kind of ['autoscaled', 'fixed'] as const) {
      await fleet.reset(policy.minInstances);
      ctx.progress(`${kind}: ${load.baseRps} req/s, ${load.stepRps} req/s from ${phases.stepStartMs} to ${phases.stepEndMs} ms, ${load.baseRps} req/s to ${phases.endMs} ms`);
      const run = await runStep(fleet, lb.url, policy, load, sizes, kind === 'autoscaled');
      results[kind] = { ...run, windows: latencyByWindow(run.requests, policy.windowMs, phases.endMs) };
      ctx.progress(`${kind}: instances ${run.timeline.map((p) => p.serving).join(' ')}`);
    }

    const byPhase = { autoscaled: latencyByPhase(results.autoscaled.requests, phases), fixed: latencyByPhase(results.fixed.requests, phases) };
    const boundMs = p99Bound([byPhase.autoscaled.before.p99, byPhase.fixed.before.p99]);
    const autoscaled = summaryOf(results.autoscaled, results.autoscaled.windows, policy.windowMs, phases, boundMs);
    const fixed = summaryOf(results.fixed, results.fixed.windows, policy.windowMs, phases, boundMs);
    const verdict = judgeAutoscale(autoscaled, fixed, policy.minInstances);
    const failed = (kind: 'autoscaled' | 'fixed') => results[kind].requests.filter((r) => !r.ok).length;
    const recovery = (ms: number | null) => (ms === null ? `not within the ${sizes.stepMs / 1000} s step` : `${ms / 1000} s`);
    return {
      figures: {
        recoveryMs: { autoscaled: autoscaled.recoveryMs, fixed: fixed.recoveryMs },
        p99BoundMs: boundMs,
        latencyMs: byPhase,
        maxInstances: { autoscaled: autoscaled.maxInstances, fixed: fixed.maxInstances },
        instancesOverTime: { autoscaled: results.autoscaled.timeline.map((p) => p.serving), fixed: results.fixed.timeline.map((p) => p.serving) },
        failedRequests: { autoscaled: failed('autoscaled'), fixed: failed('fixed') },
        scalingActivities: results.autoscaled.decisions,
        policy: {
          deployed: 'lib/config/scaling-policy.ts', timeCompression: TIME_COMPRESSION, requestCompression: REQUEST_COMPRESSION,
          minInstances: policy.minInstances, maxInstances: policy.maxInstances, targetPerInstancePerWindow: policy.targetPerInstance,
          windowMs: policy.windowMs, scaleOutCooldownMs: policy.scaleOutCooldownMs, scaleInCooldownMs: policy.scaleInCooldownMs, provisionMs: PROVISION_MS,
        },
        setup: { ioMs: IO_MS, cpuMs: CPU_MS, maxConnPerInstance: MAX_CONN, capacityPerInstanceRps: Math.round(INSTANCE_CAPACITY * 10) / 10, ...load, ...sizes },
      },
      holds: verdict.holds,
      details:
        `Open-loop load through one HAProxy address: ${load.baseRps} req/s, a step to ${load.stepRps} req/s for ${sizes.stepMs / 1000} s, then ${load.baseRps} req/s again ` +
        `(GET /work?ioMs=${IO_MS}&cpuMs=${CPU_MS}, at most ${MAX_CONN} at once per instance: about ${INSTANCE_CAPACITY.toFixed(1)} req/s each). ` +
        `A controller applied the deployed target-tracking policy (min ${policy.minInstances}, max ${policy.maxInstances}, ` +
        `target ${policy.targetPerInstance * REQUEST_COMPRESSION} requests per task per minute) with time compressed ${TIME_COMPRESSION}x (1 min = 1 s, ` +
        `cooldowns ${policy.scaleOutCooldownMs / 1000} s out / ${policy.scaleInCooldownMs / 1000} s in, a new instance in service ${PROVISION_MS / 1000} s after it is asked for) ` +
        `and requests ${REQUEST_COMPRESSION}x (target ${policy.targetPerInstance} per instance per window). ` +
        `It went up to ${autoscaled.maxInstances} instances and back to ${autoscaled.finalInstances}; p99 during the step was ${byPhase.autoscaled.during.p99} ms ` +
        `and back under the ${boundMs} ms bound after ${recovery(autoscaled.recoveryMs)}. The fixed fleet of ${policy.minInstances} ` +
        `had p99 ${byPhase.fixed.during.p99} ms during the step (back under the bound: ${recovery(fixed.recoveryMs)}) and ${failed('fixed')} failed requests ` +
        `(autoscaled: ${failed('autoscaled')}). Not modelled: the CPU policy, and the evaluation periods of the alarms AWS creates (scale-in waits for the metric ` +
        `to stay well below target for a sustained time; the lab's scale-in cooldown after any activity stands in for it)` +
        (verdict.reasons.length === 0 ? '.' : `; it did not hold: ${verdict.reasons.join('; ')}.`),
      charts: charts(results, boundMs, policy.windowMs),
    };
  },
};
