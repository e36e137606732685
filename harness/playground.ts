/**
 * The playground (`npm start`): the local architecture (local-architecture.ts, the same one the
 * e2e lab target checks) behind one address, plus the control API. PostgreSQL primary + 2
 * streaming replicas, Redis, pgbouncer for the Lambda tier, dynalite "Regions" joined by the
 * global-table replicator, a Fargate-tier pool of container-server instances, a Lambda tier running
 * the deployed handler bundles (lambda-shim.ts), one writer per Region, one HAProxy as the ALB.
 *
 * @example
 * const playground = await startPlayground({ port: 8080 });
 * console.log(playground.url); // open it in a browser
 * await playground.perform({ action: 'sticky', on: true });
 * await playground.stop();
 */
import { randomBytes } from 'node:crypto';
import { ENV } from '../lambdas/config/env-names';
import { LAMBDA_PATH_PREFIX } from '../lambdas/http/pattern-paths';
import { type SessionStoreKind } from '../lambdas/config/vocabulary';
import { CleanupStack } from './cleanup-stack';
import { startLocalArchitecture, type LocalArchitecture } from './local-architecture';
import type { ControlAction } from './playground-actions';
import { startControlServer } from './playground-control';
import { PlaygroundActionError, type TierPool } from './playground-pool';
import { untilInstancesUseRedis, writeProbeProfile } from './playground-cache-probe';
import { freePort } from './ports';
import { assertPortFree, type LogEntry, type PlaygroundState } from './playground-state';

export interface PlaygroundOptions {
  /** @default 2 */
  readonly fargateInstances?: number;
  /** @default 2 */
  readonly lambdaInstances?: number;
  /** @default 'redis' */
  readonly sessionStore?: SessionStoreKind;
  /** Fargate-tier stickiness at start (the Lambda tier is never sticky, as on an ALB). @default false */
  readonly sticky?: boolean;
  /** Port of the one address. @default - a free port */
  readonly port?: number;
  /** @default ['us-east-1', 'us-west-2'] (the first is the primary Region) */
  readonly regions?: readonly string[];
  /** Progress lines while starting. @default - none */
  readonly onProgress?: (line: string) => void;
}

const TABLE_NAME = 'patterns-playground';
const REPLICATION_DELAY_MS = 300;
/** "Holding" the replicator: replications wait this long unless released first (a partition). */
const HOLD_MS = 3_600_000;
const MAX_LOG = 50;
const COUNTER_WORK_MS = 20;

export { PortInUsePlaygroundError, type PlaygroundState } from './playground-state';

export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const playground = new Playground(options);
  try {
    await playground.start();
  } catch (error) {
    await playground.stop();
    throw error;
  }
  return playground;
}

export class Playground {
  url = '';
  controlUrl = '';
  startupMs = 0;
  /** Milliseconds each start-up phase took, for the banner and the report. */
  readonly phases: Record<string, number> = {};
  private readonly cleanup = new CleanupStack();
  private readonly log: LogEntry[] = [];
  private readonly regions: readonly string[];
  private sessionStore: SessionStoreKind;
  private arch!: LocalArchitecture;
  /** One key for every instance of both tiers: a signed-cookie session is readable wherever it lands. */
  private readonly sharedEnv = {
    [ENV.sessionSigningKey]: randomBytes(32).toString('hex'),
    [ENV.labMode]: '1',
    // Each increment holds its row lock this long, as in the lab: the hot row's queue becomes visible.
    [ENV.counterWorkMs]: String(COUNTER_WORK_MS),
  };
  private status = { redis: 'up' as PlaygroundState['redis'], delayMs: 0, frozen: false, partitioned: false };

  constructor(private readonly options: PlaygroundOptions) {
    this.regions = options.regions ?? ['us-east-1', 'us-west-2'];
    this.sessionStore = options.sessionStore ?? 'redis';
  }

  private phaseStart = Date.now();

  /** Ends the current phase (timed) and announces the next. */
  private progress(line: string, ended?: string): void {
    if (ended !== undefined) this.phases[ended] = Date.now() - this.phaseStart;
    this.phaseStart = Date.now();
    if (line !== '') this.options.onProgress?.(line);
  }

  async start(): Promise<void> {
    const began = Date.now();
    const port = this.options.port ?? (await freePort());
    await assertPortFree(port);
    const control = await this.cleanup.started(() => startControlServer(this), (c) => c.close());
    this.controlUrl = control.url;
    const env = { ...this.sharedEnv, [ENV.sessionStore]: this.sessionStore };
    this.arch = await startLocalArchitecture({
      cleanup: this.cleanup,
      replicas: 2,
      regions: this.regions,
      tableName: TABLE_NAME,
      replicationDelayMs: REPLICATION_DELAY_MS,
      fargate: { count: this.options.fargateInstances ?? 2, env },
      lambda: { count: this.options.lambdaInstances ?? 2, env },
      alb: { port, controlPort: control.port, sticky: this.options.sticky ?? false },
      onPhase: (line, ended) => this.progress(line, ended),
    });
    // The profile that tells whether an instance's cache client is connected (see 'redis' below).
    await writeProbeProfile(this.arch.pools.fargate.instances()[0]);
    this.progress('', 'haproxy');
    this.url = this.arch.url;
    this.startupMs = Date.now() - began;
  }

  /** What runs where, for the start-up banner. */
  describe(): string[] {
    const { cluster, redis, proxy } = this.arch.engines;
    const { pools, writers, lambdaFunctions } = this.arch;
    const pool = (p: TierPool) => p.instances().map((i) => `${i.name} :${i.port}`).join(', ');
    return [
      `HAProxy (the ALB)        ${this.url}  /lambda/* -> Lambda pool, /regions/<region>/* -> writers, rest -> Fargate pool`,
      `Fargate-tier pool        ${pool(pools.fargate)}`,
      `Lambda tier              ${pool(pools.lambda)}  (shims running the deployed bundles of ${lambdaFunctions.map((f) => f.name).join(', ')}; primary through pgbouncer :${proxy?.port})`,
      `Regional writers         ${writers.map((w, i) => `${this.regions[i]} :${w.port}`).join(', ')}`,
      `PostgreSQL               primary :${cluster.primary.port}, replicas ${cluster.replicas.map((r) => `:${r.port}`).join(', ')}`,
      `Redis                    :${redis.port}`,
      `DynamoDB (dynalite)      ${Object.entries(this.arch.engines.dynamoEndpoints).map(([r, e]) => `${r} ${e}`).join(', ')} (via the replicator)`,
      `Control API              ${this.controlUrl} (also ${this.url}/_playground/)`,
    ];
  }

  /** Every app process (both tiers and the regional writers), by name and port on 127.0.0.1. */
  appEndpoints(): Array<{ readonly name: string; readonly port: number }> {
    const { pools, writers } = this.arch;
    return [...pools.fargate.instances(), ...pools.lambda.instances(), ...writers].map(({ name, port }) => ({ name, port }));
  }

  /** Every process the playground started (engines, instances, HAProxy). */
  pids(): number[] {
    const { alb, pools, writers, engines } = this.arch;
    const { cluster, redis, proxy } = engines;
    return [alb.pid, ...pools.fargate.pids(), ...pools.lambda.pids(), ...writers.map((w) => w.pid), cluster.primary.pid, ...cluster.replicas.map((r) => r.pid), redis.pid, ...(proxy === undefined ? [] : [proxy.pid])];
  }

  async state(): Promise<PlaygroundState> {
    const { alb, pools } = this.arch;
    const states = await alb.serverStates().catch(() => ({}) as Record<string, string>);
    return {
      playground: true,
      url: this.url,
      sticky: await alb.isSticky(),
      sessionStore: this.sessionStore,
      instances: [...pools.fargate.instances(), ...pools.lambda.instances()].map((i) => ({
        tier: i.name.startsWith('fargate') ? 'fargate' : 'lambda',
        name: i.name,
        status: states[i.name] ?? 'unknown',
        port: i.port,
      })),
      redis: this.status.redis,
      replication: { delayMs: this.status.delayMs, frozen: this.status.frozen },
      partitioned: this.status.partitioned,
      regions: this.regions.map((name) => ({ name, base: `/regions/${name}/` })),
      log: [...this.log],
    };
  }

  /** Records an entry of the action log the page shows. */
  record(action: string, ok: boolean, message: string): LogEntry {
    const entry = { at: new Date().toISOString(), action, ok, message };
    this.log.push(entry);
    this.log.splice(0, Math.max(0, this.log.length - MAX_LOG));
    return entry;
  }

  /** Carries out a validated action and logs it; a failure is logged and rethrown. */
  async perform(action: ControlAction): Promise<string> {
    try {
      const message = await this.act(action);
      this.record(action.action, true, message);
      return message;
    } catch (error) {
      this.record(action.action, false, (error as Error).message);
      throw error;
    }
  }

  private async act(a: ControlAction): Promise<string> {
    const { engines: { cluster, redis }, pools, alb } = this.arch;
    const replicator = this.replicator();
    switch (a.action) {
      case 'sticky':
        await alb.setSticky(a.on);
        return a.on ? 'stickiness on: the SERVERID cookie keeps each browser on one Fargate instance' : 'stickiness off: round robin over the Fargate instances';
      case 'kill':
        return pools[a.tier].kill(a.instance);
      case 'restart':
        return pools[a.tier].restart(a.instance);
      case 'add':
        return pools[a.tier].add(alb);
      case 'replay-delay':
        await cluster.setReplayDelay(a.ms);
        this.status.delayMs = a.ms;
        return `replicas replay WAL ${a.ms} ms after the primary commits (recovery_min_apply_delay)`;
      case 'freeze-replication':
        if (this.status.frozen) throw new PlaygroundActionError('replication is already frozen');
        await cluster.freezeWalShipping();
        this.status.frozen = true;
        return "replication frozen: the primary's walsenders are stopped (SIGSTOP); commits go on, replicas fall behind";
      case 'thaw-replication':
        await cluster.thawWalShipping();
        this.status.frozen = false;
        return 'replication thawed: replicas catch up';
      case 'hold-replicator':
        replicator.setDelay(HOLD_MS);
        this.status.partitioned = true;
        return 'Regions partitioned: writes are accepted in each Region and held, not replicated';
      case 'release-replicator': {
        // One conflict between two Regions is counted twice by the replicator (the older write
        // discarded where the newer one was, the newer one overwriting it at home): count the
        // overwrites, one per write that was lost.
        const lostBefore = replicator.counters().overwroteConcurrent;
        replicator.setDelay(REPLICATION_DELAY_MS);
        await replicator.flush();
        this.status.partitioned = false;
        const lost = replicator.counters().overwroteConcurrent - lostBefore;
        // No count of held writes: each item write also replicates its Region's last-write record,
        // so the replicator's count is twice what a person wrote.
        return `Regions healed: the held writes are replicated; ${lost} write(s) lost to a concurrent later write (last writer wins)`;
      }
      case 'redis': {
        if (!a.running) {
          await redis.kill();
          this.status.redis = 'down';
          return 'Redis stopped (SIGKILL): sessions in Redis and the cache are unavailable';
        }
        this.status.redis = 'reconnecting';
        const began = Date.now();
        await redis.restart();
        // "Up" means the app can use it: each instance's client retries with a backoff of up to 1 s.
        // A Lambda-tier instance is reached as the ALB reaches it, under /lambda.
        await untilInstancesUseRedis([...pools.fargate.instances(), ...pools.lambda.instances().map((i) => ({ url: `${i.url}${LAMBDA_PATH_PREFIX}` }))]);
        this.status.redis = 'up';
        return `Redis started, and every app instance reconnected to it ${Date.now() - began} ms later (empty: sessions and cached profiles were lost with the old process)`;
      }
      case 'session-store': {
        // The state reports the new store only once every instance runs with it.
        const env = { ...this.sharedEnv, [ENV.sessionStore]: a.store };
        await Promise.all([pools.fargate.replaceAll(this.arch.tierEnv('fargate', env), alb), pools.lambda.replaceAll(this.arch.tierEnv('lambda', env), alb)]);
        this.sessionStore = a.store;
        return `session store is now ${a.store}: every instance was restarted with it`;
      }
    }
  }

  /** Stops everything, newest first; never throws. */
  async stop(): Promise<void> {
    await this.cleanup.close();
  }

  private replicator() {
    const { replicator } = this.arch.engines;
    if (replicator === undefined) throw new Error('the playground runs the global-table replicator');
    return replicator;
  }
}
