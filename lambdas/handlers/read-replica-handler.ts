/** Lambda entry point of read/write splitting with read-your-writes: `POST /notes`, `GET /notes/:id`. */
import { systemClock } from '../core/clock';
import { InstanceIdentity } from '../core/instance-identity';
import { readIdentityConfig } from '../config/runtime-config';
import { createPatternApp } from '../http/app';
import { lambdaHandler } from '../http/lambda-entry';
import { patternRoutesOrUnconfigured } from '../http/pattern-routes';
import { buildReadReplicaRoutes } from '../wiring/read-replica-wiring';
import { createSharedClients } from '../wiring/shared-clients';

const identity = new InstanceIdentity(readIdentityConfig(process.env), systemClock);

export const handler = lambdaHandler(async () =>
  createPatternApp(identity, [
    await patternRoutesOrUnconfigured('readReplica', () => buildReadReplicaRoutes(createSharedClients(process.env))),
  ]),
);
