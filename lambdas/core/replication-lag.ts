/**
 * Replication-lag probe: how far each read replica is behind the primary, in bytes of WAL and in
 * time, and whether it answers at all. One cheap query per node, run in parallel; a node that does
 * not answer is reported as `reachable: false` and never fails the whole probe.
 *
 * Why not `pg_stat_replication.replay_lag` or `now() - pg_last_xact_replay_timestamp()` alone:
 * - `replay_lag` is measured on the primary from WAL the replica has acknowledged; when the primary
 *   goes idle it keeps showing the last value for a while, then turns NULL, so it says nothing
 *   reliable about "is the replica caught up right now".
 * - `now() - pg_last_xact_replay_timestamp()` is the age of the last replayed commit; on an idle
 *   primary it grows forever although the replica has replayed everything.
 * So the byte gap (`primary current LSN - replica replay LSN`) decides whether a replica is behind;
 * only when it is behind is the time since its last replayed commit reported, and 0 when caught up.
 * Both timestamps come from the replica's own clock, so host clock skew does not enter.
 *
 * @example
 * const report = await probeReplicationLag(reader);
 * report.replicas[0]; // { name: 'replica-1', reachable: true, lagBytes: 8192n, lagMs: 1840, ... }
 */
import { detachedSleep, type Sleep } from './clock';
import { EngineUnavailableError } from './errors';
import { formatLsn, lsnGap, type Lsn } from './wal-lsn';

/** What one replica says about its own WAL position. */
export interface ReplicaWalStatus {
  /** Last WAL position received and flushed by the replica; null when it is not streaming. */
  readonly receiveLsn: Lsn | null;
  /** Last WAL position replayed (visible to queries); null when the server never was in recovery. */
  readonly replayLsn: Lsn | null;
  /** Commit time of the last replayed transaction, replica clock; null when none was replayed yet. */
  readonly lastReplayedCommitAtMs: number | null;
  /** The replica's clock when it answered. */
  readonly replicaNowMs: number;
}

/** Port: reads WAL positions from the primary and from each named replica. */
export interface WalStatusReader {
  readonly replicaNames: readonly string[];
  primaryLsn(): Promise<Lsn>;
  replicaStatus(name: string): Promise<ReplicaWalStatus>;
}

export interface ReachableReplicaLag {
  readonly name: string;
  readonly reachable: true;
  readonly receiveLsn: Lsn | null;
  readonly replayLsn: Lsn | null;
  /** Bytes of WAL not yet replayed; null when the replica has no replay position. */
  readonly lagBytes: bigint | null;
  /** 0 when caught up; otherwise the age of the last replayed commit; null when unknown. */
  readonly lagMs: number | null;
  /** The primary's position when it answered, else what the replica received (a lower bound). */
  readonly lagMeasuredAgainst: 'primary' | 'received-wal';
}

export interface UnreachableReplica {
  readonly name: string;
  readonly reachable: false;
  /** Why, as a kind (`timeout`, `unreachable`...): the driver's text stays in the server (it names hosts). */
  readonly error: string;
}

export type ReplicaLag = ReachableReplicaLag | UnreachableReplica;

export interface ReplicationLagReport {
  readonly primary: { readonly reachable: true; readonly lsn: Lsn } | { readonly reachable: false; readonly error: string };
  readonly replicas: readonly ReplicaLag[];
}

/** A failure as a client may see it: its kind, never the driver's message. */
const describe = (error: unknown): string =>
  error instanceof EngineUnavailableError ? error.kind : error instanceof ProbeTimeoutError ? 'timeout' : 'failed';

/** A node that did not answer within its budget. */
export class ProbeTimeoutError extends Error {}

export interface ProbeOptions {
  /**
   * Longest wait for any one node: a frozen node (network partition, SIGSTOP) must not hold the
   * probe, and the reads waiting on it, for a driver timeout of seconds. @default - no bound
   */
  readonly budgetMs?: number;
  /** Timer used for the budget. @default - a real timer */
  readonly sleep?: Sleep;
}

/** `work`, or a ProbeTimeoutError once `budgetMs` has passed (the work itself is abandoned, not cancelled). */
export function withinBudget<T>(work: Promise<T>, options: ProbeOptions): Promise<T> {
  if (options.budgetMs === undefined) return work;
  const timedOut = (options.sleep ?? detachedSleep)(options.budgetMs).then((): never => {
    throw new ProbeTimeoutError(`no answer within ${options.budgetMs} ms`);
  });
  work.catch(() => undefined); // a late failure of an abandoned probe is not unhandled
  return Promise.race([work, timedOut]);
}

/**
 * Lag of one replica from its status and the primary's position (undefined when the primary did
 * not answer: the gap is then measured against the WAL the replica received but has not replayed).
 */
export function replicaLag(name: string, primaryLsn: Lsn | undefined, status: ReplicaWalStatus): ReachableReplicaLag {
  const target = primaryLsn ?? status.receiveLsn;
  const replay = status.replayLsn;
  const base = {
    name,
    reachable: true as const,
    receiveLsn: status.receiveLsn,
    replayLsn: replay,
    lagMeasuredAgainst: primaryLsn === undefined ? ('received-wal' as const) : ('primary' as const),
  };
  if (replay === null || target === null) return { ...base, lagBytes: null, lagMs: null };
  const lagBytes = lsnGap(target, replay);
  if (lagBytes === 0n) return { ...base, lagBytes, lagMs: 0 };
  const lagMs =
    status.lastReplayedCommitAtMs === null ? null : Math.max(0, status.replicaNowMs - status.lastReplayedCommitAtMs);
  return { ...base, lagBytes, lagMs };
}

/** Asks every node at once; each failure (or a node silent past the budget) is confined to its own entry. */
export async function probeReplicationLag(reader: WalStatusReader, options: ProbeOptions = {}): Promise<ReplicationLagReport> {
  const [primary, ...replicas] = await Promise.allSettled([
    withinBudget(reader.primaryLsn(), options),
    ...reader.replicaNames.map((name) => withinBudget(reader.replicaStatus(name), options)),
  ]);
  const primaryLsn = primary.status === 'fulfilled' ? (primary.value as Lsn) : undefined;
  return {
    primary:
      primary.status === 'fulfilled'
        ? { reachable: true, lsn: primary.value as Lsn }
        : { reachable: false, error: describe(primary.reason) },
    replicas: replicas.map((outcome, index): ReplicaLag => {
      const name = reader.replicaNames[index];
      return outcome.status === 'fulfilled'
        ? replicaLag(name, primaryLsn, outcome.value as ReplicaWalStatus)
        : { name, reachable: false, error: describe(outcome.reason) };
    }),
  };
}

const lsnText = (lsn: Lsn | null): string | null => (lsn === null ? null : formatLsn(lsn));

/** JSON view of a report: LSNs in PostgreSQL's text form, byte counts as numbers. */
export function replicationLagToJson(report: ReplicationLagReport) {
  return {
    primary: report.primary.reachable
      ? { reachable: true, lsn: formatLsn(report.primary.lsn) }
      : { reachable: false, error: report.primary.error },
    replicas: report.replicas.map((replica) =>
      replica.reachable
        ? {
            name: replica.name,
            reachable: true,
            receiveLsn: lsnText(replica.receiveLsn),
            replayLsn: lsnText(replica.replayLsn),
            lagBytes: replica.lagBytes === null ? null : Number(replica.lagBytes),
            lagMs: replica.lagMs,
            lagMeasuredAgainst: replica.lagMeasuredAgainst,
          }
        : { name: replica.name, reachable: false, error: replica.error },
    ),
  };
}
