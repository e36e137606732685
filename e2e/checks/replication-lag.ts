/**
 * The replication-lag probe answers: the primary is reachable and every read replica reports its
 * lag in bytes of WAL. With no replica deployed there is nothing to measure, and the check says so.
 */
import { perTier } from '../check';
import { expectStatus, expectThat } from '../expect';

interface LagReport {
  readonly primary?: { readonly reachable?: boolean };
  readonly replicas?: ReadonlyArray<{ readonly name?: string; readonly reachable?: boolean; readonly lagBytes?: number | null; readonly error?: string }>;
}

export const replicationLagChecks = perTier({
  id: 'replication-lag',
  title: 'lag probe answers for every replica',
  needs: ['database'],
  async run(ctx) {
    const response = expectStatus(await ctx.client().request<LagReport>('GET', '/replication/lag'), 200, 'GET /replication/lag');
    const { primary, replicas } = response.body;
    expectThat(primary?.reachable === true, `GET /replication/lag: the primary is not reachable: ${JSON.stringify(primary)}`);
    expectThat(Array.isArray(replicas), `GET /replication/lag: no replicas list in ${JSON.stringify(response.body)}`);
    if (replicas.length === 0) ctx.skip('no read replica is deployed (readReplicas=0): there is no lag to probe');
    for (const replica of replicas) {
      expectThat(replica.reachable === true, `replica ${replica.name} is not reachable: ${replica.error}`);
      expectThat(
        typeof replica.lagBytes === 'number' && replica.lagBytes >= 0,
        `replica ${replica.name}: expected lagBytes >= 0, got ${JSON.stringify(replica.lagBytes)}`,
      );
    }
    return replicas.map((r) => `${r.name}: ${r.lagBytes} B behind`).join(', ');
  },
});
