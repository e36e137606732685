/**
 * sync-replication: synchronous replication makes every commit wait for the standby (latency) and
 * makes writes impossible while that standby is down (availability). Measured on a durable
 * (fsync on) primary + 1 replica, with commits sent straight through `pg`.
 */
import { startPostgresCluster } from '../../harness';
import type { Experiment, ExperimentContext, ExperimentResult } from '../experiment';
import { summarize } from '../../toolkit';
import { attemptCommits, createWritesTable, presentIds, timeCommits } from '../sync-replication-writes';
import { DB_REPLICATION_MODES, type DbReplication } from '../../lambdas/config/vocabulary';

type Mode = DbReplication;

interface Sizes {
  /** Alternating async/sync blocks, so that load from elsewhere hits both modes alike. */
  readonly rounds: number;
  readonly commitsPerBlock: number;
  /** Writes attempted per mode while the standby is down. */
  readonly writesWhileDown: number;
  /** How long a client waits for a commit before giving up on it. */
  readonly clientTimeoutMs: number;
}

const QUICK: Sizes = { rounds: 4, commitsPerBlock: 60, writesWhileDown: 5, clientTimeoutMs: 1000 };
const FULL: Sizes = { rounds: 8, commitsPerBlock: 125, writesWhileDown: 10, clientTimeoutMs: 2000 };
/** Commits run after each mode switch and not recorded (the first ones pay for the switch). */
const WARMUP_COMMITS = 3;

const round2 = (value: number) => Math.round(value * 100) / 100;

export const syncReplicationExperiment: Experiment = {
  id: 'sync-replication',
  title: 'Synchronous vs asynchronous replication: commit latency and write availability',
  claim: 'Synchronous replication costs write latency, and writes block while the synchronous standby is down.',
  async run(ctx: ExperimentContext): Promise<ExperimentResult> {
    const sizes = ctx.quick ? QUICK : FULL;
    ctx.progress('starting a durable PostgreSQL primary + 1 replica (fsync on)');
    const cluster = await startPostgresCluster({ replicas: 1, durable: true });
    ctx.defer(() => cluster.stop());
    await createWritesTable(cluster);
    const standby = cluster.replicas[0];
    const url = cluster.connectionString(cluster.primary);
    let nextId = 1;
    const takeIds = (count: number) => Array.from({ length: count }, () => nextId++);

    const latencies: Record<Mode, number[]> = { async: [], sync: [] };
    for (let round = 1; round <= sizes.rounds; round += 1) {
      for (const mode of DB_REPLICATION_MODES) {
        await cluster.setSynchronous(mode === 'sync');
        await timeCommits(url, takeIds(WARMUP_COMMITS));
        latencies[mode].push(...(await timeCommits(url, takeIds(sizes.commitsPerBlock))));
      }
      ctx.progress(`round ${round}/${sizes.rounds}: ${latencies.async.length} async + ${latencies.sync.length} sync commits timed`);
    }
    const commitLatencyMs = {
      async: summarize(latencies.async),
      sync: summarize(latencies.sync),
    };

    // The synchronous setting stays on from the last block; now the standby goes away.
    ctx.progress(`stopping the synchronous standby ${standby.name}`);
    await cluster.stopNode(standby);
    ctx.progress(`sync: attempting ${sizes.writesWhileDown} writes, each given up after ${sizes.clientTimeoutMs} ms`);
    const syncIds = takeIds(sizes.writesWhileDown);
    const syncDown = await attemptCommits(url, syncIds, sizes.clientTimeoutMs);
    // Turning sync off (no WAL needed) releases the waiters: their commits were local all along.
    ctx.progress('switching to async (releases the blocked commits)');
    await cluster.setSynchronous(false);
    await syncDown.close();
    const blockedYetCommittedLocally = [...(await presentIds(cluster, syncDown.blocked))].length;
    ctx.progress(`async: attempting ${sizes.writesWhileDown} writes with the standby still down`);
    const asyncDown = await attemptCommits(url, takeIds(sizes.writesWhileDown), sizes.clientTimeoutMs);
    await asyncDown.close();

    const down = (attempts: typeof syncDown) => ({
      committed: attempts.acknowledged.length,
      blocked: attempts.blocked.length,
      failed: attempts.failed.length,
    });
    const writesWhileStandbyDown = { async: down(asyncDown), sync: down(syncDown) };
    const ratio = commitLatencyMs.async.p50 > 0 ? round2(commitLatencyMs.sync.p50 / commitLatencyMs.async.p50) : null;
    const holds =
      commitLatencyMs.sync.p50 > commitLatencyMs.async.p50 &&
      writesWhileStandbyDown.async.committed === sizes.writesWhileDown &&
      writesWhileStandbyDown.sync.committed === 0 &&
      writesWhileStandbyDown.sync.blocked === sizes.writesWhileDown;

    const pick = ({ p50, p99, mean }: ReturnType<typeof summarize>) => ({ p50, p99, mean });
    return {
      figures: {
        commitLatencyMs: { async: pick(commitLatencyMs.async), sync: pick(commitLatencyMs.sync) },
        writesWhileStandbyDown,
        syncToAsyncP50Ratio: ratio,
        commitsTimed: { async: latencies.async.length, sync: latencies.sync.length },
        writesAttemptedWhileStandbyDown: sizes.writesWhileDown,
        blockedYetCommittedLocally,
        clientTimeoutMs: sizes.clientTimeoutMs,
      },
      holds,
      details:
        `Durable PostgreSQL 15 primary + 1 streaming replica on one machine (fsync on, loopback network). ` +
        `${latencies.async.length} single-row INSERT commits per mode, timed in ${sizes.rounds} alternating blocks: ` +
        `commit p50 ${commitLatencyMs.async.p50} ms async vs ${commitLatencyMs.sync.p50} ms sync (x${ratio}), ` +
        `p99 ${commitLatencyMs.async.p99} vs ${commitLatencyMs.sync.p99} ms; the sync cost is one standby WAL flush plus a ` +
        `loopback round trip here, and grows with the distance to the standby. With the standby stopped, ` +
        `${writesWhileStandbyDown.async.committed}/${sizes.writesWhileDown} async writes committed and ` +
        `${writesWhileStandbyDown.sync.committed}/${sizes.writesWhileDown} sync writes did (${writesWhileStandbyDown.sync.blocked} ` +
        `still waiting when the client gave up after ${sizes.clientTimeoutMs} ms; statement_timeout does not apply to that wait). ` +
        `${blockedYetCommittedLocally} of those blocked writes were in fact committed locally and became visible once sync ` +
        `was switched off: a client that gave up cannot tell.`,
      charts: [
        {
          id: 'commit-latency',
          title: 'Commit latency, async vs sync replication',
          kind: 'bar',
          unit: 'ms',
          xLabel: 'percentile',
          series: DB_REPLICATION_MODES.map((mode) => ({
            name: mode,
            points: (['p50', 'p90', 'p99'] as const).map((p) => ({ x: p, y: commitLatencyMs[mode][p] })),
          })),
        },
        {
          id: 'writes-standby-down',
          title: `Writes while the standby is down (${sizes.writesWhileDown} attempted per mode)`,
          kind: 'bar',
          unit: 'writes',
          xLabel: 'replication mode',
          series: (['committed', 'blocked'] as const).map((outcome) => ({
            name: outcome,
            points: DB_REPLICATION_MODES.map((mode) => ({ x: mode, y: writesWhileStandbyDown[mode][outcome] })),
          })),
        },
      ],
    };
  },
};
