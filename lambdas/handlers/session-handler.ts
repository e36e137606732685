/** Lambda entry point of the sessions pattern: `GET /session`, `POST /session/cart`, `DELETE /session`. */
import { systemClock } from '../core/clock';
import { InstanceIdentity } from '../core/instance-identity';
import { readIdentityConfig } from '../config/runtime-config';
import { createPatternApp } from '../http/app';
import { lambdaHandler } from '../http/lambda-entry';
import { patternRoutesOrUnconfigured } from '../http/pattern-routes';
import { buildSessionRoutes } from '../wiring/session-wiring';
import { createSharedClients } from '../wiring/shared-clients';

const identity = new InstanceIdentity(readIdentityConfig(process.env), systemClock);

export const handler = lambdaHandler(async () =>
  createPatternApp(identity, [
    await patternRoutesOrUnconfigured('sessions', () => buildSessionRoutes(createSharedClients(process.env), identity)),
  ]),
);
