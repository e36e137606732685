/**
 * Lambda entry point of the counters (independence vs coordination): `POST /counters/:name/hot`,
 * `POST /counters/:name/sharded`, `GET /counters/:name`.
 */
import { systemClock } from '../core/clock';
import { InstanceIdentity } from '../core/instance-identity';
import { readIdentityConfig } from '../config/runtime-config';
import { createPatternApp } from '../http/app';
import { lambdaHandler } from '../http/lambda-entry';
import { patternRoutesOrUnconfigured } from '../http/pattern-routes';
import { buildCounterRoutes } from '../wiring/counter-wiring';
import { createSharedClients } from '../wiring/shared-clients';

const identity = new InstanceIdentity(readIdentityConfig(process.env), systemClock);

export const handler = lambdaHandler(async () =>
  createPatternApp(identity, [
    await patternRoutesOrUnconfigured('counters', () => buildCounterRoutes(createSharedClients(process.env))),
  ]),
);
