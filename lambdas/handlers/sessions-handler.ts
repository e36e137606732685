/** Lambda entry point of the sessions pattern: `GET /session`, `POST /session/cart`, `DELETE /session`. */
import { systemClock } from '../core/clock';
import { InstanceIdentity } from '../core/reverse-proxy-identity';
import { readRuntimeConfig } from '../config/runtime-sections';
import { createPatternApp } from '../http/app';
import { lambdaHandler } from '../http/lambda-entry';
import { patternRoutesOrUnconfigured } from '../http/pattern-routes';
import { buildSessionRoutes } from '../wiring/sessions-wiring';
import { createSharedClients } from '../wiring/shared-clients';

// The one parse of this environment's configuration; the wiring gets its typed sections.
const config = readRuntimeConfig(process.env);
const identity = new InstanceIdentity(config.section('identity'), systemClock);

export const handler = lambdaHandler(async () =>
  createPatternApp(identity, [
    await patternRoutesOrUnconfigured('sessions', () => buildSessionRoutes(createSharedClients(config), identity)),
  ]),
);
