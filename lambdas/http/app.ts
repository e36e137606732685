/**
 * Builds the HTTP application that both hosts serve: the Lambda handlers (through the ALB or a
 * Function URL) and the container server (Fargate, the lab). Patterns contribute routes through
 * `RegisterRoutes` functions; this module owns what is common to all of them.
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { InstanceIdentity } from '../core/reverse-proxy-identity';
import { errorJson, toErrorResponse } from './error-response';
import { logHost } from '../observability/logger';
import { publishRequestMetrics } from '../observability/pattern-metrics';
import { REQUEST_ID_HEADER, requestIdMiddleware, requestIdOf } from './request-id';
import { MAX_BODY_BYTES } from './validation';
import { setEveryResponseHeader } from './every-response-header';

/**
 * A pattern's routes. `early`, when present, runs before the app's shared middleware (body limit),
 * for headers a pattern promises on every response, rejections by that middleware included.
 */
export type RegisterRoutes = ((app: Hono) => void) & { readonly early?: (app: Hono) => void };

/** Header on every response naming the instance that served it (what a client sees of the spread). */
export const SERVED_BY_HEADER = 'x-served-by';

/** Methods whose requests may carry a body; the others (GET, HEAD, OPTIONS) are never read by a route. */
const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * 413 for a body over `maxSize`, only on methods that can carry one. hono/body-limit reads
 * `c.req.raw.body` first, which on @hono/node-server turns the lightweight request into a full
 * Web `Request` (undici, an AbortSignal) on every request: measured, the largest cost of a GET.
 * So a declared Content-Length is checked from the header alone (as body-limit itself does), and
 * body-limit only runs where the size is unknown until read (chunked bodies, or no header).
 */
export function requestBodyLimit(maxSize: number): MiddlewareHandler {
  const tooLarge = (c: Context) => errorJson(c, 413, 'PayloadTooLarge', `body: exceeds the limit of ${maxSize} bytes`);
  const counting = bodyLimit({ maxSize, onError: tooLarge });
  // Not an async function: a GET passes straight on without a promise of its own.
  return (c, next) => {
    if (!BODY_METHODS.has(c.req.method)) return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number.parseInt(length, 10) > maxSize ? Promise.resolve(tooLarge(c)) : next();
    }
    return counting(c, next);
  };
}

export interface PatternAppOptions {
  /**
   * When the metrics counted by the routes are written: `per-request` suits Lambda (one invocation,
   * then the environment may freeze); `host` leaves it to the host, which the container server does on
   * an interval, so a busy task does not write an EMF line per request on its hot path.
   * @default 'per-request'
   */
  readonly metricsPublication?: 'per-request' | 'host';
}

export function createPatternApp(identity: InstanceIdentity, routes: readonly RegisterRoutes[], options: PatternAppOptions = {}): Hono {
  const perRequestMetrics = (options.metricsPublication ?? 'per-request') === 'per-request';
  logHost(identity.describe());
  const app = new Hono();
  app.use('*', requestIdMiddleware());
  for (const register of routes) register.early?.(app);
  // One stamp per request, before the route answers: set after it, a header would make Hono
  // rebuild the response. Not an async function unless metrics are written per request: each
  // async layer is a promise more on every request's path.
  const stamp = (c: Context) => {
    identity.recordRequest();
    setEveryResponseHeader(c, REQUEST_ID_HEADER, requestIdOf(c));
    setEveryResponseHeader(c, SERVED_BY_HEADER, identity.instanceId);
  };
  app.use(
    '*',
    perRequestMetrics
      ? async (c, next) => {
          stamp(c);
          try {
            await next();
          } finally {
            publishRequestMetrics();
          }
        }
      : (c, next) => {
          stamp(c);
          return next();
        },
  );
  app.use('*', requestBodyLimit(MAX_BODY_BYTES));
  for (const register of routes) register(app);
  // The path is not echoed: a response never reflects what a client put in it.
  app.notFound((c) => errorJson(c, 404, 'NotFound', `path: no route for ${c.req.method} on this path`));
  app.onError((err, c) => {
    const response = toErrorResponse(err, c);
    response.headers.set(SERVED_BY_HEADER, identity.instanceId);
    return response;
  });
  return app;
}
