/**
 * Building blocks of the PostgreSQL cluster: a data-dir template made once per process by
 * initdb, one postmaster per node (spawned as the `postgres` OS user when we are root), base
 * backups for replicas, and short-lived admin queries. `postgres-cluster.ts` composes them.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { once } from '../lambdas/core/once';
import { chownTree, makeAncestorsTraversable, postgresOsUser, runAs, type OsUser } from './os-user';
import { startFailure, startProcess, waitUntilReady, type ManagedProcess } from './processes';
import { makeTempDir } from './workspace';

const execFileAsync = promisify(execFile);

/** Where the PostgreSQL 15 binaries are; `PG_BIN_DIR` overrides. */
export function pgBinDir(): string {
  return process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
}

export interface PgCredentials {
  readonly user: string;
  readonly password: string;
}

export interface PgTemplate {
  readonly dataDir: string;
  readonly credentials: PgCredentials;
  readonly osUser: OsUser | undefined;
}

/**
 * The initdb'd data dir shared by every cluster of this process (initdb costs ~0.6 s; a copy
 * ~0.1 s). Superuser `postgres` with a random password, scram-sha-256 for every connection.
 */
export const postgresTemplate: () => Promise<PgTemplate> = once(() => createTemplate());

async function createTemplate(): Promise<PgTemplate> {
  const osUser = postgresOsUser();
  const root = makeTempDir('pg-template');
  makeAncestorsTraversable(root);
  chownTree(root, osUser);
  const credentials: PgCredentials = { user: 'postgres', password: randomBytes(18).toString('base64url') };
  const pwFile = path.join(root, 'pwfile');
  fs.writeFileSync(pwFile, `${credentials.password}\n`, { mode: 0o600 });
  chownTree(pwFile, osUser);
  const dataDir = path.join(root, 'data');
  try {
    await runToCompletion('initdb', path.join(pgBinDir(), 'initdb'), [
      '-D', dataDir, '--no-sync', '-A', 'scram-sha-256', `--pwfile=${pwFile}`,
      '-U', credentials.user, '--no-locale', '-E', 'UTF8',
    ], osUser);
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
  return { dataDir, credentials, osUser };
}

/** Copies the template data dir to `dataDir` (cp -a keeps owner and the 0700 mode). */
export async function copyTemplate(from: PgTemplate, dataDir: string): Promise<void> {
  await execFileAsync('cp', ['-a', from.dataDir, dataDir]);
}

/** Settings shared by every node of a cluster, written to the primary's postgresql.conf (base backups copy it). */
export function writeClusterSettings(dataDir: string, durable: boolean): void {
  const settings = [
    '',
    '# --- harness settings ---',
    "listen_addresses = '127.0.0.1'",
    'wal_level = replica',
    'max_wal_senders = 16',
    'max_replication_slots = 16',
    'hot_standby = on',
    // Standbys report their positions every second, so pg_stat_replication stays fresh.
    'wal_receiver_status_interval = 1s',
    `fsync = ${durable ? 'on' : 'off'}`,
    'shared_buffers = 32MB',
    "log_line_prefix = '%m [%p] %q%a '",
    '',
  ];
  fs.appendFileSync(path.join(dataDir, 'postgresql.conf'), settings.join('\n'));
}

export interface PgNodeLaunch {
  readonly name: string;
  readonly port: number;
  readonly dataDir: string;
  /** Folder for the unix socket (kept out of the data dir so base backups do not trip on it). */
  readonly socketDir: string;
  readonly credentials: PgCredentials;
  readonly osUser: OsUser | undefined;
}

/**
 * Starts one postmaster in the foreground and waits until it accepts queries (a hot standby
 * does once it is consistent). Node-specific settings go on the command line so that a base
 * backup of the primary needs no editing. Throws PortInUseError when the port was taken.
 */
export async function launchPostgres(node: PgNodeLaunch, timeoutMs = 30_000): Promise<ManagedProcess> {
  const proc = startProcess(`postgres-${node.name}`, path.join(pgBinDir(), 'postgres'), [
    '-D', node.dataDir, '-p', String(node.port),
    '-c', `unix_socket_directories=${node.socketDir}`, '-c', `cluster_name=${node.name}`,
  ], { ...runAs(node.osUser), env: { PATH: process.env.PATH, LANG: 'C' }, stopSignal: 'SIGINT' });
  await waitUntilReady(proc, node.port, async () => (await pgQuery(node, 'SELECT 1')).length === 1, timeoutMs);
  return proc;
}

/**
 * Runs `pg_basebackup` from the primary into `dataDir` with its own physical slot and
 * `application_name` = node name in the generated primary_conninfo (-R writes standby.signal).
 * The slot is created first, reserving WAL at once: with `-C` it is created only after the
 * backup starts, and a concurrent backup's checkpoint can remove the segment it needs.
 */
export async function baseBackup(
  primary: PgNodeLaunch,
  replicaName: string,
  dataDir: string,
  durable: boolean,
): Promise<void> {
  await pgQuery(primary, 'SELECT pg_create_physical_replication_slot($1, true)', [replicaName]);
  const conninfo = `host=127.0.0.1 port=${primary.port} user=${primary.credentials.user} application_name=${replicaName}`;
  await runToCompletion(`pg_basebackup-${replicaName}`, path.join(pgBinDir(), 'pg_basebackup'), [
    '-d', conninfo, '-D', dataDir, '-X', 'stream', '-R', '--checkpoint=fast', '-S', replicaName,
    ...(durable ? [] : ['--no-sync']),
  ], primary.osUser, { PGPASSWORD: primary.credentials.password });
}

export interface PgTarget {
  readonly port: number;
  readonly credentials: PgCredentials;
  readonly database?: string;
}

/**
 * One query on a short-lived connection with bounded connect and query timeouts, so that an
 * admin call against a dead or frozen node fails instead of hanging.
 *
 * @example
 * const [row] = await pgQuery<{ lsn: string }>(node, 'SELECT pg_current_wal_lsn() AS lsn');
 */
export async function pgQuery<T = Record<string, unknown>>(
  target: PgTarget,
  sql: string,
  params: readonly unknown[] = [],
  timeoutMs = 10_000,
): Promise<T[]> {
  const client = new Client({
    host: '127.0.0.1',
    port: target.port,
    user: target.credentials.user,
    password: target.credentials.password,
    database: target.database ?? 'postgres',
    connectionTimeoutMillis: 3000,
    query_timeout: timeoutMs,
  });
  client.on('error', () => undefined); // a node killed mid-query must not crash the host
  try {
    await client.connect();
    const result = await client.query(sql, [...params]);
    return result.rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A WAL position such as `0/3000148` as a byte offset. */
export function parseLsn(lsn: string): bigint {
  const match = /^([0-9A-F]+)\/([0-9A-F]+)$/i.exec(lsn);
  if (match === null) throw new Error(`not a WAL position: ${JSON.stringify(lsn)}`);
  return (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`);
}

async function runToCompletion(
  name: string,
  command: string,
  args: readonly string[],
  osUser: OsUser | undefined,
  extraEnv: Record<string, string> = {},
): Promise<void> {
  const proc = startProcess(name, command, args, {
    ...runAs(osUser),
    env: { PATH: process.env.PATH, LANG: 'C', ...extraEnv },
  });
  const code = await proc.exited;
  if (code !== 0) throw startFailure(proc, `failed with exit code ${code}`);
}
