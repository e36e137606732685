/**
 * Reads WAL positions from PostgreSQL for the replication-lag probe and the read router: the
 * primary's current position and, per replica, what it received and replayed. Each is one cheap
 * query that touches no table.
 *
 * @example
 * const wal = createPgWalStatusReader(pools);
 * const report = await probeReplicationLag(wal);
 */
import { parseLsn, type Lsn } from '../core/wal-lsn';
import type { ReplicaWalStatus, WalStatusReader } from '../core/replication-lag';
import type { DatabasePools, PgNode } from './pg-pools';

function toLsn(text: string | null, what: string): Lsn | null {
  if (text === null) return null;
  const lsn = parseLsn(text);
  if (lsn === undefined) throw new Error(`PostgreSQL returned an unreadable ${what}: ${JSON.stringify(text)}`);
  return lsn;
}

async function singleLsn(node: PgNode, sql: string): Promise<Lsn> {
  const [row] = await node.query<{ lsn: string }>(sql);
  const lsn = toLsn(row.lsn, 'LSN');
  if (lsn === null) throw new Error(`${node.name} returned no WAL position`);
  return lsn;
}

/**
 * A position at or after the end of every transaction committed before the call, for
 * read-your-writes tokens. The insert position is used rather than `pg_current_wal_lsn()` (the
 * write position) because it is past the commit record even with `synchronous_commit = off`;
 * at worst it is a page header past it, which only makes a read fall back to the primary.
 */
export function walPositionAfterCommit(primary: PgNode): Promise<Lsn> {
  return singleLsn(primary, 'SELECT pg_current_wal_insert_lsn()::text AS lsn');
}

async function replicaStatus(node: PgNode): Promise<ReplicaWalStatus> {
  const [row] = await node.query<{
    receive: string | null;
    replay: string | null;
    replayed_at_ms: number | null;
    now_ms: number;
  }>(
    `SELECT pg_last_wal_receive_lsn()::text AS receive,
            pg_last_wal_replay_lsn()::text AS replay,
            (extract(epoch FROM pg_last_xact_replay_timestamp()) * 1000)::float8 AS replayed_at_ms,
            (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now_ms`,
  );
  return {
    receiveLsn: toLsn(row.receive, 'receive LSN'),
    replayLsn: toLsn(row.replay, 'replay LSN'),
    lastReplayedCommitAtMs: row.replayed_at_ms,
    replicaNowMs: row.now_ms,
  };
}

/** The WalStatusReader port over the pools (replicas addressed by their pool names). */
export function createPgWalStatusReader(pools: DatabasePools): WalStatusReader {
  const byName = new Map(pools.replicas.map((replica) => [replica.name, replica]));
  return {
    replicaNames: pools.replicas.map((replica) => replica.name),
    primaryLsn: () => singleLsn(pools.primary, 'SELECT pg_current_wal_lsn()::text AS lsn'),
    replicaStatus: async (name) => {
      const node = byName.get(name);
      if (node === undefined) throw new Error(`unknown replica ${name}`);
      return replicaStatus(node);
    },
  };
}
