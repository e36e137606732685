import {
  applyDecision, decideCapacity, labScalingPolicy, REQUEST_COMPRESSION, TIME_COMPRESSION, type LabScalingPolicy,
} from '../../lab/autoscale-controller';
import { INSTANCE_CAPACITY, STEP_OVERLOAD, stepLoad } from '../../lab/experiments/autoscale';
import { SCALING_POLICY } from '../../lib/config/scaling-policy';

const POLICY: LabScalingPolicy = {
  minInstances: 2, maxInstances: 6, targetPerInstance: 6, windowMs: 1000, scaleOutCooldownMs: 1000, scaleInCooldownMs: 5000,
};
const over = (requestsPerInstance: number, instances: number) => ({ requestsPerInstance, instances });

describe('labScalingPolicy', () => {
  it('compresses the deployed policy: 1 minute to 1 second, requests by REQUEST_COMPRESSION', () => {
    // Act
    const policy = labScalingPolicy({ ...SCALING_POLICY, targetRequestsPerTask: 6000, scaleOutCooldownSeconds: 60, scaleInCooldownSeconds: 300 });
    // Assess
    expect(TIME_COMPRESSION).toBe(60);
    expect(policy).toEqual({
      minInstances: SCALING_POLICY.fargateMinTasks, maxInstances: SCALING_POLICY.fargateMaxTasks,
      targetPerInstance: 6000 / REQUEST_COMPRESSION, windowMs: 1000, scaleOutCooldownMs: 1000, scaleInCooldownMs: 5000,
    });
  });

  it('reads the numbers the stack deploys, and they leave the target under one lab instance\'s capacity', () => {
    // Act
    const policy = labScalingPolicy();
    // Assess
    expect(policy.targetPerInstance).toBe(SCALING_POLICY.targetRequestsPerTask / REQUEST_COMPRESSION);
    expect(policy.targetPerInstance * (1000 / policy.windowMs)).toBeLessThan(INSTANCE_CAPACITY);
  });
});

describe('decideCapacity', () => {
  it('scales out to ceil(instances x metric / target) at once', () => {
    // Act
    const decision = decideCapacity(POLICY, { desired: 2 }, over(13.5, 2), 3000);
    // Assess
    expect(decision).toEqual({ desired: 5, action: 'out', reason: '13.5 req/instance/window vs target 6: 2 -> 5' });
  });

  it('holds exactly on target, and scales out just above it', () => {
    // Act / Assess
    expect(decideCapacity(POLICY, { desired: 2 }, over(6, 2), 0).action).toBe('hold');
    expect(decideCapacity(POLICY, { desired: 2 }, over(6.01, 2), 0)).toMatchObject({ desired: 3, action: 'out' });
  });

  it('clamps to the maximum and the minimum', () => {
    // Act / Assess
    expect(decideCapacity(POLICY, { desired: 2 }, over(100, 2), 0).desired).toBe(6);
    expect(decideCapacity(POLICY, { desired: 5 }, over(0, 5), 60_000)).toMatchObject({ desired: 2, action: 'in' });
    expect(decideCapacity(POLICY, { desired: 2 }, over(Number.NaN, 2), 60_000)).toMatchObject({ desired: 2, action: 'hold' });
  });

  it('counts only the instances the metric was measured over, not those still starting', () => {
    // Prepare: 5 asked for, 2 serving the window's 27 requests
    const decision = decideCapacity(POLICY, { desired: 5, lastScaleOutAtMs: 3000 }, over(13.5, 2), 4000);
    // Assess: 27 / 6 -> 5, already asked for
    expect(decision.action).toBe('hold');
    expect(decision.desired).toBe(5);
  });

  it('waits out the scale-out cooldown, to the millisecond', () => {
    // Prepare
    const state = { desired: 3, lastScaleOutAtMs: 10_000 };
    // Act / Assess
    expect(decideCapacity(POLICY, state, over(12, 3), 10_999)).toMatchObject({ desired: 3, action: 'hold', reason: '12 req/instance/window vs target 6: wants 6, scale-out cooldown' });
    expect(decideCapacity(POLICY, state, over(12, 3), 11_000)).toMatchObject({ desired: 6, action: 'out' });
  });

  it('scales in only once the scale-in cooldown has passed since the last activity of either kind', () => {
    // Prepare
    const afterOut = { desired: 5, lastScaleOutAtMs: 3000 };
    const afterIn = { desired: 4, lastScaleOutAtMs: 0, lastScaleInAtMs: 20_000 };
    // Act / Assess
    expect(decideCapacity(POLICY, afterOut, over(1.8, 5), 7999)).toMatchObject({ desired: 5, action: 'hold' });
    expect(decideCapacity(POLICY, afterOut, over(1.8, 5), 8000)).toMatchObject({ desired: 2, action: 'in' });
    expect(decideCapacity(POLICY, afterIn, over(1, 4), 24_999).action).toBe('hold');
    expect(decideCapacity(POLICY, afterIn, over(1, 4), 25_000).action).toBe('in');
  });

  it('scales out during a scale-in cooldown', () => {
    // Act
    const decision = decideCapacity(POLICY, { desired: 2, lastScaleInAtMs: 10_000 }, over(9, 2), 10_500);
    // Assess
    expect(decision).toMatchObject({ desired: 3, action: 'out' });
  });
});

describe('applyDecision', () => {
  it('records when the last scale-out and scale-in happened', () => {
    // Act
    const out = applyDecision({ desired: 2 }, { desired: 5, action: 'out', reason: '' }, 3000);
    const back = applyDecision(out, { desired: 2, action: 'in', reason: '' }, 9000);
    const held = applyDecision(back, { desired: 2, action: 'hold', reason: '' }, 10_000);
    // Assess
    expect(out).toEqual({ desired: 5, lastScaleOutAtMs: 3000 });
    expect(back).toEqual({ desired: 2, lastScaleOutAtMs: 3000, lastScaleInAtMs: 9000 });
    expect(held).toBe(back);
  });
});

describe('stepLoad', () => {
  it('offers 75% of the target on the minimum fleet, then STEP_OVERLOAD x its capacity', () => {
    // Act / Assess
    expect(STEP_OVERLOAD).toBe(1.35);
    expect(stepLoad(POLICY, 10)).toEqual({ baseRps: 9, stepRps: 27 });
  });

  it('keeps the base load at half the minimum fleet\'s capacity when the target is higher', () => {
    // Act / Assess
    expect(stepLoad({ ...POLICY, targetPerInstance: 8 }, 10)).toEqual({ baseRps: 10, stepRps: 27 });
  });

  it('refuses a target beyond one instance, or a maximum fleet that cannot absorb the step', () => {
    // Act / Assess
    expect(() => stepLoad({ ...POLICY, targetPerInstance: 10, maxInstances: 3 }, 10)).toThrow(
      'autoscale: the scaling policy cannot be measured here: a target of 10 req/s per instance is beyond one instance; ' +
        'a step of 27 req/s does not fit in 3 instances of 10.0 req/s each',
    );
    expect(() => stepLoad({ ...POLICY, maxInstances: 4 }, 10)).not.toThrow();
  });
});
