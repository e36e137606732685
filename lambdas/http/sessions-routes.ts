/**
 * HTTP face of the sessions pattern. The route reads the session cookie and writes the
 * `Set-Cookie` line the core returns; everything else happens in `SessionService`.
 */
import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { CookieSecurity } from '../core/cookie-security';
import { InvalidSessionError } from '../core/errors';
import { cartItemSchema, type SessionOutcome, type SessionService, type SessionStoreStats } from '../core/sessions';
import type { RegisterRoutes } from './app';
import { cookieSecurityOf } from './request-security';
import { jsonBody } from './validation';
import { PATTERN_METRICS } from '../observability/metric-names';
import { countMetric } from '../observability/pattern-metrics';
import { setEveryResponseHeader } from './every-response-header';

/** Header on every session response, errors included, naming the strategy that served it. */
export const SESSION_STRATEGY_HEADER = 'x-session-strategy';

export interface SessionRoutesDeps {
  readonly service: SessionService;
  /** Named in every body, so that a client sees which instance served it and with which strategy. */
  readonly instanceId: string;
  /** Live count and size of the sessions held here, for stores that hold them in this process. */
  readonly stats?: () => SessionStoreStats;
  /**
   * Header the load balancer sets to the client's protocol; the cookie is `Secure` when it says https.
   * @default - none trusted: `Secure` only on a direct HTTPS request
   */
  readonly forwardedProtoHeader?: string;
  /**
   * Mount `GET /session/stats` (heap figures, a forced GC): for the lab only, never on the internet.
   * @default false
   */
  readonly labRoutes?: boolean;
}

/**
 * The session demo routes, identical on Lambda and in the container:
 * - `GET /session`: counts one visit and returns the session (a new one when there is none);
 * - `POST /session/cart` `{ "sku": "A-1", "quantity": 2 }`: adds to the cart (at most 50 distinct items);
 * - `DELETE /session`: ends the session and clears the cookie;
 * - `GET /session/stats` (lab only, `labRoutes`): sessions held by this instance and the process heap
 *   (memory strategy); in a process started with `--expose-gc` the heap is read after a full garbage
 *   collection (`heapAfterGc`). Elsewhere it is a plain 404.
 *
 * Bodies never carry the session id (it would undo `HttpOnly`): a session shows itself by its
 * `visitorTag`. The cookie is `Secure` exactly when the request reached the edge over HTTPS.
 *
 * The cookie name comes from `readSessionConfig`: with ALB application-cookie stickiness
 * (`STICKY_APP_COOKIE_NAME` set) the session cookie takes that name, because the ALB keys stickiness
 * on the application's own cookie. A rejected cookie (cookie strategy: tampered, expired, malformed)
 * gets a 401 together with a `Set-Cookie` that clears it. Every response, errors included, names the
 * strategy in `x-session-strategy` (and the instance in `x-served-by`); success bodies name both too.
 *
 * @example
 * createPatternApp(identity, [sessionRoutes({ service, instanceId: identity.instanceId })]);
 */
export function sessionRoutes(deps: SessionRoutesDeps): RegisterRoutes {
  const { service, instanceId } = deps;

  const markStrategy = async (c: Context, next: () => Promise<void>): Promise<void> => {
    setEveryResponseHeader(c, SESSION_STRATEGY_HEADER, service.strategy);
    await next();
  };

  const readToken = (c: Context): string | undefined => {
    const value = getCookie(c, service.cookieName);
    return value === undefined || value === '' ? undefined : value;
  };

  const security = (c: Context) => cookieSecurityOf(c, deps.forwardedProtoHeader);

  const respond = async (
    c: Context,
    use: (token: string | undefined, cookie: CookieSecurity) => Promise<SessionOutcome>,
  ) => {
    let outcome: SessionOutcome;
    const token = readToken(c);
    try {
      outcome = await use(token, security(c));
    } catch (error) {
      // The error body is written by the app's error mapping; the header set here goes with it.
      if (error instanceof InvalidSessionError) c.header('Set-Cookie', service.clearCookie(security(c)));
      throw error;
    }
    if (outcome.session.isNew) countMetric(token === undefined ? PATTERN_METRICS.sessionCreated : PATTERN_METRICS.sessionLost);
    // Headers given with the body keep Hono's light response (no Web Headers object to build).
    return c.json({ instanceId, ...outcome.session }, 200, { 'Set-Cookie': outcome.setCookie, 'Cache-Control': 'no-store' });
  };

  const register = (app: Hono): void => {
    app.get('/session', (c) => respond(c, (token, cookie) => service.visit(token, cookie)));

    app.post('/session/cart', jsonBody(cartItemSchema), async (c) => {
      const item = c.req.valid('json');
      return respond(c, (token, cookie) => service.addToCart(token, item, cookie));
    });

    app.delete('/session', async (c) => {
      const { ended, setCookie } = await service.end(readToken(c), security(c));
      c.header('Set-Cookie', setCookie);
      return c.json({ strategy: service.strategy, instanceId, ended });
    });

    if (deps.labRoutes !== true) return;
    app.get('/session/stats', (c) => {
      // Only a process started with --expose-gc (the lab) has gc(): heapUsedBytes is then live data, not garbage.
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      return c.json({
        strategy: service.strategy,
        instanceId,
        heapUsedBytes: process.memoryUsage().heapUsed,
        heapAfterGc: gc !== undefined,
        ...(deps.stats === undefined ? {} : { held: deps.stats() }),
      });
    });
  };
  // Errors too (401, 413, 503) must say which strategy answered: registered before the app's body
  // limit, so that its 413 carries the header as well.
  const early = (app: Hono): void => {
    app.use('/session', markStrategy);
    app.use('/session/*', markStrategy);
  };
  return Object.assign(register, { early });
}
