/**
 * HTTP face of independence vs coordination:
 * - `POST /counters/:name/hot`: +1 on the counter's single shared row (writers coordinate on its lock);
 * - `POST /counters/:name/sharded`: +1 on one of COUNTER_SHARDS rows at random (writers independent);
 * - `GET /counters/:name`: both totals, `{ name, hot: { total }, sharded: { total, shards: [...] } }`
 *   (a counter never incremented reads as 0).
 *
 * @example
 * createPatternApp(identity, [counterRoutes({ counters: async () => counters })]);
 */
import type { Hono } from 'hono';
import type { Counters } from '../core/counters';
import type { RegisterRoutes } from './app';
import { idSchema, pathParams } from './validation';
import { PATTERN_METRICS } from '../observability/metric-names';
import { countMetric } from '../observability/pattern-metrics';

export interface CounterRoutesDeps {
  /** Built on first use (the first request opens the database). */
  counters(): Promise<Counters>;
}

const counterName = pathParams({ name: idSchema });

export function counterRoutes(deps: CounterRoutesDeps): RegisterRoutes {
  return (app: Hono): void => {
    app.post('/counters/:name/hot', counterName, async (c) => {
      const { name } = c.req.valid('param');
      const result = await (await deps.counters()).incrementHot(name);
      countMetric(PATTERN_METRICS.counterIncrement);
      return c.json(result);
    });

    app.post('/counters/:name/sharded', counterName, async (c) => {
      const { name } = c.req.valid('param');
      const result = await (await deps.counters()).incrementSharded(name);
      countMetric(PATTERN_METRICS.counterIncrement);
      return c.json(result);
    });

    app.get('/counters/:name', counterName, async (c) => {
      const { name } = c.req.valid('param');
      c.header('Cache-Control', 'no-store');
      return c.json(await (await deps.counters()).read(name));
    });
  };
}
