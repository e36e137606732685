/** In-memory stand-ins for the replication ports, shared by the router and lag-probe tests. */
import type { ManualClock } from '../../lambdas/core/clock';
import { EngineUnavailableError } from '../../lambdas/core/errors';
import type { ReplicaWalStatus, WalStatusReader } from '../../lambdas/core/replication-lag';
import type { Lsn } from '../../lambdas/core/wal-lsn';

export interface FakeReplica {
  receiveLsn: Lsn | null;
  replayLsn: Lsn | null;
  lastReplayedCommitAtMs: number | null;
  down: boolean;
}

/** A primary and named replicas whose positions a test sets directly; counts every query. */
export class FakeWal implements WalStatusReader {
  primary: Lsn | 'down' = 0x1000n;
  readonly replicas = new Map<string, FakeReplica>();
  primaryCalls = 0;
  replicaCalls = 0;

  constructor(
    private readonly clock: ManualClock,
    names: readonly string[],
  ) {
    for (const name of names) {
      this.replicas.set(name, { receiveLsn: 0x1000n, replayLsn: 0x1000n, lastReplayedCommitAtMs: clock.now(), down: false });
    }
  }

  get replicaNames(): string[] {
    return [...this.replicas.keys()];
  }

  replica(name: string): FakeReplica {
    const replica = this.replicas.get(name);
    if (replica === undefined) throw new Error(`no fake replica ${name}`);
    return replica;
  }

  async primaryLsn(): Promise<Lsn> {
    this.primaryCalls += 1;
    if (this.primary === 'down') throw new EngineUnavailableError('postgres', 'primary down');
    return this.primary;
  }

  async replicaStatus(name: string): Promise<ReplicaWalStatus> {
    this.replicaCalls += 1;
    const replica = this.replica(name);
    if (replica.down) throw new EngineUnavailableError('postgres', `${name} down`);
    return {
      receiveLsn: replica.receiveLsn,
      replayLsn: replica.replayLsn,
      lastReplayedCommitAtMs: replica.lastReplayedCommitAtMs,
      replicaNowMs: this.clock.now(),
    };
  }
}
