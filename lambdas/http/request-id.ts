/**
 * A request id on every response (the `x-request-id` header, and `requestId` in every error body),
 * the same id that the log line with the details carries: a client reporting a 503 quotes it, an
 * operator finds the driver's message in the log, and the client never sees that message.
 *
 * An id set by a proxy in front (HAProxy `unique-id-header`, an ALB-side service) is kept when it
 * looks like an id; anything else (too long, control characters, log-injection attempts) is
 * replaced, because a client-chosen value must not shape the log.
 */
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';

export const REQUEST_ID_HEADER = 'x-request-id';

const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const KEY = 'requestId';

/** A trustworthy id for this request: the incoming one when it looks like an id, else a new UUID. */
export function chooseRequestId(incoming: string | undefined | null): string {
  return incoming !== undefined && incoming !== null && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
}

/** Assigns the id first thing, so that every later answer (errors included) carries it. */
export function requestIdMiddleware(): MiddlewareHandler {
  return async (c, next) => {
    const id = chooseRequestId(c.req.header(REQUEST_ID_HEADER));
    c.set(KEY as never, id as never);
    // Set before the route answers, so every response built through the context carries it; set after,
    // Hono would rebuild each response to add it (the cost measured on the request path).
    c.header(REQUEST_ID_HEADER, id);
    await next();
  };
}

/** This request's id (a fresh one if the middleware did not run, e.g. in a bare unit app). */
export function requestIdOf(c: Context): string {
  const id = c.get(KEY as never) as string | undefined;
  if (id !== undefined) return id;
  const fresh = randomUUID();
  c.set(KEY as never, fresh as never);
  return fresh;
}
