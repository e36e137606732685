/**
 * The Fargate tier's scaling policy: one set of numbers read by the CDK stack (the scalable target
 * and its target-tracking policies) and by the lab's `autoscale` experiment (a local controller that
 * applies the same policy to HAProxy servers). Plain TypeScript, no CDK import, so the lab can load it.
 *
 * The context keys `fargateMinTasks`, `fargateMaxTasks` and `targetRequestsPerTask` override the
 * first three; the rest are fixed properties of the policy.
 */
export const SCALING_POLICY = {
  /** Tasks that always run (also the fixed fleet the lab compares against). */
  fargateMinTasks: 2,
  /** Ceiling of the scalable target. */
  fargateMaxTasks: 6,
  /**
   * Target of `ALBRequestCountPerTarget`: requests per task per minute. How the default was chosen
   * is documented in the README (Configuration > Scaling).
   */
  targetRequestsPerTask: 6000,
  /** Target of the second policy, average CPU of the service (percent). */
  cpuTargetPercent: 60,
  /** Seconds after a scale-out before another scale-out counts the new tasks. */
  scaleOutCooldownSeconds: 60,
  /** Seconds after a scale-in before the next one: slow in, fast out. */
  scaleInCooldownSeconds: 300,
} as const;

export type ScalingPolicy = typeof SCALING_POLICY;

/**
 * Size of one Fargate task (arm64): what each task at the minimum costs and what the README's
 * saturation estimate assumes (0.25 vCPU). The stack's task definition and the cost model read it.
 */
export const FARGATE_TASK_SIZE = {
  /** CPU units (1024 = 1 vCPU). */
  cpu: 256,
  memoryMiB: 512,
} as const;
