import { ManualClock } from '../../lambdas/core/clock';
import { EngineUnavailableError, InvalidInputError, NotFoundError } from '../../lambdas/core/errors';
import {
  FailoverOperations,
  runFailoverAction,
  type DbInstanceState,
  type RdsOperations,
  type WaitProgress,
} from '../../lambdas/core/failover-operations';

/** An in-memory RDS that records calls; `transitions` scripts the states one instance goes through. */
class FakeRds implements RdsOperations {
  readonly instances = new Map<string, DbInstanceState>();
  readonly calls: string[] = [];
  /** States the promoted instance shows on successive describes (last one sticks). */
  transitions: DbInstanceState[] = [];

  put(state: Partial<DbInstanceState> & { id: string }): void {
    this.instances.set(state.id, { status: 'available', multiAz: false, readReplicaIds: [], ...state });
  }

  async describeInstances(ids: readonly string[]): Promise<readonly DbInstanceState[]> {
    this.calls.push(`describe ${ids.join(',')}`);
    for (const id of ids) {
      if (this.transitions[0]?.id !== id) continue;
      this.instances.set(id, this.transitions.length > 1 ? this.transitions.shift()! : this.transitions[0]);
    }
    return ids.flatMap((id) => this.instances.get(id) ?? []);
  }

  async promoteReadReplica(id: string, options: { backupRetentionDays?: number }): Promise<DbInstanceState> {
    this.calls.push(`promote ${id} retention=${options.backupRetentionDays}`);
    return { ...this.instances.get(id)!, status: 'modifying' };
  }

  async rebootWithFailover(id: string): Promise<DbInstanceState> {
    this.calls.push(`reboot-failover ${id}`);
    return { ...this.instances.get(id)!, status: 'rebooting' };
  }
}

/** Asserts both the class and the exact message of a rejection (toThrow alone compares messages only). */
async function expectRejection(attempt: Promise<unknown>, type: abstract new (...args: never[]) => Error, message: string) {
  const error = await attempt.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toBe(message);
}

function setup(replicaIds: readonly string[] = ['db-r1', 'db-r2']) {
  const rds = new FakeRds();
  const clock = new ManualClock();
  const ops = new FailoverOperations({ primaryInstanceId: 'db', replicaInstanceIds: replicaIds }, rds, {
    clock,
    sleep: async (ms) => clock.advance(ms),
  });
  rds.put({
    id: 'db',
    multiAz: true,
    availabilityZone: 'eu-west-1a',
    secondaryAvailabilityZone: 'eu-west-1b',
    readReplicaIds: ['db-r1', 'db-r2'],
    backupRetentionDays: 7,
  });
  rds.put({ id: 'db-r1', replicaSourceId: 'db', backupRetentionDays: 0 });
  rds.put({ id: 'db-r2', replicaSourceId: 'db', backupRetentionDays: 0 });
  return { rds, clock, ops };
}

describe('FailoverOperations.describeTopology', () => {
  it('returns the configured primary and replicas and lists configured ids RDS does not know', async () => {
    // Prepare
    const { rds, ops } = setup(['db-r1', 'db-gone']);

    // Act
    const topology = await ops.describeTopology();

    // Assess
    expect(topology.primary?.id).toBe('db');
    expect(topology.replicas.map((r) => r.id)).toEqual(['db-r1']);
    expect(topology.missing).toEqual(['db-gone']);
    expect(rds.calls).toEqual(['describe db,db-r1,db-gone']);
  });
});

describe('FailoverOperations.promoteReplica', () => {
  it('rejects an id that is not a configured replica, without calling RDS', async () => {
    // Prepare
    const { rds, ops } = setup();

    // Act
    const attempt = ops.promoteReplica('db');

    // Assess
    await expectRejection(attempt, InvalidInputError, "Replica 'db' is not a configured read replica (configured: db-r1, db-r2)");
    expect(rds.calls).toEqual([]);
  });

  it('says so when no replica is configured at all', async () => {
    const { ops } = setup([]);
    await expectRejection(
      ops.promoteReplica('db-r1'),
      InvalidInputError,
      "Replica 'db-r1' is not a configured read replica (none is configured)",
    );
  });

  it('rejects a configured replica that RDS does not know with NotFoundError', async () => {
    const { rds, ops } = setup(['db-r1', 'db-gone']);
    const attempt = ops.promoteReplica('db-gone');
    await expectRejection(attempt, NotFoundError, "Replica 'db-gone' does not exist in RDS");
    expect(rds.calls).toEqual(['describe db,db-gone']);
  });

  it('rejects a replica that is not available, without calling PromoteReadReplica', async () => {
    // Prepare
    const { rds, ops } = setup();
    rds.put({ id: 'db-r1', replicaSourceId: 'db', status: 'modifying' });

    // Act
    const attempt = ops.promoteReplica('db-r1');

    // Assess
    await expectRejection(
      attempt,
      InvalidInputError,
      "Replica 'db-r1' is 'modifying', not 'available': only an available replica can be promoted",
    );
    expect(rds.calls.some((call) => call.startsWith('promote'))).toBe(false);
  });

  it('rejects an instance that is no longer a replica', async () => {
    const { rds, ops } = setup();
    rds.put({ id: 'db-r1' });
    await expectRejection(
      ops.promoteReplica('db-r1'),
      InvalidInputError,
      "Instance 'db-r1' is not a read replica (already promoted?): nothing to promote",
    );
  });

  it('matches instance ids case-insensitively, as RDS does', async () => {
    // Prepare
    const rds = new FakeRds();
    rds.put({ id: 'db-r1', replicaSourceId: 'db' });
    const ops = new FailoverOperations({ primaryInstanceId: 'DB', replicaInstanceIds: ['DB-R1'] }, rds);

    // Act
    const result = await ops.promoteReplica('Db-R1');

    // Assess
    expect(result.instance.id).toBe('db-r1');
    expect(rds.calls).toEqual(['describe db,db-r1', 'promote db-r1 retention=undefined']);
  });

  it("keeps the primary's backup retention when promoting", async () => {
    // Prepare
    const { rds, ops } = setup();

    // Act
    const result = await ops.promoteReplica('db-r2');

    // Assess
    expect(rds.calls).toContain('promote db-r2 retention=7');
    expect(result).toEqual({ instance: expect.objectContaining({ id: 'db-r2', status: 'modifying' }), backupRetentionDays: 7 });
  });

  it("falls back to the replica's own retention, then to RDS's default, when the primary has none", async () => {
    // Prepare
    const { rds, ops } = setup();
    rds.instances.delete('db');
    rds.put({ id: 'db-r1', replicaSourceId: 'db', backupRetentionDays: 3 });

    // Act
    const fromReplica = await ops.promoteReplica('db-r1');
    const withDefault = await ops.promoteReplica('db-r2');

    // Assess
    expect(fromReplica.backupRetentionDays).toBe(3);
    expect(withDefault.backupRetentionDays).toBeUndefined();
    expect(rds.calls).toContain('promote db-r2 retention=undefined');
  });

  it('waits until the promoted instance is available and no longer a replica, reporting progress', async () => {
    // Prepare: RDS shows the replica 'available' and still replicating first, then modifying, then done.
    const { rds, ops } = setup();
    const replica = rds.instances.get('db-r1')!;
    rds.transitions = [
      { ...replica },
      { ...replica, status: 'modifying' },
      { ...replica, status: 'available', replicaSourceId: undefined },
    ];
    const progress: WaitProgress[] = [];

    // Act
    const result = await ops.promoteReplica('db-r1', {
      waitUntilAvailable: { timeoutMs: 60_000, intervalMs: 10_000, onProgress: (p) => progress.push(p) },
    });

    // Assess
    expect(result.instance).toMatchObject({ id: 'db-r1', status: 'available', replicaSourceId: undefined });
    expect(progress.map((p) => [p.status, p.replicaSourceId, p.elapsedMs])).toEqual([
      ['modifying', 'db', 0],
      ['available', undefined, 10_000],
    ]);
  });

  it('gives up after the timeout with a message that the promotion may still complete', async () => {
    // Prepare
    const { rds, ops } = setup();
    const replica = rds.instances.get('db-r1')!;
    rds.transitions = [{ ...replica }, { ...replica, status: 'modifying' }];

    // Act
    const attempt = ops.promoteReplica('db-r1', { waitUntilAvailable: { timeoutMs: 30_000, intervalMs: 10_000 } });

    // Assess
    await expectRejection(
      attempt,
      EngineUnavailableError,
      "rds is unavailable: 'db-r1' is not done after 30 s (status 'modifying', still a replica of 'db'); " +
        'the operation was started and may still complete',
    );
  });
});

describe('FailoverOperations.rebootWithFailover', () => {
  it('reboots a Multi-AZ primary with ForceFailover', async () => {
    const { rds, ops } = setup();
    const instance = await ops.rebootWithFailover();
    expect(instance).toMatchObject({ id: 'db', status: 'rebooting' });
    expect(rds.calls).toEqual(['describe db', 'reboot-failover db']);
  });

  it('refuses a single-AZ primary: there is no synchronous standby to fail over to', async () => {
    // Prepare
    const { rds, ops } = setup();
    rds.put({ id: 'db', multiAz: false });

    // Act
    const attempt = ops.rebootWithFailover();

    // Assess
    await expectRejection(
      attempt,
      InvalidInputError,
      "Primary 'db' is not Multi-AZ: reboot with failover needs a synchronous standby to fail over to. " +
        'Enable Multi-AZ, or promote a read replica instead (asynchronous: commits it has not replayed are lost)',
    );
    expect(rds.calls).toEqual(['describe db']);
  });

  it('refuses a primary that is not available', async () => {
    const { rds, ops } = setup();
    rds.put({ id: 'db', multiAz: true, status: 'rebooting' });
    await expectRejection(
      ops.rebootWithFailover(),
      InvalidInputError,
      "Primary 'db' is 'rebooting', not 'available': wait before rebooting it with failover",
    );
  });

  it('reports a missing primary with NotFoundError', async () => {
    const { rds, ops } = setup();
    rds.instances.delete('db');
    await expectRejection(ops.rebootWithFailover(), NotFoundError, "Primary 'db' does not exist in RDS");
  });

  it('waits until the primary is available again when asked', async () => {
    // Prepare
    const { rds, ops } = setup();
    const primary = rds.instances.get('db')!;
    rds.transitions = [{ ...primary }, { ...primary, status: 'rebooting' }, { ...primary, status: 'available' }];

    // Act
    const instance = await ops.rebootWithFailover({ waitUntilAvailable: { timeoutMs: 60_000, intervalMs: 5_000 } });

    // Assess
    expect(instance.status).toBe('available');
    expect(rds.calls).toEqual(['describe db', 'reboot-failover db', 'describe db', 'describe db']);
  });
});

describe('runFailoverAction', () => {
  it('dispatches each action to the matching operation', async () => {
    const { ops } = setup();
    await expect(runFailoverAction(ops, { action: 'describe' })).resolves.toMatchObject({
      action: 'describe',
      topology: { missing: [] },
    });
    await expect(runFailoverAction(ops, { action: 'promote', replicaId: 'db-r1' })).resolves.toMatchObject({
      action: 'promote',
      backupRetentionDays: 7,
      instance: { id: 'db-r1' },
    });
    await expect(runFailoverAction(ops, { action: 'reboot-failover' })).resolves.toMatchObject({
      action: 'reboot-failover',
      instance: { id: 'db', status: 'rebooting' },
    });
  });
});
