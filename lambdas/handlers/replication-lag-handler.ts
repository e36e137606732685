/** Lambda entry point of the replication-lag probe: `GET /replication/lag`. */
import { systemClock } from '../core/clock';
import { InstanceIdentity } from '../core/instance-identity';
import { readIdentityConfig } from '../config/runtime-config';
import { createPatternApp } from '../http/app';
import { lambdaHandler } from '../http/lambda-entry';
import { patternRoutesOrUnconfigured } from '../http/pattern-routes';
import { buildReplicationLagRoutes } from '../wiring/replication-lag-wiring';
import { createSharedClients } from '../wiring/shared-clients';

const identity = new InstanceIdentity(readIdentityConfig(process.env), systemClock);

export const handler = lambdaHandler(async () =>
  createPatternApp(identity, [
    await patternRoutesOrUnconfigured('replicationLag', () => buildReplicationLagRoutes(createSharedClients(process.env))),
  ]),
);
