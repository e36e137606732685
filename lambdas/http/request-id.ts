/**
 * A request id on every response (the `x-request-id` header, and `requestId` in every error body),
 * the same id that the log line with the details carries: a client reporting a 503 quotes it, an
 * operator finds the driver's message in the log, and the client never sees that message.
 *
 * Hono's `requestId` middleware assigns it, with the project's own rule as its generator: an id set
 * by a proxy in front (HAProxy `unique-id-header`, an ALB-side service) is kept when it looks like an
 * id (`chooseRequestId`: 8-128 of letters, digits, `.`, `_`, `:`, `-`), anything else (control
 * characters, log-injection attempts, a short word a client picked) is replaced: a client-chosen
 * value must not shape the log. Hono's own check is looser (it keeps `abc` or `a=b`), so the
 * middleware is given no header name to read, and this module sets the response header itself.
 *
 * The same middleware puts this request's logger in the context (`c.var.logger`), so that every
 * line about the request carries its id.
 */
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import { requestLogger, type RequestLogger } from '../observability/request-logger';
import { setEveryResponseHeader } from './every-response-header';

declare module 'hono' {
  interface ContextVariableMap {
    /** This request's logger: every line carries `requestId`. */
    logger: RequestLogger;
  }
}

export const REQUEST_ID_HEADER = 'x-request-id';

const MAX_ID_LENGTH = 128;
const ACCEPTABLE_ID = new RegExp(`^[A-Za-z0-9._:-]{8,${MAX_ID_LENGTH}}$`);

/** A trustworthy id for this request: the incoming one when it looks like an id, else a new UUID. */
export function chooseRequestId(incoming: string | undefined | null): string {
  return incoming !== undefined && incoming !== null && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Assigns the id and the logger first thing, so that every later answer (errors included) carries
 * the id. The header is set before the route answers: set after, Hono would rebuild each response
 * to add it (the cost measured on the request path).
 */
export function requestIdMiddleware(): MiddlewareHandler {
  const assignId = requestId({
    headerName: '',
    generator: (c) => chooseRequestId(c.req.header(REQUEST_ID_HEADER)),
  });
  return (c, next) =>
    assignId(c, async () => {
      setEveryResponseHeader(c, REQUEST_ID_HEADER, c.var.requestId);
      c.set('logger', requestLogger(c.var.requestId));
      await next();
    });
}

/** This request's id (a fresh one if the middleware did not run, e.g. in a bare unit app). */
export function requestIdOf(c: Context): string {
  return loggerOf(c).requestId;
}

/** This request's logger (with a fresh id if the middleware did not run). */
export function loggerOf(c: Context): RequestLogger {
  const assigned = c.get('logger') as RequestLogger | undefined;
  if (assigned !== undefined) return assigned;
  const fresh = requestLogger(randomUUID());
  c.set('requestId', fresh.requestId);
  c.set('logger', fresh);
  return fresh;
}
