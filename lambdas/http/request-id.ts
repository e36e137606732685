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
 * middleware is given no header name to read, and the app sets the response header itself
 * (`createPatternApp`, with the other headers every response carries).
 *
 * This request's logger (`loggerOf`, kept in the context as `c.var.logger`) writes the id on every
 * line. It is made on a request's first log line, not for every request: most requests log
 * nothing, and the hot path is measured.
 */
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import { requestLogger, type RequestLogger } from '../observability/request-logger';

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
 * Assigns the id first thing, so that every later answer (errors included) can carry it.
 */
export function requestIdMiddleware(): MiddlewareHandler {
  return requestId({
    headerName: '',
    generator: (c) => chooseRequestId(c.req.header(REQUEST_ID_HEADER)),
  });
}

/** This request's id (a fresh one if the middleware did not run, e.g. in a bare unit app). */
export function requestIdOf(c: Context): string {
  const assigned = c.get('requestId') as string | undefined;
  if (assigned !== undefined) return assigned;
  const fresh = randomUUID();
  c.set('requestId', fresh);
  return fresh;
}

/** This request's logger: every line it writes carries the request's id. */
export function loggerOf(c: Context): RequestLogger {
  const assigned = c.get('logger') as RequestLogger | undefined;
  if (assigned !== undefined) return assigned;
  const made = requestLogger(requestIdOf(c));
  c.set('logger', made);
  return made;
}
