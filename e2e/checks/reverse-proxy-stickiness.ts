/**
 * Stickiness as a client's cookie jar sees it, on the container tier (ALB stickiness does not apply
 * to Lambda targets): with stickiness on, one user's requests all land on one instance; with it off,
 * they spread. The lab flips HAProxy at run time; on AWS it is a deploy-time toggle, so only the
 * deployed mode is checked (the other is skipped, saying so).
 */
import type { CheckContext, E2eCheck } from '../check';
import { countInstances, expectStatus, expectThat } from '../expect';
import type { TierClient } from '../http/tier-client';
import type { StickinessKind } from '../../lambdas/config/vocabulary';

const REQUESTS = 12;

/** A path whose answer lets the load balancer pin the client: app-cookie stickiness needs the app's cookie. */
function probePath(mode: StickinessKind): string {
  return mode === 'app' ? '/session' : '/whoami';
}

/** `REQUESTS` requests from one new cookie jar: which instance answered each. */
async function fromOneJar(ctx: CheckContext): Promise<{ servedBy: string[]; client: TierClient }> {
  const client = ctx.client();
  const path = probePath(ctx.target.stickinessMode);
  const servedBy: string[] = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    servedBy.push(expectStatus(await client.request('GET', path), 200, `GET ${path}`).servedBy ?? '(no x-served-by)');
  }
  return { servedBy, client };
}

export const stickyOnCheck: E2eCheck = {
  id: 'stickiness-on@fargate',
  title: 'stickiness on: one cookie jar, one instance',
  tier: 'fargate',
  needs: ['fargate', 'sticky-on'],
  async run(ctx) {
    await ctx.target.setSticky(true);
    const { servedBy, client } = await fromOneJar(ctx);
    const distinct = new Set(servedBy);
    expectThat(distinct.size === 1, `with stickiness on, ${REQUESTS} requests from one cookie jar reached ${countInstances(servedBy)}`);
    const lbCookies = [...client.cookies().keys()].filter((name) => ctx.target.loadBalancerCookie.test(name));
    expectThat(lbCookies.length > 0, `with stickiness on, the load balancer set no cookie matching ${ctx.target.loadBalancerCookie}`);
    return `${REQUESTS}/${REQUESTS} on ${servedBy[0]} (cookie ${lbCookies.join(', ')})`;
  },
};

export const stickyOffCheck: E2eCheck = {
  id: 'stickiness-off@fargate',
  title: 'stickiness off: one cookie jar, requests spread',
  tier: 'fargate',
  needs: ['fargate', 'sticky-off'],
  async run(ctx) {
    await ctx.target.setSticky(false);
    const { servedBy } = await fromOneJar(ctx);
    if (new Set(servedBy).size < 2) {
      // Tell "not spreading" apart from "nothing to spread over": ask again without any cookie.
      const anonymous: string[] = [];
      for (let i = 0; i < REQUESTS; i += 1) {
        anonymous.push((await ctx.client().request('GET', '/whoami')).servedBy ?? '(no x-served-by)');
      }
      if (new Set(anonymous).size < 2) {
        ctx.skip(`only one instance answers behind the load balancer (${anonymous[0]}): spreading cannot be observed (fargateMaxTasks=1?)`);
      }
      expectThat(false, `with stickiness off, ${REQUESTS} requests from one cookie jar all reached ${servedBy[0]}, although ${countInstances(anonymous)} answer`);
    }
    return `${REQUESTS} requests spread: ${countInstances(servedBy)}`;
  },
};
