/**
 * Stateless sessions: with the session in Redis or in a signed cookie, a user's session survives
 * a change of instance. Each request carries only the session cookie (the load balancer's own
 * cookie is dropped), so the load balancer is free to send it anywhere, with or without stickiness.
 * On the Lambda tier a few concurrent cookie-less requests go alongside, so that more than one
 * execution environment is warm and the session request may land on another one.
 */
import { READ_YOUR_WRITES_COOKIE } from '../../lambdas/http/read-replica-routes';
import { SESSION_STRATEGY_HEADER } from '../../lambdas/http/sessions-routes';
import { perTier, type CheckContext } from '../check';
import { countInstances, expectStatus, expectThat } from '../expect';
import type { TierClient } from '../http/tier-client';

interface SessionBody {
  readonly instanceId?: string;
  /** Random tag fixed at the session's creation (the id itself never leaves the HttpOnly cookie). */
  readonly visitorTag?: string;
  readonly visits?: number;
  readonly cart?: ReadonlyArray<{ readonly sku: string; readonly quantity: number }>;
}

/** Requests before concluding that no instance change happens here. */
const MAX_STEPS = 12;
/** Concurrent cookie-less requests sent with each session request on the Lambda tier. */
const LAMBDA_COMPANIONS = 3;
/**
 * What the companions ask for: a path of the session function that touches no state. Only that it
 * occupies an execution environment matters; a deployed function answers it 404 (lab-only route).
 */
const COMPANION_PATH = '/session/stats';
const CART_ITEM = { sku: 'E2E-1', quantity: 2 };

/** The session cookie: the one the app set, as opposed to the load balancer's and read-your-writes'. */
function sessionCookie(ctx: CheckContext, client: TierClient): string {
  const names = [...client.cookies().keys()].filter(
    (name) => !ctx.target.loadBalancerCookie.test(name) && name !== READ_YOUR_WRITES_COOKIE,
  );
  expectThat(names.length === 1, `GET /session: expected one session cookie, the jar holds ${JSON.stringify([...client.cookies().keys()])}`);
  return `${names[0]}=${client.cookies().get(names[0])}`;
}

export const sessionChecks = perTier({
  id: 'sessions',
  title: 'session survives an instance change (redis / cookie)',
  needs: [],
  async run(ctx) {
    const client = ctx.client();
    const first = expectStatus(await client.request<SessionBody>('GET', '/session'), 200, 'GET /session');
    const strategy = first.headers.get(SESSION_STRATEGY_HEADER);
    if (strategy === 'memory') {
      ctx.skip('sessionStore=memory keeps each session in one instance: it is not meant to survive an instance change');
    }
    expectThat(strategy === 'redis' || strategy === 'cookie', `GET /session: ${SESSION_STRATEGY_HEADER} is ${JSON.stringify(strategy)}`);
    expectThat(first.body.visits === 1, `GET /session (new session): expected visits 1, got ${JSON.stringify(first.body)}`);
    expectThat(
      first.body.visitorTag !== undefined && !('sessionId' in first.body),
      `GET /session: expected a visitorTag and no session id in the body, got ${JSON.stringify(first.body)}`,
    );
    const servedBy = [first.servedBy];
    let visits = 1;
    let cartAdded = false;

    const companions = ctx.tier.tier === 'lambda' ? LAMBDA_COMPANIONS : 0;
    for (let step = 0; step < MAX_STEPS && new Set(servedBy).size < 2; step += 1) {
      const onlySession = { cookie: sessionCookie(ctx, client) };
      const [response] = await Promise.all([
        cartAdded ? client.request<SessionBody>('GET', '/session', undefined, onlySession) : client.request<SessionBody>('POST', '/session/cart', CART_ITEM, onlySession),
        ...Array.from({ length: companions }, () => ctx.client().request('GET', COMPANION_PATH)),
      ]);
      expectStatus(response, 200, cartAdded ? 'GET /session' : 'POST /session/cart');
      if (cartAdded) visits += 1;
      cartAdded = true;
      expectThat(
        response.body.visits === visits && response.body.visitorTag === first.body.visitorTag,
        `after ${servedBy.length} request(s) on ${countInstances(servedBy)}, ${response.servedBy} answered ` +
          `${JSON.stringify({ visitorTag: response.body.visitorTag, visits: response.body.visits })}, expected ` +
          `${JSON.stringify({ visitorTag: first.body.visitorTag, visits })}: the session was lost`,
      );
      expectThat(
        response.body.cart?.some((line) => line.sku === CART_ITEM.sku && line.quantity === CART_ITEM.quantity) === true,
        `${response.servedBy} answered the session without its cart line ${JSON.stringify(CART_ITEM)}: ${JSON.stringify(response.body.cart)}`,
      );
      servedBy.push(response.servedBy);
    }
    await client.request('DELETE', '/session', undefined, { cookie: sessionCookie(ctx, client) });
    if (new Set(servedBy).size < 2) {
      ctx.skip(`${servedBy.length} requests all reached ${servedBy[0]}: no instance change happened, so survival could not be observed`);
    }
    return `${strategy} session kept visits and cart across ${countInstances(servedBy)}`;
  },
});
