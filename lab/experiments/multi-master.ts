/**
 * multi-master: two regions write the same item at the same moment. With eventual consistency
 * (MREC) both writes are acknowledged and last-writer-wins keeps one, the other is gone although
 * its writer was told it succeeded; with strong consistency (MRSC) the second write is refused
 * instead. Two dynalite "regions" joined by the lab's global-table replicator, one app instance
 * per region and mode.
 */
import { ENV } from '../../lambdas/config/env-names';
import { startAppInstances, startDynamoRegions, startGlobalTableReplicator, type AppInstance } from '../../harness';
import { createGlobalTable, LAB_CREDENTIALS } from '../../harness/multi-master-setup';
import type { Experiment, ExperimentContext, ExperimentResult } from '../experiment';
import { HttpClient } from '../../toolkit';
import { canonicalJson, summarizePairs, type PairOutcome, type PairsSummary, type PairWrite, type RegionView } from '../multi-master-figures';
import { GLOBAL_CONSISTENCIES } from '../../lambdas/config/vocabulary';

const REGIONS = ['us-east-1', 'us-west-2'] as const;
const MODES = GLOBAL_CONSISTENCIES;
type Mode = (typeof MODES)[number];

interface Sizes {
  readonly pairs: number;
  /** Pairs written at once (each pair's two writes are always simultaneous). */
  readonly wave: number;
  /** Replication delay between the regions: the window in which writes are concurrent. */
  readonly delayMs: number;
}

const QUICK: Sizes = { pairs: 10, wave: 5, delayMs: 500 };
const FULL: Sizes = { pairs: 40, wave: 5, delayMs: 500 };

interface ItemBody {
  readonly item?: { readonly value?: string };
  readonly conflict?: { readonly lost?: boolean };
  readonly reason?: string;
}

/** One app instance per region, each talking to its region's endpoint of the replicator. */
async function startRegionalApps(ctx: ExperimentContext, mode: Mode, tableName: string, endpoints: Readonly<Record<string, string>>) {
  const started = await Promise.allSettled(
    REGIONS.map((region) =>
      startAppInstances({
        count: 1,
        namePrefix: `${mode}-${region}`,
        env: {
          [ENV.region]: region,
          [ENV.globalTableName]: tableName,
          [ENV.globalConsistency]: mode,
          [ENV.dynamodbEndpoint]: endpoints[region],
          AWS_ACCESS_KEY_ID: LAB_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: LAB_CREDENTIALS.secretAccessKey,
          AWS_EC2_METADATA_DISABLED: 'true',
        },
      }),
    ),
  );
  for (const outcome of started) if (outcome.status === 'fulfilled') ctx.defer(() => outcome.value[0].stop());
  const failure = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  return Object.fromEntries(REGIONS.map((region, i) => [region, (started[i] as PromiseFulfilledResult<AppInstance[]>).value[0]]));
}

async function writePair(clients: Record<string, HttpClient>, mode: Mode, id: string): Promise<PairWrite[]> {
  return Promise.all(
    REGIONS.map(async (region) => {
      const value = `${mode}-${region}-${id}`;
      const response = await clients[region].request<ItemBody>('PUT', `/items/${id}`, { value });
      return { region, value, status: response.status, reason: response.body?.reason };
    }),
  );
}

async function viewPair(clients: Record<string, HttpClient>, id: string): Promise<RegionView[]> {
  return Promise.all(
    REGIONS.map(async (region) => {
      const response = await clients[region].get<ItemBody>(`/items/${id}`);
      const found = response.status === 200 && response.body.item !== undefined;
      return {
        region,
        status: response.status,
        item: found ? canonicalJson(response.body.item) : undefined,
        value: found ? response.body.item?.value : undefined,
        conflictLost: response.body?.conflict?.lost === true,
      };
    }),
  );
}

export const multiMasterExperiment: Experiment = {
  id: 'multi-master',
  title: 'Multi-master: concurrent writes in two regions',
  claim: 'Writing the same record in two regions at once conflicts: last writer wins silently, while strong consistency refuses the second write.',
  async run(ctx: ExperimentContext): Promise<ExperimentResult> {
    const sizes = ctx.quick ? QUICK : FULL;
    ctx.progress(`starting dynalite in ${REGIONS.join(' and ')}`);
    const regions = await startDynamoRegions(REGIONS);
    ctx.defer(() => regions.stop());

    const summaries = {} as Record<Mode, PairsSummary>;
    let conflictsResolvedByReplicator = 0;
    for (const mode of MODES) {
      const tableName = `lab-multi-master-${mode}`;
      await createGlobalTable(regions.endpoints, tableName);
      const replicator = await startGlobalTableReplicator({ regions: regions.endpoints, tableName, mode, delayMs: sizes.delayMs });
      ctx.defer(() => replicator.stop());
      ctx.progress(`${mode}: starting one app instance per region (replication delay ${sizes.delayMs} ms)`);
      const apps = await startRegionalApps(ctx, mode, tableName, replicator.endpoints);
      const clients = Object.fromEntries(REGIONS.map((region) => [region, new HttpClient(apps[region].url)]));

      const ids = Array.from({ length: sizes.pairs }, (_, i) => `pair-${i + 1}`);
      const writes = new Map<string, PairWrite[]>();
      for (let start = 0; start < ids.length; start += sizes.wave) {
        const wave = ids.slice(start, start + sizes.wave);
        await Promise.all(wave.map(async (id) => writes.set(id, await writePair(clients, mode, id))));
        ctx.progress(`${mode}: ${Math.min(start + sizes.wave, ids.length)}/${ids.length} pairs written in both regions at once`);
      }
      await replicator.waitIdle();
      const pairs: PairOutcome[] = await Promise.all(ids.map(async (id) => ({ id, writes: writes.get(id) ?? [], views: await viewPair(clients, id) })));
      summaries[mode] = summarizePairs(pairs);
      if (mode === 'eventual') conflictsResolvedByReplicator = replicator.counters().conflictsResolved;
      const s = summaries[mode];
      ctx.progress(
        `${mode}: ${s.writesAcknowledged} writes acknowledged, ${s.writesRefused} refused, ${s.updatesSilentlyLost} silently lost, ` +
          `${s.conflictsDetected} conflicts reported, ${s.converged ? 'converged' : 'NOT converged'}`,
      );
      await replicator.stop();
    }

    const { eventual, strong } = summaries;
    const holds = eventual.conflictsDetected >= 1 && eventual.updatesSilentlyLost >= 1 && strong.writesRefused >= 1 && strong.updatesSilentlyLost === 0;
    return {
      figures: {
        eventual: {
          updatesSilentlyLost: eventual.updatesSilentlyLost,
          conflictsDetected: eventual.conflictsDetected,
          writesAcknowledged: eventual.writesAcknowledged,
          writesFailed: eventual.writesFailed,
          pairs: eventual.pairs,
          converged: eventual.converged,
          conflictsResolvedByReplicator,
        },
        strong: {
          writesRefused: strong.writesRefused,
          updatesSilentlyLost: strong.updatesSilentlyLost,
          writesAcknowledged: strong.writesAcknowledged,
          writesFailed: strong.writesFailed,
          pairs: strong.pairs,
          converged: strong.converged,
        },
        replicationDelayMs: sizes.delayMs,
      },
      holds,
      details:
        `Two local regions (dynalite) joined by the lab's global-table replicator (${sizes.delayMs} ms delay), one app ` +
        `instance per region; ${sizes.pairs} items, each written in both regions at the same moment (PUT /items/:id). ` +
        `Eventual (last writer wins): ${eventual.writesAcknowledged}/${2 * eventual.pairs} writes acknowledged, ` +
        `${eventual.updatesSilentlyLost} of them survive in no region although their writers got a success; the regions ` +
        `${eventual.converged ? 'converged' : 'did NOT converge'}, and only a later read in the losing region reports the loss ` +
        `(${eventual.conflictsDetected} conflict reports). Strong: ${strong.writesRefused} writes refused with 409 ` +
        `(ReplicatedWriteConflictException), ${strong.writesAcknowledged} acknowledged, ${strong.updatesSilentlyLost} lost` +
        `${strong.converged ? ', regions converged' : ', regions did NOT converge'}.`,
      charts: [
        {
          id: 'write-outcomes',
          title: `Outcome of ${sizes.pairs} concurrent write pairs (${2 * sizes.pairs} writes) per consistency mode`,
          kind: 'bar',
          unit: 'writes',
          xLabel: 'consistency mode',
          series: (
            [
              ['acknowledged', 'writesAcknowledged'],
              ['refused (409)', 'writesRefused'],
              ['acknowledged but lost', 'updatesSilentlyLost'],
            ] as const
          ).map(([name, key]) => ({ name, points: MODES.map((mode) => ({ x: mode, y: summaries[mode][key] })) })),
        },
      ],
    };
  },
};
