/**
 * Multi-master on the global table, through each Region's writer endpoint:
 * - every Region accepts writes to its own replica, with optimistic versions (a stale
 *   `expectedVersion` is refused with 409);
 * - an item written in one Region becomes readable in every other Region after replication;
 * - concurrent writes of one item in two Regions converge on one value everywhere, and a write
 *   that lost is reported as lost (`conflict.lost`) by its Region, never dropped silently.
 */
import type { Lineage } from '../../lambdas/core/multi-master';
import { pollUntil } from '../../harness/ports';
import type { CheckContext, E2eCheck } from '../check';
import { describeBody, expectStatus, expectThat } from '../expect';
import type { RegionalClient } from '../http/regional-client';
import type { GlobalConsistency } from '../../lambdas/config/vocabulary';

interface ItemVersion {
  readonly value: string;
  readonly version: number;
  readonly writerRegion: string;
  readonly lineage: Lineage;
}

interface ItemAnswer {
  readonly item?: ItemVersion;
  readonly servedByRegion?: string;
  readonly consistency?: GlobalConsistency;
  readonly conflict?: { readonly lost: boolean };
}

const put = (client: RegionalClient, id: string, body: object) => client.request<ItemAnswer>('PUT', `/items/${id}`, body);
const get = (client: RegionalClient, id: string) => client.request<ItemAnswer>('GET', `/items/${id}`);

function twoRegions(ctx: CheckContext): [string, string] {
  const regions = ctx.target.regions.map((r) => r.region);
  if (regions.length < 2) ctx.skip(`only one Region (${regions.join('')}) has a writer: nothing to replicate to`);
  return [regions[0], regions[1]];
}

/** Polls `region` until its copy of `id` satisfies `done`; fails after the target's replication timeout. */
async function waitForItem(ctx: CheckContext, region: string, id: string, done: (item: ItemVersion) => boolean, what: string): Promise<ItemAnswer> {
  const client = ctx.target.regionalClient(region);
  let last: ItemAnswer | string = 'no answer';
  await pollUntil(
    async () => {
      const response = await get(client, id);
      last = response.status === 200 ? response.body : `HTTP ${response.status} ${describeBody(response.body)}`;
      return response.status === 200 && response.body.item !== undefined && done(response.body.item);
    },
    ctx.target.replicationTimeoutMs,
    what,
    100,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; ${region} last answered ${typeof last === 'string' ? last : JSON.stringify(last.item)}`);
  });
  return last as ItemAnswer;
}

/** Polls every Region until all show the same version of `id` (same value, version and writer); returns it. */
async function waitForConvergence(ctx: CheckContext, regions: readonly string[], id: string): Promise<ItemVersion> {
  const same = (x: ItemVersion | undefined, y: ItemVersion | undefined) =>
    x !== undefined && y !== undefined && x.value === y.value && x.version === y.version && x.writerRegion === y.writerRegion;
  let seen: Array<ItemVersion | undefined> = [];
  await pollUntil(
    async () => {
      const answers = await Promise.all(regions.map((region) => get(ctx.target.regionalClient(region), id)));
      seen = answers.map((answer) => (answer.status === 200 ? answer.body.item : undefined));
      return seen.every((item) => same(item, seen[0]));
    },
    ctx.target.replicationTimeoutMs,
    `${regions.join(' and ')} did not converge on one version of ${id}`,
    100,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last seen: ${regions.map((r, i) => `${r}=${seen[i]?.value ?? 'none'}`).join(', ')}`);
  });
  return seen[0]!;
}

export const regionalWritesCheck: E2eCheck = {
  id: 'multi-master-writes',
  title: 'every Region writes its replica, stale versions refused',
  needs: ['global-table'],
  async run(ctx) {
    const seen: string[] = [];
    for (const { region } of ctx.target.regions) {
      const client = ctx.target.regionalClient(region);
      const id = ctx.uniqueId('e2e');
      const created = expectStatus(await put(client, id, { value: 'v1' }), 201, `PUT /items/${id} in ${region}`);
      expectThat(
        created.body.item?.version === 1 && created.body.servedByRegion === region,
        `PUT /items/${id} in ${region}: expected version 1 served by ${region}, got ${describeBody(created.body)}`,
      );
      const read = expectStatus(await get(client, id), 200, `GET /items/${id} in ${region}`);
      expectThat(read.body.item?.value === 'v1', `GET /items/${id} in ${region}: expected value v1, got ${describeBody(read.body)}`);
      expectStatus(await put(client, id, { value: 'v2', expectedVersion: 1 }), 200, `PUT /items/${id} in ${region} with expectedVersion 1`);
      expectStatus(await put(client, id, { value: 'v3', expectedVersion: 1 }), 409, `PUT /items/${id} in ${region} with a stale expectedVersion`);
      seen.push(`${region} (${Math.round(created.ms)} ms)`);
    }
    return `writes, reads and a refused stale write in ${seen.join(', ')}`;
  },
};

export const replicationCheck: E2eCheck = {
  id: 'multi-master-replication',
  title: 'item written in one Region readable in another',
  needs: ['global-table', 'multi-region-replication'],
  async run(ctx) {
    const [from] = twoRegions(ctx);
    const id = ctx.uniqueId('e2e');
    const value = `from-${from}`;
    const written = expectStatus(await put(ctx.target.regionalClient(from), id, { value }), 201, `PUT /items/${id} in ${from}`);
    const t0 = Date.now();
    const delays: string[] = [];
    for (const { region } of ctx.target.regions.slice(1)) {
      await waitForItem(ctx, region, id, (item) => item.value === value, `the write of ${id} in ${from} did not reach ${region}`);
      delays.push(`${region} after ${Date.now() - t0} ms`);
    }
    return `written in ${from} (version ${written.body.item?.version}), readable in ${delays.join(', ')}`;
  },
};

export const conflictCheck: E2eCheck = {
  id: 'multi-master-conflict',
  title: 'concurrent writes converge, the lost write is reported',
  needs: ['global-table', 'multi-region-replication'],
  async run(ctx) {
    const [a, b] = twoRegions(ctx);
    const id = ctx.uniqueId('e2e');
    expectStatus(await put(ctx.target.regionalClient(a), id, { value: 'base' }), 201, `PUT /items/${id} in ${a}`);
    await waitForItem(ctx, b, id, (item) => item.value === 'base', `the first write of ${id} did not reach ${b}`);

    const writeBoth = () => Promise.all([a, b].map((region) => put(ctx.target.regionalClient(region), id, { value: `from-${region}` })));
    const held = ctx.target.holdReplication !== undefined;
    const answers = held ? await ctx.target.holdReplication!(writeBoth) : await writeBoth();

    const accepted = new Map<string, ItemVersion>();
    [a, b].forEach((region, i) => {
      const answer = answers[i];
      // 409: strong consistency (MRSC) refused the concurrent write; nothing was written.
      expectThat(answer.status === 200 || answer.status === 409, `PUT /items/${id} in ${region}: HTTP ${answer.status} ${describeBody(answer.body)}`);
      if (answer.status === 200 && answer.body.item !== undefined) accepted.set(region, answer.body.item);
    });
    expectThat(accepted.size > 0, `both concurrent writes of ${id} were refused`);

    const winner = await waitForConvergence(ctx, [a, b], id);
    expectThat(
      [...accepted.values()].some((w) => w.value === winner.value && w.version === winner.version),
      `${a} and ${b} converged on ${describeBody(winner)}, which is neither concurrent write`,
    );

    const lost: string[] = [];
    for (const [region, ours] of accepted) {
      const report = expectStatus(await get(ctx.target.regionalClient(region), id), 200, `GET /items/${id} in ${region}`).body;
      const inHistory = (winner.lineage[region] ?? 0) >= (ours.lineage[region] ?? 0);
      expectThat(
        report.conflict?.lost === !inHistory,
        `${region}'s write ${ours.value} ${inHistory ? 'is in' : 'is missing from'} the history of the winner ${winner.value}, ` +
          `but ${region} reports conflict.lost=${report.conflict?.lost}`,
      );
      if (!inHistory) lost.push(region);
    }
    if (held) expectThat(lost.length === 1 || accepted.size === 1, `with replication held, expected exactly one lost write, got ${lost.length}`);
    const refused = [a, b].filter((region) => !accepted.has(region));
    return (
      `converged on ${winner.value}; ` +
      (refused.length > 0 ? `refused in ${refused.join(', ')} (strong consistency)` : lost.length > 0 ? `lost write reported by ${lost.join(', ')}` : 'the writes did not overlap (no conflict)')
    );
  },
};

export const multiMasterChecks: readonly E2eCheck[] = [regionalWritesCheck, replicationCheck, conflictCheck];
