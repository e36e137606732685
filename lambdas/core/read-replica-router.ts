/**
 * Read/write splitting with read-your-writes. Writes go to the primary. Reads go to a replica,
 * taken in turn (round robin), skipping any replica that is down or further behind than
 * `maxReplicaLagBytes`; with none left the primary serves the read. Replica health comes from the
 * replication-lag probe, cached for `statusTtlMs` so that it costs one cheap query per node per
 * interval, not per request.
 *
 * Read-your-writes: a write hands the client the LSN of its commit; a read that carries it is
 * served by a replica only once that replica has replayed up to it. The router polls the healthy
 * replicas for up to `readYourWritesWaitMs`, then gives up and reads the primary. Every answer
 * says which node served it and why, so staleness is visible rather than silent.
 *
 * @example
 * const router = new ReadReplicaRouter({ primary, replicas, wal, maxReplicaLagBytes: 16 << 20,
 *   readYourWritesWaitMs: 250, clock: systemClock });
 * const { value, servedBy, reason } = await router.read({ minLsn }, (node) => notes.find(node, id));
 */
import { realSleep, type Clock, type Sleep } from './clock';
import { EngineUnavailableError } from './errors';
import { ProbeTimeoutError, probeReplicationLag, withinBudget, type ReplicationLagReport, type WalStatusReader } from './replication-lag';
import type { Lsn } from './wal-lsn';
import type { ReadConsistency } from '../config/vocabulary';

export type { ReadConsistency };

/** Why a read went where it went. */
export type ReadReason =
  /** A healthy replica, taken in turn. */
  | 'replica'
  /** A replica that has replayed the client's last write (read-your-writes). */
  | 'caught-up-replica'
  /** The client asked for `consistency=strong`. */
  | 'strong-consistency'
  | 'no-replica-configured'
  /** Every replica is down or lags more than allowed. */
  | 'no-healthy-replica'
  /** No replica replayed the client's write within the wait. */
  | 'read-your-writes-fallback'
  /** The chosen replica failed during the read; the primary answered instead. */
  | 'replica-failed'
  /**
   * No replica had replayed the client's write within the wait, and the primary, which would have
   * had it, did not answer: a replica served the read, which may not include that write.
   */
  | 'read-your-writes-unverified';

export interface ReadOptions {
  readonly consistency?: ReadConsistency;
  /** The client's last write position (read-your-writes); absent for a plain eventual read. */
  readonly minLsn?: Lsn;
}

export interface DatabaseNode {
  /** `primary`, `replica-1`, ...: what responses report as `servedBy`. */
  readonly name: string;
}

export interface RoutedRead<T> {
  readonly value: T;
  readonly servedBy: string;
  readonly reason: ReadReason;
}

export interface ReadReplicaRouterProps<N extends DatabaseNode> {
  readonly primary: N;
  readonly replicas: readonly N[];
  /** Reads WAL positions; its `replicaNames` match the replicas' names. */
  readonly wal: WalStatusReader;
  readonly maxReplicaLagBytes: number | bigint;
  readonly readYourWritesWaitMs: number;
  readonly clock: Clock;
  /** How long a health/lag snapshot is reused. @default 500 */
  readonly statusTtlMs?: number;
  /**
   * Longest wait for any one node's health answer: a frozen primary (or replica) must not slow
   * replica reads beyond this. A primary silent past it leaves each replica's lag measured against
   * the WAL that replica received. @default 150
   */
  readonly probeBudgetMs?: number;
  /**
   * Longest wait for a read on a replica before the primary serves it instead: a frozen replica
   * looks healthy until the next probe, and its driver timeout is seconds. @default 1000
   */
  readonly replicaReadBudgetMs?: number;
  /** Pause between read-your-writes polls. @default 20 */
  readonly pollIntervalMs?: number;
  /** @default - a real timer */
  readonly sleep?: Sleep;
  /** Timer of the probe budget (separate from `sleep`, which paces polls). @default - a real timer */
  readonly probeTimer?: Sleep;
}


export class ReadReplicaRouter<N extends DatabaseNode> {
  private readonly maxLagBytes: bigint;
  private readonly statusTtlMs: number;
  private readonly pollIntervalMs: number;
  private readonly probeBudgetMs: number;
  private readonly sleep: Sleep;
  /** One health query in flight per node: a silent node is not asked again while it is still silent. */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private snapshot?: { readonly takenAt: number; readonly report: Promise<ReplicationLagReport> };
  /** Replicas that failed a read, kept out until the time stored. */
  private readonly failedUntil = new Map<string, number>();
  private cursor = 0;

  constructor(private readonly props: ReadReplicaRouterProps<N>) {
    this.maxLagBytes = BigInt(props.maxReplicaLagBytes);
    this.statusTtlMs = props.statusTtlMs ?? 500;
    this.pollIntervalMs = props.pollIntervalMs ?? 20;
    this.probeBudgetMs = props.probeBudgetMs ?? 150;
    this.sleep = props.sleep ?? realSleep;
  }

  /** The node every write goes to. */
  get primary(): N {
    return this.props.primary;
  }

  /**
   * Runs a read on the node chosen for it; a replica failing mid-read is retried on the primary,
   * and a read-your-writes fallback whose primary is down is served by a replica, saying so.
   */
  async read<T>(options: ReadOptions, run: (node: N) => Promise<T>): Promise<RoutedRead<T>> {
    const { node, reason, unverifiedFallback } = await this.choose(options);
    if (node === this.props.primary) {
      try {
        return { value: await run(node), servedBy: node.name, reason };
      } catch (error) {
        if (!(error instanceof EngineUnavailableError) || unverifiedFallback === undefined) throw error;
        const value = await run(unverifiedFallback);
        return { value, servedBy: unverifiedFallback.name, reason: 'read-your-writes-unverified' };
      }
    }
    try {
      const budget = { budgetMs: this.props.replicaReadBudgetMs ?? 1000, sleep: this.props.probeTimer };
      return { value: await withinBudget(run(node), budget), servedBy: node.name, reason };
    } catch (error) {
      if (!(error instanceof EngineUnavailableError) && !(error instanceof ProbeTimeoutError)) throw error;
      this.failedUntil.set(node.name, this.props.clock.now() + this.statusTtlMs);
      return { value: await run(this.props.primary), servedBy: this.props.primary.name, reason: 'replica-failed' };
    }
  }

  /**
   * Picks the node for a read without running it (and, for a read-your-writes fallback, the replica
   * to use if the primary does not answer).
   */
  async choose(options: ReadOptions): Promise<{ readonly node: N; readonly reason: ReadReason; readonly unverifiedFallback?: N }> {
    const primary = this.props.primary;
    if (options.consistency === 'strong') return { node: primary, reason: 'strong-consistency' };
    if (this.props.replicas.length === 0) return { node: primary, reason: 'no-replica-configured' };
    const healthy = await this.healthyReplicas();
    if (healthy.length === 0) return { node: primary, reason: 'no-healthy-replica' };
    if (options.minLsn === undefined) return { node: this.takeTurn(healthy.map((h) => h.node)), reason: 'replica' };
    const caughtUp = await this.waitForReplay(healthy, options.minLsn);
    return caughtUp.length > 0
      ? { node: this.takeTurn(caughtUp), reason: 'caught-up-replica' }
      : { node: primary, reason: 'read-your-writes-fallback', unverifiedFallback: this.takeTurn(healthy.map((h) => h.node)) };
  }

  /** Reachable replicas within the lag bound, with their last known replay position. */
  private async healthyReplicas(): Promise<Array<{ readonly node: N; readonly replayLsn: Lsn }>> {
    const report = await this.status();
    const now = this.props.clock.now();
    const healthy: Array<{ node: N; replayLsn: Lsn }> = [];
    for (const node of this.props.replicas) {
      const lag = report.replicas.find((replica) => replica.name === node.name);
      if (!lag?.reachable || lag.lagBytes === null || lag.replayLsn === null) continue;
      if (lag.lagBytes > this.maxLagBytes || (this.failedUntil.get(node.name) ?? 0) > now) continue;
      healthy.push({ node, replayLsn: lag.replayLsn });
    }
    return healthy;
  }

  /** The cached snapshot, refreshed when older than the TTL; concurrent callers share one refresh. */
  private status(): Promise<ReplicationLagReport> {
    const now = this.props.clock.now();
    if (this.snapshot === undefined || now - this.snapshot.takenAt >= this.statusTtlMs) {
      this.snapshot = { takenAt: now, report: probeReplicationLag(this.singleFlightWal(), {
        budgetMs: this.probeBudgetMs,
        sleep: this.props.probeTimer,
      }) };
    }
    return this.snapshot.report;
  }

  /**
   * Replicas that have replayed `minLsn`: first from the snapshot, then by polling the healthy
   * ones directly until the wait runs out (always at least one fresh look).
   */
  private async waitForReplay(healthy: ReadonlyArray<{ node: N; replayLsn: Lsn }>, minLsn: Lsn): Promise<N[]> {
    const known = healthy.filter((h) => h.replayLsn >= minLsn).map((h) => h.node);
    if (known.length > 0) return known;
    const deadline = this.props.clock.now() + this.props.readYourWritesWaitMs;
    for (;;) {
      const replayed = await Promise.all(
        healthy.map(({ node }) =>
          this.props.wal.replicaStatus(node.name).then(
            (status) => status.replayLsn !== null && status.replayLsn >= minLsn,
            () => false,
          ),
        ),
      );
      const caughtUp = healthy.filter((_, index) => replayed[index]).map((h) => h.node);
      const remaining = deadline - this.props.clock.now();
      if (caughtUp.length > 0 || remaining <= 0) return caughtUp;
      await this.sleep(Math.min(this.pollIntervalMs, remaining));
    }
  }

  /** The WAL reader, joining a node's query still in flight instead of piling another one on it. */
  private singleFlightWal(): WalStatusReader {
    const wal = this.props.wal;
    const join = <T>(key: string, start: () => Promise<T>): Promise<T> => {
      const pending = this.inFlight.get(key) as Promise<T> | undefined;
      if (pending !== undefined) return pending;
      const started = start();
      this.inFlight.set(key, started);
      const forget = () => this.inFlight.delete(key);
      started.then(forget, forget);
      return started;
    };
    return {
      replicaNames: wal.replicaNames,
      primaryLsn: () => join('primary', () => wal.primaryLsn()),
      replicaStatus: (name) => join(`replica:${name}`, () => wal.replicaStatus(name)),
    };
  }

  /** Round robin over all replicas in configured order, landing only on eligible ones. */
  private takeTurn(eligible: readonly N[]): N {
    const replicas = this.props.replicas;
    for (let step = 0; step < replicas.length; step += 1) {
      const candidate = replicas[(this.cursor + step) % replicas.length];
      if (eligible.includes(candidate)) {
        this.cursor = (this.cursor + step + 1) % replicas.length;
        return candidate;
      }
    }
    return eligible[0];
  }
}
