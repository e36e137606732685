/** Lambda entry point of the multi-master pattern in one region: `PUT /items/:id`, `GET /items/:id`. */
import { systemClock } from '../core/clock';
import { InstanceIdentity } from '../core/instance-identity';
import { readIdentityConfig } from '../config/runtime-config';
import { createPatternApp } from '../http/app';
import { lambdaHandler } from '../http/lambda-entry';
import { patternRoutesOrUnconfigured } from '../http/pattern-routes';
import { buildMultiMasterRoutes } from '../wiring/multi-master-wiring';
import { createSharedClients } from '../wiring/shared-clients';

const identity = new InstanceIdentity(readIdentityConfig(process.env), systemClock);

export const handler = lambdaHandler(async () =>
  createPatternApp(identity, [
    await patternRoutesOrUnconfigured('multiMaster', () => buildMultiMasterRoutes(createSharedClients(process.env))),
  ]),
);
