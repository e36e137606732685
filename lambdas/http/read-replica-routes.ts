/**
 * HTTP face of read/write splitting with read-your-writes:
 * - `POST /notes` `{ "text": "..." }`: written on the primary; answers `{ note, id, lsn, servedBy }` and
 *   sets the `rw_lsn` cookie (HttpOnly; SameSite=Lax; Secure when the request reached the edge over
 *   HTTPS) to the position after the commit;
 * - `GET /notes/:id[?consistency=eventual|strong]`: read from a replica, or from the primary when
 *   strong consistency is asked, when no replica is healthy, or when the `rw_lsn` cookie names a
 *   write no replica has replayed within the wait. Every answer, a 404 included, carries
 *   `servedBy` and `reason`, so a stale read is visible as such.
 *
 * A malformed `rw_lsn` cookie is ignored (the read is treated as a plain eventual read): the cookie
 * is only a hint that can make a read stronger, and rejecting it would turn a garbled hint into
 * failed reads until the cookie expires.
 *
 * @example
 * createPatternApp(identity, [readReplicaRoutes({ writeNote, readNote })]);
 */
import type { Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import * as z from 'zod/mini';
import type { ReadOptions, ReadReason, RoutedRead } from '../core/read-replica-router';
import { formatLsn, parseLsn, type Lsn } from '../core/wal-lsn';
import type { RegisterRoutes } from './app';
import { errorJson } from './error-response';
import { cookieSecurityOf } from './request-security';
import { idSchema, jsonBody, pathParams, queryParams, withoutNul } from './validation';
import { PATTERN_METRICS, type PatternMetricName } from '../observability/metric-names';
import { countMetric } from '../observability/pattern-metrics';
import { READ_CONSISTENCIES } from '../config/vocabulary';

/** How a read-your-writes read ended, for the dashboards (other reasons are not waits). */
const READ_YOUR_WRITES_METRIC: Partial<Record<ReadReason, PatternMetricName>> = {
  'caught-up-replica': PATTERN_METRICS.readYourWritesCaughtUp,
  'read-your-writes-fallback': PATTERN_METRICS.readYourWritesFallback,
  'read-your-writes-unverified': PATTERN_METRICS.readYourWritesUnverified,
};

/** Cookie carrying the client's last write position. */
export const READ_YOUR_WRITES_COOKIE = 'rw_lsn';
/** Long enough to cover any replica catching up; after that the hint has no effect anyway. */
export const READ_YOUR_WRITES_COOKIE_MAX_AGE_SECONDS = 300;
export const MAX_NOTE_LENGTH = 2000;

export interface ReadReplicaRoutesDeps {
  /** Inserts on the primary; returns the new note's id and the WAL position after its commit. */
  writeNote(text: string): Promise<{ readonly note: { readonly id: string }; readonly lsn: Lsn }>;
  /** Reads through the router; `value` is undefined when the chosen node has no such note. */
  readNote(id: string, options: ReadOptions): Promise<RoutedRead<object | undefined>>;
  /**
   * Header the load balancer sets to the client's protocol; the cookie is `Secure` when it says https.
   * @default - none trusted: `Secure` only on a direct HTTPS request
   */
  readonly forwardedProtoHeader?: string;
}

const noteBodySchema = z.strictObject({
  text: z.string().check(z.minLength(1), z.maxLength(MAX_NOTE_LENGTH), withoutNul),
});
const noteId = pathParams({ id: idSchema });
const readConsistency = queryParams({ consistency: z.optional(z.enum(READ_CONSISTENCIES)) });

function readYourWritesLsn(c: Context): Lsn | undefined {
  const text = getCookie(c, READ_YOUR_WRITES_COOKIE);
  return text === undefined ? undefined : parseLsn(text);
}

export function readReplicaRoutes(deps: ReadReplicaRoutesDeps): RegisterRoutes {
  return (app: Hono): void => {
    app.post('/notes', jsonBody(noteBodySchema), async (c) => {
      const { text } = c.req.valid('json');
      const { note, lsn } = await deps.writeNote(text);
      setCookie(c, READ_YOUR_WRITES_COOKIE, formatLsn(lsn), {
        path: '/',
        httpOnly: true,
        secure: cookieSecurityOf(c, deps.forwardedProtoHeader).secure,
        sameSite: 'Lax',
        maxAge: READ_YOUR_WRITES_COOKIE_MAX_AGE_SECONDS,
      });
      c.header('Cache-Control', 'no-store');
      return c.json({ note, id: note.id, lsn: formatLsn(lsn), servedBy: 'primary' }, 201);
    });

    app.get('/notes/:id', noteId, readConsistency, async (c) => {
      const { id } = c.req.valid('param');
      const { consistency } = c.req.valid('query');
      const minLsn = readYourWritesLsn(c);
      const { value, servedBy, reason } = await deps.readNote(id, { consistency, minLsn });
      const readYourWrites = minLsn === undefined ? null : formatLsn(minLsn);
      const waitOutcome = minLsn === undefined ? undefined : READ_YOUR_WRITES_METRIC[reason];
      if (waitOutcome !== undefined) countMetric(waitOutcome);
      c.header('Cache-Control', 'no-store');
      if (value === undefined) {
        return errorJson(c, 404, 'NotFound', `Note ${id} not found on ${servedBy}`, { servedBy, reason, readYourWrites });
      }
      return c.json({ note: value, servedBy, reason, readYourWrites });
    });
  };
}
