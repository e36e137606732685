/**
 * failover-loss: when the primary dies, a promoted asynchronous replica lacks the commits it had
 * not received yet, although the primary had acknowledged them; a synchronous one lacks none,
 * because no commit is acknowledged before the standby has it. Per mode: a fresh durable
 * primary + 1 replica, a writer recording which commits were acknowledged, WAL shipping frozen
 * mid-run (the replica falls behind, as over a slow link), a crash, a promotion, and a count.
 */
import { sleep, startPostgresCluster } from '../../harness';
import type { Experiment, ExperimentContext, ExperimentResult } from '../experiment';
import { createWritesTable, presentIds, startContinuousWriter } from '../sync-replication-writes';
import type { DbReplication } from '../../lambdas/config/vocabulary';

type Mode = DbReplication;

interface Sizes {
  /** Writing with replication flowing, before the freeze. */
  readonly steadyMs: number;
  /** Writing with WAL shipping frozen, before the crash. */
  readonly frozenMs: number;
  readonly workers: number;
  /** How long a client waits for a commit before giving up (a sync commit blocks while frozen). */
  readonly clientTimeoutMs: number;
}

const QUICK: Sizes = { steadyMs: 400, frozenMs: 600, workers: 2, clientTimeoutMs: 250 };
const FULL: Sizes = { steadyMs: 1500, frozenMs: 1500, workers: 4, clientTimeoutMs: 500 };

interface ModeOutcome {
  readonly acknowledged: number;
  readonly acknowledgedWhileFrozen: number;
  readonly lost: number;
  readonly unacknowledged: number;
  readonly timeToPromoteMs: number;
}

async function failOver(ctx: ExperimentContext, mode: Mode, sizes: Sizes): Promise<ModeOutcome> {
  ctx.progress(`${mode}: starting a durable primary + 1 ${mode} replica`);
  const cluster = await startPostgresCluster({ replicas: 1, durable: true, synchronous: mode === 'sync' });
  ctx.defer(() => cluster.stop());
  await createWritesTable(cluster);
  const writer = startContinuousWriter(cluster.connectionString(cluster.primary), {
    workers: sizes.workers,
    timeoutMs: sizes.clientTimeoutMs,
  });
  ctx.defer(() => writer.stop().then(() => writer.close()));
  await sleep(sizes.steadyMs);
  ctx.progress(`${mode}: ${writer.acknowledgedCount()} commits acknowledged; freezing WAL shipping (SIGSTOP walsender)`);
  await cluster.freezeWalShipping();
  const acknowledgedAtFreeze = writer.acknowledgedCount();
  await sleep(sizes.frozenMs);
  ctx.progress(`${mode}: ${writer.acknowledgedCount() - acknowledgedAtFreeze} acknowledged while frozen; killing the primary (SIGKILL)`);
  await cluster.killPrimary();
  const tally = await writer.stop();
  const replica = cluster.replicas[0];
  const t0 = performance.now();
  await cluster.promote(replica);
  const timeToPromoteMs = Math.round((performance.now() - t0) * 100) / 100;
  await writer.close();
  const present = await presentIds(cluster, tally.acknowledged);
  const lost = tally.acknowledged.filter((id) => !present.has(id)).length;
  ctx.progress(`${mode}: promoted ${replica.name} in ${timeToPromoteMs} ms; ${lost}/${tally.acknowledged.length} acknowledged commits missing`);
  await cluster.stop();
  return {
    acknowledged: tally.acknowledged.length,
    acknowledgedWhileFrozen: tally.acknowledged.length - acknowledgedAtFreeze,
    lost,
    unacknowledged: tally.blocked + tally.failed,
    timeToPromoteMs,
  };
}

export const failoverLossExperiment: Experiment = {
  id: 'failover-loss',
  title: 'Failover: acknowledged commits lost with async replication, none with sync',
  claim: 'After the primary dies, a promoted asynchronous replica can lack commits the primary acknowledged; a synchronous one lacks none.',
  async run(ctx: ExperimentContext): Promise<ExperimentResult> {
    const sizes = ctx.quick ? QUICK : FULL;
    const outcome: Record<Mode, ModeOutcome> = {
      async: await failOver(ctx, 'async', sizes),
      sync: await failOver(ctx, 'sync', sizes),
    };
    const per = <K extends keyof ModeOutcome>(key: K) => ({ async: outcome.async[key], sync: outcome.sync[key] });
    const lostCommits = per('lost');
    const acknowledgedCommits = per('acknowledged');
    const holds = lostCommits.async >= 1 && lostCommits.sync === 0 && acknowledgedCommits.sync >= 1;
    return {
      figures: {
        lostCommits,
        acknowledgedCommits,
        acknowledgedWhileFrozen: per('acknowledgedWhileFrozen'),
        unacknowledgedAttempts: per('unacknowledged'),
        timeToPromoteMs: per('timeToPromoteMs'),
      },
      holds,
      details:
        `Per mode, a fresh durable PostgreSQL primary + 1 replica; ${sizes.workers} writers commit single rows for ` +
        `${sizes.steadyMs} ms, then WAL shipping is frozen (primary's walsender stopped) for ${sizes.frozenMs} ms while they ` +
        `keep writing, then the primary is SIGKILLed and the replica promoted. Async: ${acknowledgedCommits.async} commits ` +
        `acknowledged (${outcome.async.acknowledgedWhileFrozen} while frozen), ${lostCommits.async} of them missing after ` +
        `failover. Sync: ${acknowledgedCommits.sync} acknowledged (${outcome.sync.acknowledgedWhileFrozen} while frozen: ` +
        `commits wait for the standby, clients gave up after ${sizes.clientTimeoutMs} ms), ${lostCommits.sync} missing. ` +
        `Promotion took ${outcome.async.timeToPromoteMs} ms (async) and ${outcome.sync.timeToPromoteMs} ms (sync).`,
      charts: [
        {
          id: 'commits',
          title: 'Acknowledged commits and those missing after failover',
          kind: 'bar',
          unit: 'commits',
          xLabel: 'replication mode',
          series: [
            { name: 'acknowledged', points: [{ x: 'async', y: acknowledgedCommits.async }, { x: 'sync', y: acknowledgedCommits.sync }] },
            { name: 'lost after failover', points: [{ x: 'async', y: lostCommits.async }, { x: 'sync', y: lostCommits.sync }] },
          ],
        },
      ],
    };
  },
};
