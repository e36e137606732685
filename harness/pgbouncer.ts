/**
 * A throwaway pgbouncer in transaction pooling mode in front of a harness PostgreSQL node: the
 * local stand-in for RDS Proxy. Many clients share a bounded set of server connections; a
 * transaction holds one only while it runs, so session state (SET, advisory locks across
 * statements, named prepared statements) does not survive, the same thing that pins a proxied
 * session on AWS. Like PostgreSQL it refuses to run as root, so it runs as the `postgres` OS user.
 *
 * @example
 * const cluster = await startPostgresCluster({ replicas: 0 });
 * const bouncer = await startPgBouncer({ server: { port: cluster.primary.port, credentials: cluster }, poolSize: 5 });
 * const env = { ...cluster.appEnv(), ...bouncer.appEnv() }; // the primary path goes through the pooler
 * await bouncer.stop();
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENV } from '../lambdas/config/env-names';
import { chownTree, makeAncestorsTraversable, postgresOsUser, runAs } from './os-user';
import { withFreePort } from './ports';
import { pgQuery, type PgCredentials } from './postgres-node';
import { startProcess, waitUntilReady, type ManagedProcess } from './processes';
import { makeTempDir, removeTempDir } from './workspace';

export type PgBouncerPoolMode = 'transaction' | 'session' | 'statement';

export interface PgBouncerProps {
  /** The PostgreSQL server to pool for, on 127.0.0.1 (a harness node: its port and superuser). */
  readonly server: { readonly port: number; readonly credentials: PgCredentials };
  /** Server connections per user/database pair (`default_pool_size`). @default 10 */
  readonly poolSize?: number;
  /** Server connections per database, all users together (`max_db_connections`). @default - `poolSize` */
  readonly maxDbConnections?: number;
  /** Client connections pgbouncer accepts (`max_client_conn`). @default 1000 */
  readonly maxClientConnections?: number;
  /** How long a client may wait for a server connection before pgbouncer fails its query (`query_wait_timeout`). @default 30000 */
  readonly queryWaitTimeoutMs?: number;
  /** @default 'transaction' */
  readonly poolMode?: PgBouncerPoolMode;
  /** Logins accepted (SCRAM) and used towards the server. @default - the server's credentials only */
  readonly users?: readonly PgCredentials[];
  /**
   * Give pgbouncer each user's SCRAM secret, read from the server, instead of its password. With a
   * password it derives a fresh secret (PBKDF2, 4096 rounds) at every client login, which under a
   * storm of logins is most of its CPU; with the secret a login costs it a few HMACs, and it logs
   * in to the server with the client's proof (SCRAM pass-through). Every user must exist on the
   * server with its final password before pgbouncer starts; one without a SCRAM secret keeps its password.
   * @default false
   */
  readonly scramSecretsFromServer?: boolean;
  /** @default '/usr/sbin/pgbouncer', or PGBOUNCER_BIN */
  readonly binary?: string;
}

export interface PgBouncerPool {
  readonly database: string;
  readonly user: string;
  readonly clientsActive: number;
  readonly clientsWaiting: number;
  /** Server connections open for this pool (active + idle + used + tested + login). */
  readonly serverConnections: number;
}

export interface PgBouncer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly pid: number;
  readonly poolSize: number;
  readonly maxDbConnections: number;
  /** DB_PRIMARY_HOST and DB_PRIMARY_PORT pointing at the pooler (merge over the cluster's appEnv()). */
  appEnv(): Record<string, string>;
  /** SHOW POOLS on the admin console (user = the server's superuser). */
  pools(): Promise<PgBouncerPool[]>;
  /**
   * Replaces the password of each named login (clients are checked against it, and the pooler logs
   * in to the server with it), then RELOADs: what RDS Proxy does when it reads a secret's new value.
   * Authenticated clients and open server connections stay; the next logins use the new password.
   */
  updateLogins(logins: readonly PgCredentials[]): Promise<void>;
  /** SIGTERM (immediate shutdown: clients are cut), then removes its folder. */
  stop(): Promise<void>;
}

/**
 * The client startup parameters pgbouncer would otherwise reject with "unsupported startup
 * parameter" (node-postgres sends statement_timeout & co. when they are configured). pgbouncer
 * drops them, so the server default applies: set such limits per role on the server instead.
 */
export const PGBOUNCER_IGNORED_STARTUP_PARAMETERS = [
  'extra_float_digits', 'options', 'statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout',
] as const;

/** Starts pgbouncer on a free port and waits until a query passes through it to the server. */
export async function startPgBouncer(props: PgBouncerProps): Promise<PgBouncer> {
  const settings = resolveSettings(props);
  const secrets = props.scramSecretsFromServer === true ? await scramSecrets(props.server, settings.users) : new Map<string, string>();
  const osUser = postgresOsUser();
  const dir = makeTempDir('pgbouncer');
  makeAncestorsTraversable(dir);
  try {
    return await withFreePort(async (port) => {
      const configFile = writeConfig(dir, port, settings, secrets);
      chownTree(dir, osUser);
      const proc = startProcess(`pgbouncer-${port}`, settings.binary, [configFile], {
        ...runAs(osUser),
        env: { PATH: process.env.PATH, LANG: 'C' },
      });
      const admin = settings.users[0];
      await waitUntilReady(proc, port, async () => (await pgQuery({ port, credentials: admin }, 'SELECT 1')).length === 1, 15_000);
      return new LocalPgBouncer(proc, dir, port, settings, secrets);
    });
  } catch (error) {
    removeTempDir(dir);
    throw error;
  }
}

const AUTH_FILE = 'userlist.txt';

interface Settings {
  readonly serverPort: number;
  readonly poolSize: number;
  readonly maxDbConnections: number;
  readonly maxClientConnections: number;
  readonly queryWaitTimeoutMs: number;
  readonly poolMode: PgBouncerPoolMode;
  readonly users: readonly PgCredentials[];
  readonly binary: string;
}

function resolveSettings(props: PgBouncerProps): Settings {
  const poolSize = props.poolSize ?? 10;
  const settings: Settings = {
    serverPort: props.server.port,
    poolSize,
    maxDbConnections: props.maxDbConnections ?? poolSize,
    maxClientConnections: props.maxClientConnections ?? 1000,
    queryWaitTimeoutMs: props.queryWaitTimeoutMs ?? 30_000,
    poolMode: props.poolMode ?? 'transaction',
    users: props.users ?? [props.server.credentials],
    binary: props.binary ?? process.env.PGBOUNCER_BIN ?? '/usr/sbin/pgbouncer',
  };
  const problems: string[] = [];
  const positive = (key: string, value: number): void => {
    if (!Number.isInteger(value) || value < 1) problems.push(`${key}: got ${value}; allowed: an integer >= 1`);
  };
  positive('poolSize', settings.poolSize);
  positive('maxDbConnections', settings.maxDbConnections);
  positive('maxClientConnections', settings.maxClientConnections);
  if (!(settings.queryWaitTimeoutMs >= 1000)) problems.push(`queryWaitTimeoutMs: got ${settings.queryWaitTimeoutMs}; allowed: >= 1000`);
  if (settings.users.length === 0) problems.push('users: got none; allowed: at least one login');
  for (const user of settings.users) {
    if (/["\s]/.test(user.user) || user.password.includes('"')) problems.push(`users: got ${JSON.stringify(user.user)}; allowed: names and passwords without quotes or blanks`);
  }
  if (problems.length > 0) throw new Error(`startPgBouncer: ${problems.join('; ')}`);
  return settings;
}

/** The SCRAM secrets (pg_authid.rolpassword) of `users` on the server, by name; read as its superuser. */
async function scramSecrets(server: PgBouncerProps['server'], users: readonly PgCredentials[]): Promise<Map<string, string>> {
  const rows = await pgQuery<{ rolname: string; rolpassword: string | null }>(
    { port: server.port, credentials: server.credentials },
    'SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY($1)',
    [users.map((u) => u.user)],
  );
  return new Map(rows.filter((r) => r.rolpassword?.startsWith('SCRAM-SHA-256$') === true).map((r) => [r.rolname, r.rolpassword as string]));
}

/** The auth file's lines: a user's SCRAM secret when given, else its plain-text password. */
function writeAuthFile(authFile: string, users: readonly PgCredentials[], secrets: ReadonlyMap<string, string>): void {
  fs.writeFileSync(authFile, users.map((u) => `"${u.user}" "${secrets.get(u.user) ?? u.password}"\n`).join(''), { mode: 0o600 });
}

/**
 * pgbouncer.ini and the auth file: a user's SCRAM secret when given, else its plain-text password
 * (pgbouncer needs one or the other to log in to the server with SCRAM).
 */
function writeConfig(dir: string, port: number, s: Settings, secrets: ReadonlyMap<string, string>): string {
  const authFile = path.join(dir, AUTH_FILE);
  writeAuthFile(authFile, s.users, secrets);
  const lines = [
    '[databases]',
    // Any database name maps to the same-named database of the server.
    `* = host=127.0.0.1 port=${s.serverPort}`,
    '',
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    `unix_socket_dir = ${dir}`,
    'auth_type = scram-sha-256',
    `auth_file = ${authFile}`,
    `admin_users = ${s.users[0].user}`,
    `pool_mode = ${s.poolMode}`,
    `default_pool_size = ${s.poolSize}`,
    'min_pool_size = 0',
    'reserve_pool_size = 0',
    `max_db_connections = ${s.maxDbConnections}`,
    `max_client_conn = ${s.maxClientConnections}`,
    `query_wait_timeout = ${Math.ceil(s.queryWaitTimeoutMs / 1000)}`,
    `ignore_startup_parameters = ${PGBOUNCER_IGNORED_STARTUP_PARAMETERS.join(',')}`,
    // Connection churn is what the lab measures: one line per login would flood the log.
    'log_connections = 0',
    'log_disconnections = 0',
    'stats_period = 60',
    '',
  ];
  const configFile = path.join(dir, 'pgbouncer.ini');
  fs.writeFileSync(configFile, lines.join('\n'), { mode: 0o600 });
  return configFile;
}

class LocalPgBouncer implements PgBouncer {
  readonly host = '127.0.0.1' as const;

  private users: readonly PgCredentials[];

  constructor(
    private readonly proc: ManagedProcess,
    private readonly dir: string,
    readonly port: number,
    private readonly settings: Settings,
    private readonly secrets: ReadonlyMap<string, string>,
  ) {
    this.users = settings.users;
  }

  get pid(): number {
    return this.proc.pid;
  }

  get poolSize(): number {
    return this.settings.poolSize;
  }

  get maxDbConnections(): number {
    return this.settings.maxDbConnections;
  }

  appEnv(): Record<string, string> {
    return { [ENV.dbPrimaryHost]: this.host, [ENV.dbPrimaryPort]: String(this.port) };
  }

  async pools(): Promise<PgBouncerPool[]> {
    const rows = await pgQuery<Record<string, string | number>>(
      { port: this.port, credentials: this.settings.users[0], database: 'pgbouncer' },
      'SHOW POOLS',
    );
    const n = (value: unknown): number => Number(value ?? 0);
    return rows
      .filter((r) => r.database !== 'pgbouncer')
      .map((r) => ({
        database: String(r.database),
        user: String(r.user),
        clientsActive: n(r.cl_active),
        clientsWaiting: n(r.cl_waiting),
        serverConnections: n(r.sv_active) + n(r.sv_idle) + n(r.sv_used) + n(r.sv_tested) + n(r.sv_login),
      }));
  }

  async updateLogins(logins: readonly PgCredentials[]): Promise<void> {
    const unknown = logins.filter((login) => !this.users.some((u) => u.user === login.user));
    if (unknown.length > 0) throw new Error(`updateLogins: got ${unknown.map((u) => JSON.stringify(u.user)).join(', ')}; allowed: the pooler's logins`);
    if (logins.some((login) => login.user === this.users[0].user)) throw new Error('updateLogins: the admin login (the first) cannot change: RELOAD logs in with it');
    this.users = this.users.map((u) => logins.find((login) => login.user === u.user) ?? u);
    if (logins.some((login) => login.password.includes('"'))) throw new Error('updateLogins: got a password with a quote; allowed: passwords without quotes');
    // A replaced login's SCRAM secret from the server no longer applies: it logs in with its new password.
    const kept = new Map([...this.secrets].filter(([user]) => !logins.some((login) => login.user === user)));
    // A new file renamed over the old one: pgbouncer re-reads the auth file only when its inode,
    // size or mtime (in seconds) changed, and a password of the same length written within the
    // same second changes neither size nor mtime.
    const next = path.join(this.dir, `${AUTH_FILE}.next`);
    writeAuthFile(next, this.users, kept);
    chownTree(next, postgresOsUser());
    fs.renameSync(next, path.join(this.dir, AUTH_FILE));
    await pgQuery({ port: this.port, credentials: this.users[0], database: 'pgbouncer' }, 'RELOAD');
  }

  async stop(): Promise<void> {
    await this.proc.stop({ timeoutMs: 5000 });
    removeTempDir(this.dir);
  }
}
