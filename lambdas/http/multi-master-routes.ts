/**
 * HTTP face of the multi-master (global table) pattern. Each region's deployment serves these
 * routes against its own replica; the core decides versions and reports lost writes.
 */
import type { Hono } from 'hono';
import * as z from 'zod/mini';
import type { MultiMasterStore } from '../core/multi-master';
import type { RegisterRoutes } from './app';
import { idSchema, jsonBody, pathParams } from './validation';
import { PATTERN_METRICS } from '../observability/metric-names';
import { countMetric } from '../observability/pattern-metrics';

/** Largest item value, in UTF-8 bytes. */
export const MAX_VALUE_BYTES = 1024;

function fitsValueLimit(value: string): boolean {
  return Buffer.byteLength(value, 'utf8') <= MAX_VALUE_BYTES;
}

export const putItemBodySchema = z.strictObject({
  value: z.string().check(z.refine(fitsValueLimit, `expected at most ${MAX_VALUE_BYTES} bytes`)),
  expectedVersion: z.optional(z.int().check(z.gte(0), z.lte(Number.MAX_SAFE_INTEGER))),
});

const itemId = pathParams({ id: idSchema });

export interface MultiMasterRoutesDeps {
  readonly store: MultiMasterStore;
}

/**
 * The multi-master routes, identical on Lambda and in the container:
 * - `PUT /items/:id` `{ "value": "...", "expectedVersion"?: 3 }`: writes this region's replica
 *   (201 when it created the item, 200 otherwise; 409 on a version mismatch, a concurrent update,
 *   or, in strong mode, a write refused because another region writes the same item);
 * - `GET /items/:id`: the item as this region sees it, and `conflict.lost: true` when this
 *   region's last write of it was overwritten by a concurrent write elsewhere (404 if unknown).
 *
 * @example
 * createPatternApp(identity, [multiMasterRoutes({ store })]);
 */
export function multiMasterRoutes(deps: MultiMasterRoutesDeps): RegisterRoutes {
  const { store } = deps;
  return (app: Hono): void => {
    app.get('/items/:id', itemId, async (c) => {
      const { id } = c.req.valid('param');
      c.header('Cache-Control', 'no-store');
      const read = await store.get(id);
      if (read.conflict.lost) countMetric(PATTERN_METRICS.conflictDetected);
      return c.json(read);
    });

    app.put('/items/:id', itemId, jsonBody(putItemBodySchema), async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const result = await store.put(id, body.value, body.expectedVersion);
      return c.json(result, result.item.version === 1 ? 201 : 200);
    });
  };
}
