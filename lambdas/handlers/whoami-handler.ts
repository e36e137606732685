/** Lambda entry point of the instance-identity (reverse proxy) demo, `GET /whoami`, and of the console page (`/lambda/`). */
import { systemClock } from '../core/clock';
import { InstanceIdentity } from '../core/instance-identity';
import { readHttpConfig, readIdentityConfig } from '../config/runtime-config';
import { createPatternApp } from '../http/app';
import { consoleRoutes } from '../http/console-routes';
import { identityRoutes } from '../http/identity-routes';
import { lambdaHandler } from '../http/lambda-entry';

const identity = new InstanceIdentity(readIdentityConfig(process.env), systemClock);

export const handler = lambdaHandler(() =>
  createPatternApp(identity, [identityRoutes(identity, { labRoutes: readHttpConfig(process.env).labMode }), consoleRoutes()]),
);
