/**
 * A PostgreSQL 15 primary with N streaming replicas on 127.0.0.1, the local stand-in for RDS
 * with read replicas. It exposes the knobs the patterns need: replay delay (lag), synchronous
 * standbys, frozen WAL shipping, crash, promotion, and lag in bytes of WAL.
 *
 * @example
 * const cluster = await startPostgresCluster({ replicas: 2 });
 * await cluster.setReplayDelay(2000);          // replicas lag by 2 s
 * const gap = await cluster.replayLsnGap(cluster.replicas[0]);
 * await cluster.stop();
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { APP_ROLE_NAME, type PgLogin } from '../lambdas/adapters/pg-app-role';
import { runMigrations, type MigrationReport } from '../lambdas/adapters/pg-migrations';
import { ENV } from '../lambdas/config/env-names';
import { chownTree, makeAncestorsTraversable } from './os-user';
import { pollUntil, withFreePort } from './ports';
import {
  baseBackup, copyTemplate, launchPostgres, pgQuery, postgresTemplate, writeClusterSettings, type PgNodeLaunch, type PgTemplate,
} from './postgres-node';
import { alterSystem, currentWalLsn, followPrimary, replayWalLsn, waitForWalSenders, walSenders } from './postgres-replication';
import { signalQuietly, type ManagedProcess } from './processes';
import { makeTempDir, removeTempDir } from './workspace';
import type { AppLogin, PgNode, PostgresCluster, PostgresClusterOptions, SynchronousMode } from './postgres-cluster-api';

export type { AppLogin, PgNode, PostgresCluster, PostgresClusterOptions, SynchronousMode } from './postgres-cluster-api';

interface NodeState extends PgNodeLaunch {
  role: 'primary' | 'replica' | 'retired';
  proc: ManagedProcess;
}

/**
 * Starts a primary and `replicas` streaming replicas (each with its own physical slot and
 * `application_name` = its name), from a per-process initdb template. About a second on 2 cores.
 */
export async function startPostgresCluster(options: PostgresClusterOptions = {}): Promise<PostgresCluster> {
  const replicaCount = options.replicas ?? 2;
  const database = options.database ?? 'patterns';
  if (!Number.isInteger(replicaCount) || replicaCount < 0) throw new Error(`replicas=${replicaCount}: expected an integer >= 0`);
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) throw new Error(`database=${JSON.stringify(database)}: expected a lower-case SQL identifier`);
  const template = await postgresTemplate();
  const root = makeTempDir('pg-cluster');
  makeAncestorsTraversable(root);
  const socketDir = path.join(root, 'run');
  fs.mkdirSync(socketDir);
  chownTree(root, template.osUser);
  const cluster = new LocalPostgresCluster(template, root, socketDir, database, options.durable ?? false);
  try {
    await cluster.init(replicaCount);
    if (options.synchronous === true && replicaCount > 0) await cluster.setSynchronous(true);
    if (options.migrate ?? true) await cluster.migrate();
    return cluster;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

class LocalPostgresCluster implements PostgresCluster {
  private readonly nodes: NodeState[] = [];
  private frozenWalSenders: number[] = [];
  readonly app: PgLogin = { user: APP_ROLE_NAME, password: randomBytes(18).toString('base64url') };

  constructor(
    private readonly template: PgTemplate,
    private readonly root: string,
    private readonly socketDir: string,
    readonly database: string,
    private readonly durable: boolean,
  ) {}

  get user(): string {
    return this.template.credentials.user;
  }

  get password(): string {
    return this.template.credentials.password;
  }

  get primary(): PgNode {
    const primary = this.nodes.find((n) => n.role === 'primary');
    if (primary === undefined) throw new Error('the cluster has no primary');
    return snapshot(primary);
  }

  get replicas(): readonly PgNode[] {
    return this.nodes
      .filter((n) => n.role === 'replica')
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))
      .map(snapshot);
  }

  async init(replicaCount: number): Promise<void> {
    const dataDir = path.join(this.root, 'primary');
    await copyTemplate(this.template, dataDir);
    writeClusterSettings(dataDir, this.durable);
    await this.launch('primary', dataDir, 'primary');
    await pgQuery(this.state(this.primary), `CREATE DATABASE ${this.database}`);
    const primary = this.state(this.primary);
    await Promise.all(
      Array.from({ length: replicaCount }, async (_, i) => {
        const name = `replica${i + 1}`;
        const replicaDir = path.join(this.root, name);
        await baseBackup(primary, name, replicaDir, this.durable);
        await this.launch(name, replicaDir, 'replica');
      }),
    );
    const names = this.replicas.map((r) => r.name);
    await waitForWalSenders(
      this.state(this.primary),
      (senders) => names.every((n) => senders.some((s) => s.name === n && s.state === 'streaming')),
      15_000,
      `replicas ${names.join(', ')} did not start streaming`,
    );
  }

  connectionString(node: PgNode): string {
    const user = encodeURIComponent(this.user);
    return `postgres://${user}:${encodeURIComponent(this.password)}@127.0.0.1:${node.port}/${this.database}`;
  }

  appEnv(login: AppLogin = 'app'): Record<string, string> {
    const { user, password } = login === 'app' ? this.app : this;
    return {
      [ENV.dbPrimaryHost]: '127.0.0.1',
      [ENV.dbPrimaryPort]: String(this.primary.port),
      [ENV.dbReplicas]: this.replicas.map((r) => `127.0.0.1:${r.port}`).join(','),
      [ENV.dbName]: this.database,
      [ENV.dbUser]: user,
      [ENV.dbPassword]: password,
      [ENV.dbSsl]: 'off',
    };
  }

  migrate(): Promise<MigrationReport> {
    const master = { user: this.user, password: this.password };
    return runMigrations({ host: '127.0.0.1', port: this.primary.port, database: this.database, master, appRole: this.app });
  }

  query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = [], node?: PgNode): Promise<T[]> {
    return pgQuery<T>({ ...this.state(node ?? this.primary), database: this.database }, sql, params);
  }

  async setReplayDelay(ms: number, replicas: readonly PgNode[] = this.replicas): Promise<void> {
    if (!Number.isInteger(ms) || ms < 0) throw new Error(`setReplayDelay(${ms}): expected an integer >= 0`);
    const setting = ms === 0 ? undefined : `${ms}ms`;
    await Promise.all(replicas.map((r) => alterSystem(this.state(r), { recovery_min_apply_delay: setting }, String(ms))));
  }

  async setSynchronous(
    on: boolean,
    opts: { standbys?: readonly PgNode[]; mode?: SynchronousMode; timeoutMs?: number } = {},
  ): Promise<void> {
    const standbys = (opts.standbys ?? this.replicas).map((s) => s.name);
    if (on && standbys.length === 0) throw new Error('setSynchronous(true): the cluster has no replica to wait for');
    const names = on ? `FIRST 1 (${standbys.map((n) => `"${n}"`).join(', ')})` : undefined;
    const mode = on ? (opts.mode ?? 'on') : undefined;
    await alterSystem(this.state(this.primary), { synchronous_standby_names: names, synchronous_commit: mode });
    await waitForWalSenders(
      this.state(this.primary),
      (senders) => (on ? senders.some((s) => s.syncState === 'sync' && standbys.includes(s.name)) : senders.every((s) => s.syncState === 'async')),
      opts.timeoutMs ?? 15_000,
      on ? `no standby of ${standbys.join(', ')} became synchronous` : 'standbys stayed synchronous',
    );
  }

  async freezeWalShipping(): Promise<void> {
    const senders = await walSenders(this.state(this.primary));
    if (senders.length === 0) throw new Error('freezeWalShipping: the primary has no walsender (no replica connected)');
    for (const { pid } of senders) signalQuietly(pid, 'SIGSTOP');
    this.frozenWalSenders.push(...senders.map((s) => s.pid));
  }

  async thawWalShipping(): Promise<void> {
    for (const pid of this.frozenWalSenders) signalQuietly(pid, 'SIGCONT');
    this.frozenWalSenders = [];
  }

  async stopNode(node: PgNode, mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    const state = this.state(node);
    if (state.role === 'primary') await this.thawWalShipping(); // a stopped walsender would block shutdown
    await state.proc.stop({ signal: mode === 'fast' ? 'SIGINT' : 'SIGQUIT', timeoutMs: 15_000 });
  }

  async startNode(node: PgNode): Promise<PgNode> {
    const state = this.state(node);
    if (state.proc.isRunning()) throw new Error(`startNode(${node.name}): it is running (pid ${state.proc.pid})`);
    state.proc = await launchPostgres(state);
    return snapshot(state);
  }

  async killPrimary(): Promise<void> {
    await this.state(this.primary).proc.kill();
    this.frozenWalSenders = []; // they died with their postmaster
  }

  async promote(replica: PgNode): Promise<PgNode> {
    const state = this.state(replica);
    if (state.role !== 'replica') throw new Error(`promote(${replica.name}): it is not a replica`);
    const [row] = await pgQuery<{ promoted: boolean }>(state, 'SELECT pg_promote(true, 30) AS promoted', [], 40_000);
    if (!row.promoted) throw new Error(`promote(${replica.name}): pg_promote did not finish within 30 s`);
    for (const n of this.nodes) if (n.role === 'primary') n.role = 'retired';
    state.role = 'primary';
    await Promise.all(this.nodes.filter((n) => n.role === 'replica' && n.proc.isRunning()).map((n) => followPrimary(n, state)));
    return snapshot(state);
  }

  async replayLsnGap(replica: PgNode): Promise<number> {
    const [primaryLsn, replayLsn] = await Promise.all([currentWalLsn(this.state(this.primary)), replayWalLsn(this.state(replica))]);
    const gap = primaryLsn - replayLsn;
    return gap > 0n ? Number(gap) : 0;
  }

  async waitForReplicaCatchUp(timeoutMs = 10_000): Promise<void> {
    const target = await currentWalLsn(this.state(this.primary));
    const running = this.replicas.filter((r) => this.state(r).proc.isRunning());
    await pollUntil(
      async () => (await Promise.all(running.map((r) => replayWalLsn(this.state(r))))).every((lsn) => lsn >= target),
      timeoutMs,
      `replicas ${running.map((r) => r.name).join(', ')} did not replay up to the primary's WAL position`,
    );
  }

  async stop(): Promise<void> {
    await this.thawWalShipping();
    await Promise.all(this.nodes.map((n) => n.proc.stop({ signal: 'SIGINT', timeoutMs: 10_000 })));
    removeTempDir(this.root);
  }

  private async launch(name: string, dataDir: string, role: 'primary' | 'replica'): Promise<void> {
    const launchOn = (port: number): PgNodeLaunch => ({
      name, port, dataDir, socketDir: this.socketDir, credentials: this.template.credentials, osUser: this.template.osUser,
    });
    const { launch, proc } = await withFreePort(async (port) => ({ launch: launchOn(port), proc: await launchPostgres(launchOn(port)) }));
    this.nodes.push({ ...launch, role, proc });
  }

  private state(node: { readonly name: string }): NodeState {
    const state = this.nodes.find((n) => n.name === node.name);
    if (state === undefined) throw new Error(`unknown node ${node.name}`);
    return state;
  }
}

function snapshot(state: NodeState): PgNode {
  const role = state.role === 'retired' ? 'replica' : state.role;
  return { name: state.name, host: '127.0.0.1', port: state.port, dataDir: state.dataDir, pid: state.proc.pid, role };
}
