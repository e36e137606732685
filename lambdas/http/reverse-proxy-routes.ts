import type { Hono } from 'hono';
import * as z from 'zod/mini';
import { systemClock } from '../core/clock';
import type { InstanceIdentity } from '../core/reverse-proxy-identity';
import { doWork, MAX_CPU_MS, MAX_IO_MS } from '../core/synthetic-work';
import { queryParams } from './validation';

const millis = (max: number) =>
  z.optional(
    z.pipe(
      z.string().check(z.regex(/^\d{1,4}$/, `expected an integer from 0 to ${max}`)),
      z.transform(Number),
    ),
  );

const workCost = queryParams({ ioMs: millis(MAX_IO_MS), cpuMs: millis(MAX_CPU_MS) });

export interface ReverseProxyRoutesOptions {
  /**
   * Mount `GET /work` (synthetic CPU/IO): for the lab only. On the internet it would let anyone
   * burn 100 ms of CPU per unauthenticated request.
   * @default false
   */
  readonly labRoutes?: boolean;
}

/**
 * The reverse-proxy demo:
 * - `GET /whoami`: which instance, tier and region served this request, and how many it has served;
 * - `GET /healthz`: target health for the load balancer (touches no engine);
 * - `GET /work?ioMs=20&cpuMs=1` (lab only, `labRoutes`): a request of known cost (at most 1000 ms
 *   waiting, 100 ms computing), used to measure how throughput grows with instances; elsewhere a 404.
 */
export function reverseProxyRoutes(identity: InstanceIdentity, options: ReverseProxyRoutesOptions = {}) {
  return (app: Hono): void => {
    app.get('/whoami', (c) => c.json(identity.describe()));
    app.get('/healthz', (c) => c.json({ status: 'ok', instanceId: identity.instanceId }));
    if (options.labRoutes !== true) return;
    app.get('/work', workCost, async (c) => {
      const { ioMs = 0, cpuMs = 0 } = c.req.valid('query');
      const result = await doWork({ ioMs, cpuMs }, systemClock);
      return c.json({ instanceId: identity.instanceId, ...result });
    });
  };
}
