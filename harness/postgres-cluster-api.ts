/** What a started PostgreSQL cluster offers (postgres-cluster.ts starts one), and its options. */
import type { PgLogin } from '../lambdas/adapters/pg-app-role';
import type { MigrationReport } from '../lambdas/adapters/pg-migrations';

export interface PgNode {
  readonly name: string;
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly dataDir: string;
  readonly pid: number;
  readonly role: 'primary' | 'replica';
}

export interface PostgresClusterOptions {
  /** @default 2 */
  readonly replicas?: number;
  /** @default 'patterns' */
  readonly database?: string;
  /** Start with synchronous replication to the first replica. @default false */
  readonly synchronous?: boolean;
  /** fsync on. Off is safe against process crashes (the OS keeps the pages) and much faster. @default false */
  readonly durable?: boolean;
  /**
   * Run the migration entry point once at start (schema + the `patterns_app` role), as the
   * deploy-time step does on AWS. @default true
   */
  readonly migrate?: boolean;
}

/** Whom `appEnv()` logs in as: the app role (what the tiers use), or the superuser for a lab experiment that needs it. */
export type AppLogin = 'app' | 'master';

export type SynchronousMode = 'on' | 'remote_write' | 'remote_apply';

export interface PostgresCluster {
  readonly primary: PgNode;
  readonly replicas: readonly PgNode[];
  /** The superuser (the stand-in for the RDS master user). */
  readonly user: string;
  readonly password: string;
  /** The application role `migrate()` creates (`patterns_app`, a random password per cluster). */
  readonly app: PgLogin;
  readonly database: string;
  connectionString(node: PgNode): string;
  /**
   * DB_PRIMARY_HOST, DB_PRIMARY_PORT, DB_REPLICAS, DB_NAME, DB_USER, DB_PASSWORD, DB_SSL=off; the
   * user is the app role (default, needs the migrations) or the superuser.
   */
  appEnv(login?: AppLogin): Record<string, string>;
  /** Runs the migration entry point (as the deploy step does): schema + app role. Idempotent. */
  migrate(): Promise<MigrationReport>;
  /** One query on `node` (default: the primary) in the cluster's database. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[], node?: PgNode): Promise<T[]>;
  /** recovery_min_apply_delay on the replicas (default all); 0 removes it. */
  setReplayDelay(ms: number, replicas?: readonly PgNode[]): Promise<void>;
  /** synchronous_standby_names 'FIRST 1 (...)' + synchronous_commit on the primary, then waits for sync_state. */
  setSynchronous(on: boolean, opts?: { standbys?: readonly PgNode[]; mode?: SynchronousMode; timeoutMs?: number }): Promise<void>;
  /** SIGSTOP the primary's walsenders: commits go on, replicas stop receiving WAL. */
  freezeWalShipping(): Promise<void>;
  thawWalShipping(): Promise<void>;
  stopNode(node: PgNode, mode?: 'fast' | 'immediate'): Promise<void>;
  /** Restarts a stopped node on its port and data dir; returns it with its new pid. */
  startNode(node: PgNode): Promise<PgNode>;
  /** SIGKILL the primary's postmaster and all its children: a crash of the machine. */
  killPrimary(): Promise<void>;
  /** pg_promote(true, 30) on `replica`; the others are repointed to it. Returns the new primary. */
  promote(replica: PgNode): Promise<PgNode>;
  /** pg_wal_lsn_diff(primary current, replica replay) in bytes (never negative). */
  replayLsnGap(replica: PgNode): Promise<number>;
  waitForReplicaCatchUp(timeoutMs?: number): Promise<void>;
  /** Stops every node and removes the data dirs. */
  stop(): Promise<void>;
}
