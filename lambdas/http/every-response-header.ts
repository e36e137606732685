/**
 * A header that every response to this request carries, whatever answers it (the route, a
 * validation refusal, the error mapping): `x-served-by`, `x-request-id`, the session strategy.
 *
 * On the container server, @hono/node-server hands the app the Node response as `c.env.outgoing`.
 * The header goes straight onto it, and Node merges it with the headers Hono writes (Hono's win
 * on a clash). `c.header()` would instead make Hono build a Web `Headers` object for the response
 * and write it by its slow path: about a tenth of a `GET /whoami`'s CPU, measured with the
 * throughput benchmark's server build. On Lambda, and for `app.request()` in tests, there is no
 * Node response, so it is `c.header()`.
 *
 * @example
 * setEveryResponseHeader(c, 'x-served-by', identity.instanceId);
 */
import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';

export function setEveryResponseHeader(c: Context, name: string, value: string): void {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing !== undefined && typeof outgoing.setHeader === 'function' && !outgoing.headersSent) outgoing.setHeader(name, value);
  else c.header(name, value);
}
