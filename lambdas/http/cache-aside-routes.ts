/**
 * HTTP face of cache-aside:
 * - `GET /profiles/:id`: Redis first (`profile:<id>`), PostgreSQL on a miss (then cached with
 *   CACHE_TTL_SECONDS); answers `{ profile, cache: 'hit' | 'miss' | 'bypass', elapsedMs }`, 404 for
 *   an unknown id. `bypass` means Redis was unavailable and the database answered alone;
 * - `PUT /profiles/:id` `{ "name": "...", "email": "..." }`: creates or replaces the profile on the
 *   primary, then deletes the cached entry; answers `{ profile, created, invalidated }` (201 when created).
 *
 * @example
 * createPatternApp(identity, [cacheAsideRoutes({ readProfile, writeProfile })]);
 */
import type { Hono } from 'hono';
import * as z from 'zod/mini';
import type { CachedRead, CachedWrite } from '../core/cache-aside';
import { NotFoundError } from '../core/errors';
import type { RequestLogger } from '../observability/request-logger';
import type { RegisterRoutes } from './app';
import { loggerOf } from './request-id';
import { idSchema, jsonBody, pathParams, withoutNul } from './validation';
import { PATTERN_METRICS } from '../observability/metric-names';
import { countMetric } from '../observability/pattern-metrics';

const CACHE_METRIC = { hit: PATTERN_METRICS.cacheHit, miss: PATTERN_METRICS.cacheMiss, bypass: PATTERN_METRICS.cacheBypass } as const;

export interface ProfileFields {
  readonly name: string;
  readonly email: string;
}

/** Each call gets the request's logger, for what it rides through (a cache outage) to name the request. */
export interface CacheAsideRoutesDeps {
  readProfile(id: string, log: RequestLogger): Promise<CachedRead<object>>;
  writeProfile(id: string, fields: ProfileFields, log: RequestLogger): Promise<CachedWrite<{ readonly profile: object; readonly created: boolean }>>;
}

const profileBodySchema = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(200), withoutNul),
  email: z.string().check(z.maxLength(254), z.regex(/^[^\s@]+@[^\s@]+$/, 'expected an email address'), withoutNul),
});

const profileId = pathParams({ id: idSchema });

export function cacheAsideRoutes(deps: CacheAsideRoutesDeps): RegisterRoutes {
  return (app: Hono): void => {
    app.get('/profiles/:id', profileId, async (c) => {
      const { id } = c.req.valid('param');
      const { value, cache, elapsedMs } = await deps.readProfile(id, loggerOf(c));
      countMetric(CACHE_METRIC[cache]);
      if (value === undefined) throw new NotFoundError(`Profile ${id} not found`);
      return c.json({ profile: value, cache, elapsedMs }, 200, { 'Cache-Control': 'no-store' });
    });

    app.put('/profiles/:id', profileId, jsonBody(profileBodySchema), async (c) => {
      const { id } = c.req.valid('param');
      const fields = c.req.valid('json');
      const { value, invalidated } = await deps.writeProfile(id, fields, loggerOf(c));
      return c.json({ profile: value.profile, created: value.created, invalidated }, value.created ? 201 : 200);
    });
  };
}
