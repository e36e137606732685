/**
 * Independence vs coordination: increments of a hot counter (one shared row) and of a sharded
 * counter (rows chosen at random), sent concurrently through the load balancer, are all counted.
 */
import { perTier } from '../check';
import { expectStatus, expectThat } from '../expect';

interface CounterReading {
  readonly hot?: { readonly total?: number };
  readonly sharded?: { readonly total?: number; readonly shards?: ReadonlyArray<{ readonly value: number }> };
}

const INCREMENTS = 10;
const CONCURRENCY = 5;

export const counterChecks = perTier({
  id: 'counters',
  title: 'hot and sharded counters count every increment',
  needs: ['database'],
  async run(ctx) {
    const name = ctx.uniqueId('e2e');
    const increments = (['hot', 'sharded'] as const).flatMap((kind) => Array.from({ length: INCREMENTS }, () => kind));
    for (let i = 0; i < increments.length; i += CONCURRENCY) {
      await Promise.all(
        increments.slice(i, i + CONCURRENCY).map(async (kind) =>
          expectStatus(await ctx.client().request('POST', `/counters/${name}/${kind}`), 200, `POST /counters/${name}/${kind}`),
        ),
      );
    }
    const reading = expectStatus(await ctx.client().request<CounterReading>('GET', `/counters/${name}`), 200, `GET /counters/${name}`).body;
    const shardSum = (reading.sharded?.shards ?? []).reduce((sum, row) => sum + row.value, 0);
    expectThat(
      reading.hot?.total === INCREMENTS && reading.sharded?.total === INCREMENTS && shardSum === INCREMENTS,
      `after ${INCREMENTS} hot and ${INCREMENTS} sharded increments: ${JSON.stringify(reading)}`,
    );
    return `${INCREMENTS} hot + ${INCREMENTS} sharded increments counted (${reading.sharded?.shards?.length} shards used)`;
  },
});
