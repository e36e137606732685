/**
 * Replication admin of the local PostgreSQL cluster, as functions over one node at a time:
 * ALTER SYSTEM + reload, the primary's view of its standbys (pg_stat_replication), WAL positions
 * and repointing a standby at a new primary. `postgres-cluster.ts` decides which node to call.
 */
import { pollUntil } from './ports';
import { parseLsn, pgQuery, type PgTarget } from './postgres-node';

export interface NamedTarget extends PgTarget {
  readonly name: string;
}

export interface WalSender {
  readonly pid: number;
  /** The standby's application_name, i.e. its node name. */
  readonly name: string;
  readonly state: string;
  /** 'async', 'sync', 'potential' or 'quorum'. */
  readonly syncState: string;
}

/**
 * ALTER SYSTEM SET each setting (undefined: RESET), then reload. With `expectFirst`, waits until
 * the first setting reads that value in pg_settings (base unit, e.g. ms): our own backend reloads
 * on the same SIGHUP as the others, so once it sees the value the startup process has it too.
 */
export async function alterSystem(
  node: NamedTarget,
  settings: Readonly<Record<string, string | undefined>>,
  expectFirst?: string,
): Promise<void> {
  for (const [name, value] of Object.entries(settings)) {
    // ALTER SYSTEM takes no bind parameters: names are ours, values are quoted as SQL literals.
    await pgQuery(node, value === undefined ? `ALTER SYSTEM RESET ${name}` : `ALTER SYSTEM SET ${name} = ${quoteLiteral(value)}`);
  }
  await pgQuery(node, 'SELECT pg_reload_conf()');
  if (expectFirst === undefined) return;
  const [first] = Object.keys(settings);
  await pollUntil(
    async () => (await pgQuery<{ v: string }>(node, 'SELECT setting AS v FROM pg_settings WHERE name = $1', [first]))[0].v === expectFirst,
    5000,
    `${node.name}: ${first} did not become ${expectFirst}`,
  );
}

/** The primary's walsenders, one per connected standby. */
export function walSenders(primary: PgTarget): Promise<WalSender[]> {
  return pgQuery<WalSender>(
    primary,
    'SELECT pid, application_name AS name, state, sync_state AS "syncState" FROM pg_stat_replication',
  );
}

/** Waits until `check` holds for the primary's walsenders. */
export async function waitForWalSenders(
  primary: PgTarget,
  check: (senders: readonly WalSender[]) => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  await pollUntil(async () => check(await walSenders(primary)), timeoutMs, what);
}

/** pg_current_wal_lsn() of a primary, in bytes. */
export async function currentWalLsn(primary: PgTarget): Promise<bigint> {
  const [row] = await pgQuery<{ lsn: string }>(primary, 'SELECT pg_current_wal_lsn()::text AS lsn');
  return parseLsn(row.lsn);
}

/** pg_last_wal_replay_lsn() of a standby, in bytes. */
export async function replayWalLsn(replica: NamedTarget): Promise<bigint> {
  const [row] = await pgQuery<{ lsn: string | null }>(replica, 'SELECT pg_last_wal_replay_lsn()::text AS lsn');
  if (row.lsn === null) throw new Error(`${replica.name} is not in recovery (no replay position)`);
  return parseLsn(row.lsn);
}

/**
 * Repoints a standby at a new primary, with its own slot there (primary_conninfo is reloadable
 * since PG 13). A standby that replayed past the promotion point cannot follow and keeps retrying.
 */
export async function followPrimary(replica: NamedTarget, primary: NamedTarget & { readonly port: number }): Promise<void> {
  await pgQuery(
    primary,
    'SELECT pg_create_physical_replication_slot($1) WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1)',
    [replica.name],
  );
  const { user, password } = primary.credentials;
  const conninfo = `host=127.0.0.1 port=${primary.port} user=${user} password=${password} application_name=${replica.name}`;
  await alterSystem(replica, { primary_conninfo: conninfo, primary_slot_name: replica.name });
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
