/**
 * Failover operations on an RDS PostgreSQL primary and its read replicas: the two ways the source
 * notes fail over, as operator actions.
 *
 * - Reboot with failover (synchronous replication): a Multi-AZ primary has a standby that
 *   acknowledged every commit, so RDS flips the endpoint to it and no committed data is lost.
 *   A single-AZ primary has no standby, so there is nothing to fail over to.
 * - Promote a read replica (asynchronous replication): the replica becomes a standalone writable
 *   instance with its own endpoint; commits it had not yet replayed are lost, and the old primary
 *   keeps running on its own (split brain is the operator's to avoid: stop writing to it first).
 *
 * This core only talks to an `RdsOperations` port, validates what the RDS API would accept late or
 * not at all, and waits with a bounded timeout. Only the configured instances can be touched.
 */
import { realSleep, systemClock, type Clock, type Sleep } from './clock';
import { EngineUnavailableError, InvalidInputError, NotFoundError } from './errors';

/** What the operations need to know about one DB instance (a subset of DescribeDBInstances). */
export interface DbInstanceState {
  readonly id: string;
  /** RDS status: `available`, `modifying`, `rebooting`, `backing-up`, `stopped`, ... */
  readonly status: string;
  readonly endpoint?: { readonly address: string; readonly port: number };
  readonly availabilityZone?: string;
  /** AZ of the Multi-AZ standby, when RDS reports it. */
  readonly secondaryAvailabilityZone?: string;
  readonly multiAz: boolean;
  /** The instance this one replicates from; absent on a primary or a promoted replica. */
  readonly replicaSourceId?: string;
  /** Replicas that replicate from this instance. */
  readonly readReplicaIds: readonly string[];
  readonly backupRetentionDays?: number;
  /**
   * Read-replication health from the API's status infos (`replicating`, `error`, `stopped`...).
   * Replica lag in seconds is not part of DescribeDBInstances: it is the CloudWatch `ReplicaLag` metric.
   */
  readonly replication?: { readonly status?: string; readonly normal?: boolean; readonly message?: string };
}

/** The RDS control-plane calls the operations need; the adapter implements it with @aws-sdk/client-rds. */
export interface RdsOperations {
  /** The instances among `ids` that exist (unknown ids are simply absent). */
  describeInstances(ids: readonly string[]): Promise<readonly DbInstanceState[]>;
  promoteReadReplica(id: string, options: { readonly backupRetentionDays?: number }): Promise<DbInstanceState>;
  /** RebootDBInstance with ForceFailover=true. */
  rebootWithFailover(id: string): Promise<DbInstanceState>;
}

/** The instances an operator may act on (from RDS_PRIMARY_INSTANCE_ID and RDS_REPLICA_INSTANCE_IDS). */
export interface FailoverTargets {
  readonly primaryInstanceId: string;
  readonly replicaInstanceIds: readonly string[];
}

export interface Topology {
  /** Absent when the configured primary does not exist (deleted, or renamed by an operator). */
  readonly primary?: DbInstanceState;
  readonly replicas: readonly DbInstanceState[];
  /** Configured ids that DescribeDBInstances did not return. */
  readonly missing: readonly string[];
}

export interface WaitProgress {
  readonly instanceId: string;
  readonly status: string;
  readonly replicaSourceId?: string;
  readonly elapsedMs: number;
}

export interface WaitOptions {
  /** Give up (EngineUnavailableError) after this long; the RDS operation itself keeps going. */
  readonly timeoutMs: number;
  /** Pause between two DescribeDBInstances calls. @default 15000 */
  readonly intervalMs?: number;
  /** Called after every poll, e.g. to print progress. */
  readonly onProgress?: (progress: WaitProgress) => void;
}

export interface OperationOptions {
  /** Wait until the instance is `available` again (for a promotion: and no longer a replica). */
  readonly waitUntilAvailable?: WaitOptions;
}

export interface PromotionResult {
  readonly instance: DbInstanceState;
  /** The retention passed to PromoteReadReplica, or undefined when RDS's default (1 day) applies. */
  readonly backupRetentionDays?: number;
}

export interface FailoverOperationsOptions {
  readonly clock?: Clock;
  /** How to pause between polls; tests advance a ManualClock instead of sleeping. */
  readonly sleep?: Sleep;
}

const DEFAULT_POLL_INTERVAL_MS = 15_000;

/**
 * Describe, promote and reboot-with-failover for one configured primary and its replicas.
 *
 * @example
 * const ops = new FailoverOperations({ primaryInstanceId: 'db', replicaInstanceIds: ['db-r1'] }, rds);
 * await ops.promoteReplica('db-r1', { waitUntilAvailable: { timeoutMs: 900_000, onProgress: console.log } });
 */
export class FailoverOperations {
  private readonly targets: FailoverTargets;
  private readonly clock: Clock;
  private readonly sleep: Sleep;

  constructor(
    targets: FailoverTargets,
    private readonly rds: RdsOperations,
    options: FailoverOperationsOptions = {},
  ) {
    // RDS stores identifiers in lower case and answers with them so.
    this.targets = {
      primaryInstanceId: targets.primaryInstanceId.toLowerCase(),
      replicaInstanceIds: targets.replicaInstanceIds.map((id) => id.toLowerCase()),
    };
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
  }

  /** The configured primary and replicas as RDS currently sees them. */
  async describeTopology(): Promise<Topology> {
    const { primaryInstanceId, replicaInstanceIds } = this.targets;
    const ids = [primaryInstanceId, ...replicaInstanceIds];
    const byId = new Map((await this.rds.describeInstances(ids)).map((instance) => [instance.id, instance]));
    return {
      primary: byId.get(primaryInstanceId),
      replicas: replicaInstanceIds.flatMap((id) => byId.get(id) ?? []),
      missing: ids.filter((id) => !byId.has(id)),
    };
  }

  /**
   * Promotes a configured, available read replica to a standalone instance. The backup retention
   * of the primary is kept (PromoteReadReplica would otherwise reset it to 1 day, and a PostgreSQL
   * replica usually has none of its own to keep).
   */
  async promoteReplica(requestedId: string, options: OperationOptions = {}): Promise<PromotionResult> {
    const { primaryInstanceId, replicaInstanceIds } = this.targets;
    const replicaId = requestedId.toLowerCase();
    if (!replicaInstanceIds.includes(replicaId)) {
      const configured =
        replicaInstanceIds.length > 0 ? `configured: ${replicaInstanceIds.join(', ')}` : 'none is configured';
      throw new InvalidInputError(`Replica '${replicaId}' is not a configured read replica (${configured})`);
    }
    const found = await this.rds.describeInstances([primaryInstanceId, replicaId]);
    const replica = found.find((instance) => instance.id === replicaId);
    if (replica === undefined) throw new NotFoundError(`Replica '${replicaId}' does not exist in RDS`);
    if (replica.status !== 'available') {
      throw new InvalidInputError(
        `Replica '${replicaId}' is '${replica.status}', not 'available': only an available replica can be promoted`,
      );
    }
    if (replica.replicaSourceId === undefined) {
      throw new InvalidInputError(
        `Instance '${replicaId}' is not a read replica (already promoted?): nothing to promote`,
      );
    }
    const primary = found.find((instance) => instance.id === primaryInstanceId);
    const backupRetentionDays = keptBackupRetention(primary, replica);
    const promoted = await this.rds.promoteReadReplica(replicaId, { backupRetentionDays });
    const wait = options.waitUntilAvailable;
    const instance = wait ? await this.waitFor(replicaId, wait, (s) => s.replicaSourceId === undefined) : promoted;
    return { instance, backupRetentionDays };
  }

  /**
   * Fails the primary over to its Multi-AZ standby (RebootDBInstance with ForceFailover). Refused
   * on a single-AZ primary: there is no synchronous standby, only asynchronous replicas to promote.
   */
  async rebootWithFailover(options: OperationOptions = {}): Promise<DbInstanceState> {
    const { primaryInstanceId } = this.targets;
    const [primary] = await this.rds.describeInstances([primaryInstanceId]);
    if (primary === undefined) throw new NotFoundError(`Primary '${primaryInstanceId}' does not exist in RDS`);
    // The API's own rule ("You can't enable force failover if the instance isn't configured for
    // Multi-AZ"), checked here so that the answer is clear and emulators that skip it still refuse.
    if (!primary.multiAz) {
      throw new InvalidInputError(
        `Primary '${primaryInstanceId}' is not Multi-AZ: ` +
          'reboot with failover needs a synchronous standby to fail over to. ' +
          'Enable Multi-AZ, or promote a read replica instead (asynchronous: commits it has not replayed are lost)',
      );
    }
    if (primary.status !== 'available') {
      throw new InvalidInputError(
        `Primary '${primaryInstanceId}' is '${primary.status}', not 'available': ` +
          'wait before rebooting it with failover',
      );
    }
    const rebooted = await this.rds.rebootWithFailover(primaryInstanceId);
    const wait = options.waitUntilAvailable;
    return wait ? this.waitFor(primaryInstanceId, wait, () => true) : rebooted;
  }

  /** Polls until the instance is available and `done`; bounded by `timeoutMs`. */
  private async waitFor(
    id: string,
    options: WaitOptions,
    done: (state: DbInstanceState) => boolean,
  ): Promise<DbInstanceState> {
    const startedAt = this.clock.now();
    const interval = options.intervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    for (;;) {
      const [state] = await this.rds.describeInstances([id]);
      const elapsedMs = this.clock.now() - startedAt;
      if (state === undefined) throw new NotFoundError(`Instance '${id}' disappeared while waiting for it`);
      options.onProgress?.({ instanceId: id, status: state.status, replicaSourceId: state.replicaSourceId, elapsedMs });
      if (state.status === 'available' && done(state)) return state;
      if (elapsedMs + interval > options.timeoutMs) {
        const source = state.replicaSourceId === undefined ? '' : `, still a replica of '${state.replicaSourceId}'`;
        throw new EngineUnavailableError(
          'rds',
          `'${id}' is not done after ${Math.round(elapsedMs / 1000)} s (status '${state.status}'${source}); ` +
            'the operation was started and may still complete',
        );
      }
      await this.sleep(interval);
    }
  }
}

/** The primary's retention if it has backups, else the replica's own, else RDS's default. */
function keptBackupRetention(primary: DbInstanceState | undefined, replica: DbInstanceState): number | undefined {
  for (const days of [primary?.backupRetentionDays, replica.backupRetentionDays]) {
    if (days !== undefined && days > 0) return days;
  }
  return undefined;
}

/** The operations an operator can ask for, from the Lambda event or the CLI. */
export type FailoverAction =
  | { readonly action: 'describe' }
  | { readonly action: 'promote'; readonly replicaId: string }
  | { readonly action: 'reboot-failover' };

export const FAILOVER_ACTIONS = ['describe', 'promote', 'reboot-failover'] as const;

export type FailoverActionResult =
  | { readonly action: 'describe'; readonly topology: Topology }
  | ({ readonly action: 'promote' } & PromotionResult)
  | { readonly action: 'reboot-failover'; readonly instance: DbInstanceState };

/** One dispatcher for both entry points (Lambda handler, CLI), so they cannot drift apart. */
export async function runFailoverAction(
  operations: FailoverOperations,
  request: FailoverAction,
  options: OperationOptions = {},
): Promise<FailoverActionResult> {
  switch (request.action) {
    case 'describe':
      return { action: 'describe', topology: await operations.describeTopology() };
    case 'promote':
      return { action: 'promote', ...(await operations.promoteReplica(request.replicaId, options)) };
    case 'reboot-failover':
      return { action: 'reboot-failover', instance: await operations.rebootWithFailover(options) };
  }
}
