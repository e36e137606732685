/** Lambda entry point of the instance-identity (reverse proxy) demo, `GET /whoami`, and of the console page (`/lambda/`). */
import { systemClock } from '../core/clock';
import { InstanceIdentity } from '../core/reverse-proxy-identity';
import { readRuntimeConfig } from '../config/runtime-sections';
import { createPatternApp } from '../http/app';
import { consoleRoutes } from '../http/console-routes';
import { reverseProxyRoutes } from '../http/reverse-proxy-routes';
import { lambdaHandler } from '../http/lambda-entry';

// The one parse of this environment's configuration; the wiring gets its typed sections.
const config = readRuntimeConfig(process.env);
const identity = new InstanceIdentity(config.section('identity'), systemClock);

export const handler = lambdaHandler(() =>
  createPatternApp(identity, [reverseProxyRoutes(identity, { labRoutes: config.section('http').labMode }), consoleRoutes()]),
);
