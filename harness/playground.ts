/**
 * The playground (`npm start`): the whole architecture on this machine behind one address.
 * PostgreSQL primary + 2 streaming replicas, Redis, dynalite "Regions" joined by the lab's
 * global-table replicator, a Fargate-tier and a Lambda-tier pool of app instances (the container
 * server; the Lambda pool runs it with PATTERN_TIER=lambda, and HAProxy strips `/lambda` as the
 * Lambda entry does on AWS), one writer per Region, one HAProxy as the ALB, and the control API.
 *
 * @example
 * const playground = await startPlayground({ port: 8080 });
 * console.log(playground.url); // open it in a browser
 * await playground.perform({ action: 'sticky', on: true });
 * await playground.stop();
 */
import { randomBytes } from 'node:crypto';
import { ENV } from '../lambdas/config/env-names';
import { prepareAppEntry, startAppInstances, type AppInstance } from './app-instances';
import { startDynamoRegions } from './dynamo-regions';
import { startGlobalTableReplicator } from './global-table-replicator';
import { createGlobalTable, LAB_CREDENTIALS } from './global-table-setup';
import { type SessionStoreKind } from '../lambdas/config/vocabulary';
import type { ControlAction } from './playground-actions';
import { startControlServer } from './playground-control';
import { PlaygroundHaproxy } from './playground-haproxy';
import { PlaygroundActionError, TierPool } from './playground-pool';
import { untilInstancesUseRedis, writeProbeProfile } from './playground-cache-probe';
import { freePort } from './ports';
import { assertPortFree, type LogEntry, type PlaygroundState } from './playground-state';
import { startPostgresCluster } from './postgres-cluster';
import { startRedis } from './redis-engine';

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
  private readonly stops: Array<() => Promise<unknown>> = [];
  private readonly log: LogEntry[] = [];
  private readonly regions: readonly string[];
  private sessionStore: SessionStoreKind;
  private lb!: PlaygroundHaproxy;
  private pools!: { fargate: TierPool; lambda: TierPool };
  private writers: AppInstance[] = [];
  private engines!: {
    cluster: Awaited<ReturnType<typeof startPostgresCluster>>;
    redis: Awaited<ReturnType<typeof startRedis>>;
    replicator: Awaited<ReturnType<typeof startGlobalTableReplicator>>;
  };
  private baseEnv: Record<string, string> = {};
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

  /** Runs `start` and registers its stop before anything else can fail. */
  private async started<T>(start: () => Promise<T>, stop: (value: T) => Promise<unknown>): Promise<T> {
    const value = await start();
    this.stops.push(() => stop(value));
    return value;
  }

  async start(): Promise<void> {
    const began = Date.now();
    const port = this.options.port ?? (await freePort());
    await assertPortFree(port);
    this.progress(`starting PostgreSQL (primary + 2 replicas), Redis and ${this.regions.length} dynalite Regions`);
    // The Regions (dynalite, the table, the replicator) are ready long before PostgreSQL: chained apart.
    const regions = async () => {
      const dynamo = await this.started(() => startDynamoRegions([...this.regions]), (d) => d.stop());
      await createGlobalTable(dynamo.endpoints, TABLE_NAME);
      return this.started(
        () => startGlobalTableReplicator({ regions: dynamo.endpoints, tableName: TABLE_NAME, delayMs: REPLICATION_DELAY_MS }),
        (r) => r.stop(),
      );
    };
    const [cluster, redis, replicator] = await Promise.all([
      this.started(() => startPostgresCluster({ replicas: 2 }), (c) => c.stop()),
      this.started(() => startRedis(), (r) => r.stop()),
      regions(),
      prepareAppEntry(), // the app bundle builds while the engines start
    ]);
    this.engines = { cluster, redis, replicator };
    const awsEnv = {
      AWS_ACCESS_KEY_ID: LAB_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LAB_CREDENTIALS.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
      [ENV.globalTableName]: TABLE_NAME,
      [ENV.globalConsistency]: 'eventual',
    };
    const regionEnv = (region: string) => ({ ...awsEnv, [ENV.region]: region, [ENV.dynamodbEndpoint]: replicator.endpoints[region] });
    this.baseEnv = {
      ...cluster.appEnv(),
      ...redis.appEnv(),
      ...regionEnv(this.regions[0]),
      // One key for every instance: a signed-cookie session is readable wherever it lands.
      [ENV.sessionSigningKey]: randomBytes(32).toString('hex'),
      [ENV.labMode]: '1',
      // Each increment holds its row lock this long, as in the lab: the hot row's queue becomes visible.
      [ENV.counterWorkMs]: String(COUNTER_WORK_MS),
    };

    this.progress('starting the app instances of both tiers and one writer per Region', 'engines');
    const [fargate, lambda, ...writers] = await Promise.all([
      this.started(() => TierPool.start('fargate', this.options.fargateInstances ?? 2, this.appEnv()), (p) => p.stop()),
      this.started(() => TierPool.start('lambda', this.options.lambdaInstances ?? 2, this.appEnv()), (p) => p.stop()),
      ...this.regions.map((region) =>
        this.started(
          async () => (await startAppInstances({ count: 1, namePrefix: `writer-${region}`, env: { ...regionEnv(region), [ENV.tier]: 'lambda' } }))[0],
          (w) => w.stop(),
        ),
      ),
    ]);
    this.pools = { fargate, lambda };
    this.writers = writers;

    const control = await this.started(() => startControlServer(this), (c) => c.close());
    this.controlUrl = control.url;
    this.progress('starting HAProxy, the one address', 'instances');
    this.lb = await this.started(
      () =>
        PlaygroundHaproxy.start({
          port,
          controlPort: control.port,
          sticky: this.options.sticky ?? false,
          fargatePorts: fargate.ports(),
          lambdaPorts: lambda.ports(),
          regionPorts: Object.fromEntries(this.regions.map((region, i) => [region, writers[i].port])),
        }),
      (lb) => lb.stop(),
    );
    await this.lb.waitForStatus([...fargate.instances(), ...lambda.instances()].map((i) => i.name), 'UP');
    // The profile that tells whether an instance's cache client is connected (see 'redis' below).
    await writeProbeProfile(fargate.instances()[0]);
    this.progress('', 'haproxy');
    this.url = `http://127.0.0.1:${port}`;
    this.startupMs = Date.now() - began;
  }

  private appEnv(): Record<string, string> {
    return { ...this.baseEnv, [ENV.sessionStore]: this.sessionStore };
  }

  /** What runs where, for the start-up banner. */
  describe(): string[] {
    const { cluster, redis, replicator } = this.engines;
    const pool = (p: TierPool) => p.instances().map((i) => `${i.name} :${i.port}`).join(', ');
    return [
      `HAProxy (the ALB)        ${this.url}  /lambda/* -> Lambda pool, /regions/<region>/* -> writers, rest -> Fargate pool`,
      `Fargate-tier pool        ${pool(this.pools.fargate)}`,
      `Lambda-tier pool         ${pool(this.pools.lambda)}  (container server with PATTERN_TIER=lambda)`,
      `Regional writers         ${this.writers.map((w, i) => `${this.regions[i]} :${w.port}`).join(', ')}`,
      `PostgreSQL               primary :${cluster.primary.port}, replicas ${cluster.replicas.map((r) => `:${r.port}`).join(', ')}`,
      `Redis                    :${redis.port}`,
      `DynamoDB (dynalite)      ${Object.entries(replicator.endpoints).map(([r, e]) => `${r} ${e}`).join(', ')} (via the replicator)`,
      `Control API              ${this.controlUrl} (also ${this.url}/_playground/)`,
    ];
  }

  /** Every app process (both tiers and the regional writers), by name and port on 127.0.0.1. */
  appEndpoints(): Array<{ readonly name: string; readonly port: number }> {
    return [...this.pools.fargate.instances(), ...this.pools.lambda.instances(), ...this.writers].map(({ name, port }) => ({ name, port }));
  }

  /** Every process the playground started (engines, instances, HAProxy). */
  pids(): number[] {
    const { cluster, redis } = this.engines;
    return [this.lb.pid, ...this.pools.fargate.pids(), ...this.pools.lambda.pids(), ...this.writers.map((w) => w.pid), cluster.primary.pid, ...cluster.replicas.map((r) => r.pid), redis.pid];
  }

  async state(): Promise<PlaygroundState> {
    const states = await this.lb.serverStates().catch(() => ({}) as Record<string, string>);
    return {
      playground: true,
      url: this.url,
      sticky: await this.lb.isSticky(),
      sessionStore: this.sessionStore,
      instances: [...this.pools.fargate.instances(), ...this.pools.lambda.instances()].map((i) => ({
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
    const { cluster, redis, replicator } = this.engines;
    switch (a.action) {
      case 'sticky':
        await this.lb.setSticky(a.on);
        return a.on ? 'stickiness on: the SERVERID cookie keeps each browser on one Fargate instance' : 'stickiness off: round robin over the Fargate instances';
      case 'kill':
        return this.pools[a.tier].kill(a.instance);
      case 'restart':
        return this.pools[a.tier].restart(a.instance);
      case 'add':
        return this.pools[a.tier].add(this.lb);
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
        await untilInstancesUseRedis([...this.pools.fargate.instances(), ...this.pools.lambda.instances()]);
        this.status.redis = 'up';
        return `Redis started, and every app instance reconnected to it ${Date.now() - began} ms later (empty: sessions and cached profiles were lost with the old process)`;
      }
      case 'session-store': {
        // The state reports the new store only once every instance runs with it.
        const env = { ...this.appEnv(), [ENV.sessionStore]: a.store };
        await Promise.all([this.pools.fargate.replaceAll(env, this.lb), this.pools.lambda.replaceAll(env, this.lb)]);
        this.sessionStore = a.store;
        return `session store is now ${a.store}: every instance was restarted with it`;
      }
    }
  }

  /** Stops everything, newest first; never throws. */
  async stop(): Promise<void> {
    for (const stop of this.stops.splice(0).reverse()) await stop().catch(() => undefined);
  }
}
