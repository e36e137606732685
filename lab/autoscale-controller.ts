/**
 * The target-tracking decision the `autoscale` experiment's controller applies, with the numbers
 * the CDK stack deploys (lib/config/scaling-policy.ts) compressed in time and in volume so that a
 * step plays out in seconds on one machine. Pure: the experiment feeds it the metric and the clock.
 */
import { SCALING_POLICY, type ScalingPolicy } from '../lib/config/scaling-policy';

/** 1 minute of the deployed policy (its metric period) lasts 1 second in the lab. */
export const TIME_COMPRESSION = 60;
/**
 * Requests in the lab stand for REQUEST_COMPRESSION deployed requests: a lab instance serves about
 * ten requests per second (the /work route with HAProxy's maxconn), a Fargate task thousands per minute.
 */
export const REQUEST_COMPRESSION = 1000;

/** The deployed policy's numbers (any values, not only the defaults). */
export type DeployedScalingPolicy = { readonly [K in keyof ScalingPolicy]: number };

export interface LabScalingPolicy {
  readonly minInstances: number;
  readonly maxInstances: number;
  /** Target of the metric: requests per in-service instance per window. */
  readonly targetPerInstance: number;
  /** Length of one metric window (the deployed policy's 1-minute period, compressed). */
  readonly windowMs: number;
  readonly scaleOutCooldownMs: number;
  readonly scaleInCooldownMs: number;
}

/**
 * The deployed policy in lab time: windows of 60 s / TIME_COMPRESSION, cooldowns divided by
 * TIME_COMPRESSION, and the per-minute request target divided by REQUEST_COMPRESSION (its window
 * being the compressed minute).
 *
 * @example
 * labScalingPolicy(); // { minInstances: 2, maxInstances: 6, targetPerInstance: 6, windowMs: 1000, scaleOutCooldownMs: 1000, scaleInCooldownMs: 5000 }
 */
export function labScalingPolicy(policy: DeployedScalingPolicy = SCALING_POLICY): LabScalingPolicy {
  return {
    minInstances: policy.fargateMinTasks,
    maxInstances: policy.fargateMaxTasks,
    targetPerInstance: policy.targetRequestsPerTask / REQUEST_COMPRESSION,
    windowMs: (60 * 1000) / TIME_COMPRESSION,
    scaleOutCooldownMs: (policy.scaleOutCooldownSeconds * 1000) / TIME_COMPRESSION,
    scaleInCooldownMs: (policy.scaleInCooldownSeconds * 1000) / TIME_COMPRESSION,
  };
}

export interface ControllerState {
  /** Capacity asked for so far (instances in service plus those starting). */
  readonly desired: number;
  readonly lastScaleOutAtMs?: number;
  readonly lastScaleInAtMs?: number;
}

/** One window of the metric: requests per in-service instance, and how many instances that was over. */
export interface MetricWindow {
  readonly requestsPerInstance: number;
  /** Instances the requests were spread over (in service), not those still starting. */
  readonly instances: number;
}

export interface ScalingDecision {
  readonly desired: number;
  readonly action: 'out' | 'in' | 'hold';
  readonly reason: string;
}

/**
 * One target-tracking step: desired = ceil(current x metric / target), clamped to [min, max],
 * where current is the instances the metric was measured over: instances still starting are part
 * of the desired count already, and counting them again would overshoot (a scale-out cooldown in
 * AWS counts the capacity it added in the same way).
 * A scale-out waits out the scale-out cooldown of the previous one; a scale-in waits out the
 * scale-in cooldown after the last scaling activity of either kind: AWS scales in only once the
 * metric has stayed well below target for a sustained time (its alarms' evaluation periods, which
 * the lab does not model), and this keeps capacity added for a step from leaving within the step.
 * A scale-out is never held by a scale-in cooldown, as Application Auto Scaling documents.
 *
 * @example
 * decideCapacity(labScalingPolicy(), { desired: 2 }, { requestsPerInstance: 54, instances: 2 }, 10_000); // { desired: 5, action: 'out', ... }
 */
export function decideCapacity(policy: LabScalingPolicy, state: ControllerState, observed: MetricWindow, nowMs: number): ScalingDecision {
  const metric = Number.isFinite(observed.requestsPerInstance) && observed.requestsPerInstance > 0 ? observed.requestsPerInstance : 0;
  const wanted = Math.ceil((observed.instances * metric) / policy.targetPerInstance - 1e-9);
  const desired = Math.min(policy.maxInstances, Math.max(policy.minInstances, wanted));
  const at = `${round(metric)} req/instance/window vs target ${round(policy.targetPerInstance)}`;
  if (desired > state.desired) {
    const since = state.lastScaleOutAtMs === undefined ? Infinity : nowMs - state.lastScaleOutAtMs;
    if (since < policy.scaleOutCooldownMs) return { desired: state.desired, action: 'hold', reason: `${at}: wants ${desired}, scale-out cooldown` };
    return { desired, action: 'out', reason: `${at}: ${state.desired} -> ${desired}` };
  }
  if (desired < state.desired) {
    const last = Math.max(state.lastScaleOutAtMs ?? -Infinity, state.lastScaleInAtMs ?? -Infinity);
    if (nowMs - last < policy.scaleInCooldownMs) return { desired: state.desired, action: 'hold', reason: `${at}: wants ${desired}, scale-in cooldown` };
    return { desired, action: 'in', reason: `${at}: ${state.desired} -> ${desired}` };
  }
  return { desired, action: 'hold', reason: `${at}: ${desired} is right` };
}

/** The state after applying `decision` at `nowMs`. */
export function applyDecision(state: ControllerState, decision: ScalingDecision, nowMs: number): ControllerState {
  if (decision.action === 'out') return { ...state, desired: decision.desired, lastScaleOutAtMs: nowMs };
  if (decision.action === 'in') return { ...state, desired: decision.desired, lastScaleInAtMs: nowMs };
  return state;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
