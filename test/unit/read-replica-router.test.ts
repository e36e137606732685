import { ManualClock } from '../../lambdas/core/clock';
import { EngineUnavailableError } from '../../lambdas/core/errors';
import { ReadReplicaRouter, type ReadReplicaRouterProps } from '../../lambdas/core/read-replica-router';
import { FakeWal } from './replication-fakes';

interface Node {
  readonly name: string;
}

const primary: Node = { name: 'primary' };
const replicas: Node[] = [{ name: 'replica-1' }, { name: 'replica-2' }];

function setup(overrides: Partial<ReadReplicaRouterProps<Node>> = {}) {
  const clock = new ManualClock();
  const wal = new FakeWal(clock, replicas.map((r) => r.name));
  const sleeps: number[] = [];
  let onSleep: () => void = () => undefined;
  const router = new ReadReplicaRouter<Node>({
    primary,
    replicas,
    wal,
    maxReplicaLagBytes: 1000,
    readYourWritesWaitMs: 250,
    clock,
    statusTtlMs: 500,
    pollIntervalMs: 20,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
      onSleep();
    },
    ...overrides,
  });
  return { clock, wal, router, sleeps, whenSleeping: (hook: () => void) => (onSleep = hook) };
}

const whereRead = async (router: ReadReplicaRouter<Node>, options = {}) => {
  const { node, reason } = await router.choose(options);
  return `${node.name}:${reason}`;
};

describe('ReadReplicaRouter', () => {
  it('spreads eventual reads over healthy replicas in turn', async () => {
    // Prepare
    const { router } = setup();

    // Act
    const served = [];
    for (let i = 0; i < 4; i += 1) served.push(await whereRead(router));

    // Assess
    expect(served).toEqual(['replica-1:replica', 'replica-2:replica', 'replica-1:replica', 'replica-2:replica']);
  });

  it('skips a replica that is down', async () => {
    // Prepare
    const { router, wal } = setup();
    wal.replica('replica-1').down = true;

    // Act
    const served = [await whereRead(router), await whereRead(router), await whereRead(router)];

    // Assess
    expect(served).toEqual(['replica-2:replica', 'replica-2:replica', 'replica-2:replica']);
  });

  it('skips a replica that lags more than the allowed bytes, and keeps one exactly at the bound', async () => {
    // Prepare: primary at 0x2000; replica-1 1001 bytes behind, replica-2 exactly 1000
    const { router, wal } = setup();
    wal.primary = 0x2000n;
    wal.replica('replica-1').replayLsn = 0x2000n - 1001n;
    wal.replica('replica-2').replayLsn = 0x2000n - 1000n;

    // Act
    const served = [await whereRead(router), await whereRead(router)];

    // Assess
    expect(served).toEqual(['replica-2:replica', 'replica-2:replica']);
  });

  it('falls back to the primary when no replica is healthy', async () => {
    // Prepare
    const { router, wal } = setup();
    wal.replica('replica-1').down = true;
    wal.replica('replica-2').replayLsn = null;

    // Act & Assess
    expect(await whereRead(router)).toBe('primary:no-healthy-replica');
  });

  it('uses the primary when no replica is configured, without probing', async () => {
    // Prepare
    const { router, wal } = setup({ replicas: [] });

    // Act & Assess
    expect(await whereRead(router)).toBe('primary:no-replica-configured');
    expect(wal.primaryCalls + wal.replicaCalls).toBe(0);
  });

  it('sends strong reads to the primary without probing', async () => {
    // Prepare
    const { router, wal } = setup();

    // Act & Assess
    expect(await whereRead(router, { consistency: 'strong' })).toBe('primary:strong-consistency');
    expect(wal.primaryCalls + wal.replicaCalls).toBe(0);
  });

  it('reuses one health snapshot within its TTL and refreshes it after', async () => {
    // Prepare
    const { router, wal, clock } = setup();

    // Act
    await Promise.all([whereRead(router), whereRead(router), whereRead(router)]);
    clock.advance(499);
    await whereRead(router);
    const callsWithinTtl = wal.primaryCalls;
    clock.advance(1);
    await whereRead(router);

    // Assess
    expect(callsWithinTtl).toBe(1);
    expect(wal.primaryCalls).toBe(2);
  });

  it('keeps serving eventual reads from replicas while the primary is down', async () => {
    // Prepare
    const { router, wal } = setup();
    wal.primary = 'down';

    // Act & Assess
    expect(await whereRead(router)).toBe('replica-1:replica');
  });

  describe('read-your-writes', () => {
    it('reads from a replica that has already replayed the write, without waiting', async () => {
      // Prepare
      const { router, sleeps } = setup();

      // Act & Assess
      expect(await whereRead(router, { minLsn: 0x1000n })).toBe('replica-1:caught-up-replica');
      expect(sleeps).toEqual([]);
    });

    it('takes only a replica that has replayed the write', async () => {
      // Prepare
      const { router, wal } = setup();
      wal.primary = 0x1100n;
      wal.replica('replica-1').replayLsn = 0x10f0n;
      wal.replica('replica-2').replayLsn = 0x1100n;

      // Act
      const served = [await whereRead(router, { minLsn: 0x1100n }), await whereRead(router, { minLsn: 0x1100n })];

      // Assess
      expect(served).toEqual(['replica-2:caught-up-replica', 'replica-2:caught-up-replica']);
    });

    it('waits for a replica to catch up, polling, then reads from it', async () => {
      // Prepare: both replicas behind the write; replica-2 replays it during the second pause
      const { router, wal, sleeps, whenSleeping } = setup();
      wal.primary = 0x1200n;
      whenSleeping(() => {
        if (sleeps.length === 2) wal.replica('replica-2').replayLsn = 0x1200n;
      });

      // Act
      const served = await whereRead(router, { minLsn: 0x1200n });

      // Assess
      expect(served).toBe('replica-2:caught-up-replica');
      expect(sleeps).toEqual([20, 20]);
    });

    it('gives up after the configured wait and reads the primary', async () => {
      // Prepare
      const { router, wal, sleeps, clock } = setup();
      wal.primary = 0x1200n;
      const started = clock.now();

      // Act
      const served = await whereRead(router, { minLsn: 0x1200n });

      // Assess
      expect(served).toBe('primary:read-your-writes-fallback');
      expect(clock.now() - started).toBe(250);
      expect(sleeps.reduce((a, b) => a + b, 0)).toBe(250);
    });

    it('still looks once, without sleeping, when the wait is zero', async () => {
      // Prepare
      const { router, wal, sleeps } = setup({ readYourWritesWaitMs: 0 });
      wal.primary = 0x1200n;
      const callsBefore = wal.replicaCalls;

      // Act
      const served = await whereRead(router, { minLsn: 0x1200n });

      // Assess
      expect(served).toBe('primary:read-your-writes-fallback');
      expect(sleeps).toEqual([]);
      expect(wal.replicaCalls - callsBefore).toBe(4); // snapshot (2) + one fresh look (2)
    });

    it('uses the primary at once when no replica is healthy', async () => {
      // Prepare
      const { router, wal, sleeps } = setup();
      wal.replica('replica-1').down = true;
      wal.replica('replica-2').down = true;

      // Act & Assess
      expect(await whereRead(router, { minLsn: 0x1000n })).toBe('primary:no-healthy-replica');
      expect(sleeps).toEqual([]);
    });
  });

  describe('read', () => {
    it('runs the read on the chosen node and says which', async () => {
      // Prepare
      const { router } = setup();

      // Act
      const result = await router.read({}, async (node) => `row from ${node.name}`);

      // Assess
      expect(result).toEqual({ value: 'row from replica-1', servedBy: 'replica-1', reason: 'replica' });
    });

    it('retries on the primary when the replica fails mid-read, then avoids that replica', async () => {
      // Prepare
      const { router } = setup();
      const run = async (node: Node) => {
        if (node.name === 'replica-1') throw new EngineUnavailableError('postgres', 'connection reset');
        return node.name;
      };

      // Act
      const first = await router.read({}, run);
      const next = [await router.read({}, run), await router.read({}, run)];

      // Assess
      expect(first).toEqual({ value: 'primary', servedBy: 'primary', reason: 'replica-failed' });
      expect(next.map((r) => r.servedBy)).toEqual(['replica-2', 'replica-2']);
    });

    it('lets errors other than an engine outage through', async () => {
      // Prepare
      const { router } = setup();

      // Act & Assess
      await expect(
        router.read({}, async () => {
          throw new TypeError('bug');
        }),
      ).rejects.toThrow(TypeError);
    });
  });
});
