/**
 * Reverse proxy: every answer through the load balancer names the instance that served it, in the
 * body and in `x-served-by`, and that instance belongs to the expected tier.
 */
import { perTier } from '../check';
import { countInstances, expectStatus, expectThat } from '../expect';

interface WhoAmI {
  readonly instanceId?: unknown;
  readonly tier?: unknown;
}

const REQUESTS = 8;

export const reverseProxyChecks = perTier({
  id: 'reverse-proxy',
  title: 'instance identity through the load balancer',
  needs: [],
  async run(ctx) {
    const servedBy: string[] = [];
    for (let i = 0; i < REQUESTS; i += 1) {
      // A new client per request: no cookie, so stickiness (if on) cannot pin the requests.
      const response = expectStatus(await ctx.client().request<WhoAmI>('GET', '/whoami'), 200, 'GET /whoami');
      const { instanceId, tier } = response.body;
      expectThat(typeof instanceId === 'string' && instanceId !== '', `GET /whoami: no instanceId in ${JSON.stringify(response.body)}`);
      expectThat(
        response.servedBy === instanceId,
        `GET /whoami: x-served-by is ${JSON.stringify(response.servedBy)} but the body names ${instanceId}`,
      );
      expectThat(
        tier === ctx.tier.expectedTierLabel,
        `GET /whoami: ${instanceId} reports tier ${JSON.stringify(tier)}, expected ${ctx.tier.expectedTierLabel}`,
      );
      servedBy.push(instanceId);
    }
    return `${REQUESTS} answers, tier ${ctx.tier.expectedTierLabel}: ${countInstances(servedBy)}`;
  },
});
