/**
 * One compute tier of the local architecture: its instances, one per HAProxy server slot (`fargate-1`
 * is slot 1 of the Fargate pool; a Lambda-tier instance is a shim process, lambda-shim.ts). Kill, restart, add, and replace every instance with a new
 * environment (a change of session store), keeping the load balancer's slots pointed at them.
 */
import { ENV } from '../lambdas/config/env-names';
import { startAppInstances, type AppInstance } from './app-instances';
import type { Tier } from './playground-actions';
import { MAX_INSTANCES_PER_TIER, type PlaygroundHaproxy } from './playground-haproxy';

/** A control action that cannot be carried out as asked; its message is shown on the page. */
export class PlaygroundActionError extends Error {}

export class TierPool {
  private readonly members = new Map<string, AppInstance>();

  private constructor(
    readonly tier: Tier,
    private env: Readonly<Record<string, string>>,
    private readonly entry: string | undefined,
  ) {}

  /** Starts `count` instances named `<tier>-1` .. `<tier>-<count>`, running `entry` (@default the container server). */
  static async start(tier: Tier, count: number, env: Readonly<Record<string, string>>, entry?: string): Promise<TierPool> {
    const pool = new TierPool(tier, env, entry);
    for (const instance of await startAppInstances({ count, namePrefix: tier, entry, env: pool.fullEnv(env) })) {
      pool.members.set(instance.name, instance);
    }
    return pool;
  }

  /** Instances in slot order. */
  instances(): AppInstance[] {
    return [...this.members.values()].sort((a, b) => slotOf(a.name) - slotOf(b.name));
  }

  ports(): number[] {
    return this.instances().map((i) => i.port);
  }

  pids(): number[] {
    return this.instances().flatMap((i) => {
      try {
        return [i.pid];
      } catch {
        return [];
      }
    });
  }

  async kill(name: string): Promise<string> {
    await this.find(name).kill();
    return `${name} killed (SIGKILL): HAProxy marks it DOWN after two failed health checks (about 1 s)`;
  }

  async restart(name: string): Promise<string> {
    const instance = this.find(name);
    await instance.restart();
    return `${name} restarted on port ${instance.port} (pid ${instance.pid}), with empty memory`;
  }

  /** Starts the next instance in the first free slot and attaches it to the load balancer. */
  async add(lb: PlaygroundHaproxy): Promise<string> {
    const free = Array.from({ length: MAX_INSTANCES_PER_TIER }, (_, i) => i + 1).find((n) => !this.members.has(`${this.tier}-${n}`));
    if (free === undefined) throw new PlaygroundActionError(`the ${this.tier} tier already has ${MAX_INSTANCES_PER_TIER} instances, the most the playground runs`);
    const [instance] = await startAppInstances({ count: 1, namePrefix: this.tier, firstNumber: free, entry: this.entry, env: this.fullEnv(this.env) });
    this.members.set(instance.name, instance);
    await lb.attach(this.tier, instance.name, instance.port);
    return `${instance.name} added on port ${instance.port}`;
  }

  /** Replaces every instance by one started with `env` (new processes, new ports, same names). */
  async replaceAll(env: Readonly<Record<string, string>>, lb: PlaygroundHaproxy): Promise<void> {
    this.env = env;
    const old = this.instances();
    const fresh = await Promise.all(
      old.map(async (previous) => {
        const [instance] = await startAppInstances({ count: 1, namePrefix: this.tier, firstNumber: slotOf(previous.name), entry: this.entry, env: this.fullEnv(env) });
        return instance;
      }),
    );
    for (const instance of fresh) {
      await lb.attach(this.tier, instance.name, instance.port);
      this.members.set(instance.name, instance);
    }
    await Promise.all(old.map((instance) => instance.stop()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.instances().map((i) => i.stop()));
  }

  private find(name: string): AppInstance {
    const instance = this.members.get(name);
    if (instance === undefined) {
      throw new PlaygroundActionError(`instance: got ${JSON.stringify(name)}; allowed: ${[...this.members.keys()].join(', ')}`);
    }
    return instance;
  }

  private fullEnv(env: Readonly<Record<string, string>>): Record<string, string> {
    return { ...env, [ENV.tier]: this.tier };
  }
}

function slotOf(name: string): number {
  return Number(name.slice(name.lastIndexOf('-') + 1));
}
