/** Lambda entry point of the cache-aside pattern: `GET /profiles/:id`, `PUT /profiles/:id`. */
import { systemClock } from '../core/clock';
import { InstanceIdentity } from '../core/instance-identity';
import { readIdentityConfig } from '../config/runtime-config';
import { createPatternApp } from '../http/app';
import { lambdaHandler } from '../http/lambda-entry';
import { patternRoutesOrUnconfigured } from '../http/pattern-routes';
import { buildCacheAsideRoutes } from '../wiring/cache-aside-wiring';
import { createSharedClients } from '../wiring/shared-clients';

const identity = new InstanceIdentity(readIdentityConfig(process.env), systemClock);

export const handler = lambdaHandler(async () =>
  createPatternApp(identity, [
    await patternRoutesOrUnconfigured('cacheAside', () => buildCacheAsideRoutes(createSharedClients(process.env))),
  ]),
);
