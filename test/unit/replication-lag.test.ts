import { ManualClock } from '../../lambdas/core/clock';
import { probeReplicationLag, replicaLag, replicationLagToJson } from '../../lambdas/core/replication-lag';
import { FakeWal } from './replication-fakes';

describe('probeReplicationLag', () => {
  const setup = () => {
    const clock = new ManualClock();
    return { clock, wal: new FakeWal(clock, ['replica-1', 'replica-2']) };
  };

  it('reports a caught-up replica as 0 bytes and 0 ms even when its last replayed commit is old', async () => {
    // Prepare: an idle primary; the last commit was replayed an hour ago
    const { clock, wal } = setup();
    wal.replica('replica-1').lastReplayedCommitAtMs = clock.now();
    clock.advance(3_600_000);

    // Act
    const report = await probeReplicationLag(wal);

    // Assess
    expect(report.replicas[0]).toMatchObject({ name: 'replica-1', reachable: true, lagBytes: 0n, lagMs: 0 });
  });

  it('reports bytes behind the primary and the age of the last replayed commit when behind', async () => {
    // Prepare
    const { clock, wal } = setup();
    wal.primary = 0x5000n;
    wal.replica('replica-2').receiveLsn = 0x5000n;
    wal.replica('replica-2').replayLsn = 0x3000n;
    wal.replica('replica-2').lastReplayedCommitAtMs = clock.now();
    clock.advance(1800);

    // Act
    const report = await probeReplicationLag(wal);

    // Assess
    expect(report.replicas[1]).toEqual({
      name: 'replica-2',
      reachable: true,
      receiveLsn: 0x5000n,
      replayLsn: 0x3000n,
      lagBytes: 0x2000n,
      lagMs: 1800,
      lagMeasuredAgainst: 'primary',
    });
  });

  it('marks a replica that does not answer as unreachable and still reports the others', async () => {
    // Prepare
    const { wal } = setup();
    wal.replica('replica-1').down = true;

    // Act
    const report = await probeReplicationLag(wal);

    // Assess
    expect(report.replicas[0]).toEqual({ name: 'replica-1', reachable: false, error: 'unavailable' });
    expect(report.replicas[1]).toMatchObject({ name: 'replica-2', reachable: true, lagBytes: 0n });
  });

  it('measures against the WAL received when the primary does not answer', async () => {
    // Prepare
    const { wal } = setup();
    wal.primary = 'down';
    wal.replica('replica-1').receiveLsn = 0x1800n;

    // Act
    const report = await probeReplicationLag(wal);

    // Assess
    expect(report.primary).toEqual({ reachable: false, error: 'unavailable' });
    expect(report.replicas[0]).toMatchObject({ lagBytes: 0x800n, lagMeasuredAgainst: 'received-wal' });
  });

  it('leaves lag unknown for a replica without a replay position', () => {
    // Act
    const lag = replicaLag('replica-1', 0x10n, { receiveLsn: null, replayLsn: null, lastReplayedCommitAtMs: null, replicaNowMs: 0 });

    // Assess
    expect(lag).toMatchObject({ lagBytes: null, lagMs: null });
  });

  it('leaves lag time unknown when the replica is behind but never replayed a commit', () => {
    // Act
    const lag = replicaLag('replica-1', 0x20n, { receiveLsn: 0x20n, replayLsn: 0x10n, lastReplayedCommitAtMs: null, replicaNowMs: 5 });

    // Assess
    expect(lag).toMatchObject({ lagBytes: 0x10n, lagMs: null });
  });

  it('renders LSNs in PostgreSQL text form and bytes as numbers', async () => {
    // Prepare
    const { wal } = setup();
    wal.primary = 0x16b374d848n;
    wal.replica('replica-2').down = true;

    // Act
    const json = replicationLagToJson(await probeReplicationLag(wal));

    // Assess
    expect(json.primary).toEqual({ reachable: true, lsn: '16/B374D848' });
    expect(json.replicas[0]).toMatchObject({ receiveLsn: '0/1000', replayLsn: '0/1000', lagBytes: 0x16b374d848 - 0x1000 });
    expect(json.replicas[1]).toMatchObject({ reachable: false });
    expect(() => JSON.stringify(json)).not.toThrow();
  });
});
