/**
 * The instances of the `autoscale` experiment as a scalable target: every app instance is declared
 * in HAProxy up front, and the fleet puts them in service (out of maintenance) or takes them out,
 * lowest names first in, highest first out. A new instance enters service `provisionMs` after it
 * was asked for, as a Fargate task starts and passes its health check; taking one out is a
 * deregistration: HAProxy sends it no new request and lets those in flight finish.
 */
import type { AppInstance, Haproxy } from '../harness';

export class AutoscaleFleet {
  private inService: number;
  /** When each asked-for instance enters service (performance.now() ms), earliest first. */
  private starting: number[] = [];

  constructor(
    private readonly lb: Haproxy,
    private readonly apps: readonly AppInstance[],
    private readonly provisionMs: number,
    initial: number,
  ) {
    this.inService = initial;
  }

  /** Instances serving requests now. */
  get serving(): number {
    return this.inService;
  }

  /** Instances asked for: serving plus starting. */
  get desired(): number {
    return this.inService + this.starting.length;
  }

  /** Puts exactly `count` instances in service at once (set-up between runs) and waits for them to be UP. */
  async reset(count: number): Promise<void> {
    this.starting = [];
    for (const [i, app] of this.apps.entries()) await this.lb.setServerState(app.name, i < count ? 'ready' : 'maint');
    await this.lb.waitForServerStatus('UP', this.apps.slice(0, count).map((a) => a.name), 10_000);
    this.inService = count;
  }

  /** Asks for `desired` instances: new ones start (in service after provisionMs), surplus ones leave at once (starting ones first). */
  async scaleTo(desired: number, nowMs: number): Promise<void> {
    if (desired < 1 || desired > this.apps.length) throw new Error(`scaleTo(${desired}): the fleet has ${this.apps.length} instances`);
    while (this.desired < desired) this.starting.push(nowMs + this.provisionMs);
    while (this.desired > desired && this.starting.length > 0) this.starting.pop();
    while (this.inService > desired) {
      this.inService -= 1;
      await this.lb.setServerState(this.apps[this.inService].name, 'maint');
    }
  }

  /** Puts in service the instances whose start time has come; returns how many. */
  async admitStarted(nowMs: number): Promise<number> {
    let admitted = 0;
    while (this.starting.length > 0 && this.starting[0] <= nowMs) {
      this.starting.shift();
      await this.lb.setServerState(this.apps[this.inService].name, 'ready');
      this.inService += 1;
      admitted += 1;
    }
    return admitted;
  }

  /** HTTP requests HAProxy's frontend has received so far (`req_tot`): the ALB's RequestCount. */
  async requestsReceived(): Promise<number> {
    const [header, ...rows] = (await this.lb.adminCommand('show stat')).trim().split('\n');
    const columns = header.replace(/^# /, '').split(',');
    const [px, sv, total] = ['pxname', 'svname', 'req_tot'].map((c) => columns.indexOf(c));
    const frontend = rows.map((r) => r.split(',')).find((f) => f[sv] === 'FRONTEND' && f[px].startsWith('fe_'));
    if (frontend === undefined) throw new Error('haproxy: no frontend row in "show stat"');
    return Number(frontend[total]);
  }
}
