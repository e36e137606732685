/**
 * Instance identity: which copy of the service answered. Behind one load-balancer address the
 * client cannot tell the copies apart; this makes the spread (and stickiness) visible.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from './clock';

export interface InstanceDescription {
  readonly instanceId: string;
  readonly tier: string;
  readonly region: string;
  readonly startedAt: string;
  readonly uptimeMs: number;
  /** Requests this instance has served since it started, this one included. */
  readonly requestCount: number;
}

export interface InstanceIdentityOptions {
  readonly tier: string;
  readonly region: string;
  /** Fixed name (the lab names its instances); generated when absent. */
  readonly instanceId?: string;
}

export class InstanceIdentity {
  readonly instanceId: string;
  private readonly startedAtMs: number;
  private served = 0;

  constructor(
    private readonly options: InstanceIdentityOptions,
    private readonly clock: Clock,
  ) {
    this.instanceId = options.instanceId ?? `${options.tier}-${randomBytes(4).toString('hex')}`;
    this.startedAtMs = clock.now();
  }

  /** Counts one served request; called once per request by the HTTP layer. */
  recordRequest(): void {
    this.served += 1;
  }

  describe(): InstanceDescription {
    return {
      instanceId: this.instanceId,
      tier: this.options.tier,
      region: this.options.region,
      startedAt: new Date(this.startedAtMs).toISOString(),
      uptimeMs: this.clock.now() - this.startedAtMs,
      requestCount: this.served,
    };
  }
}
