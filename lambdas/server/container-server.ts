/**
 * The container tier's HTTP server (ECS Fargate, and the lab's local instances): every pattern's
 * routes in one process, built by the same `build*Routes` functions as the Lambda handlers, sharing
 * one set of clients. A pattern whose configuration is absent or invalid is not fatal: its paths
 * answer 503 naming the pattern (the problems go to the start-up log; see `pattern-routes.ts`, which
 * the Lambda handlers share), and the other patterns keep working.
 *
 * Run: `PORT=8080 node dist/container-server/container-server.js` (see `npm run build:server`).
 */
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { systemClock } from '../core/clock';
import { InstanceIdentity } from '../core/reverse-proxy-identity';
import type { Env } from '../config/runtime-config';
import { readRuntimeConfig, type RuntimeConfig } from '../config/runtime-sections';
import { createPatternApp, type RegisterRoutes } from '../http/app';
import { consoleRoutes } from '../http/console-routes';
import { reverseProxyRoutes } from '../http/reverse-proxy-routes';
import { logger } from '../observability/logger';
import { publishRequestMetrics } from '../observability/pattern-metrics';
import type { PatternName } from '../http/pattern-paths';
import { buildPatternRoutes } from '../http/pattern-routes';
import { buildCacheAsideRoutes } from '../wiring/cache-aside-wiring';
import { buildCounterRoutes } from '../wiring/counters-wiring';
import { buildMultiMasterRoutes } from '../wiring/multi-master-wiring';
import { buildReadReplicaRoutes } from '../wiring/read-replica-wiring';
import { buildReplicationLagRoutes } from '../wiring/replication-lag-wiring';
import { buildSessionRoutes } from '../wiring/sessions-wiring';
import { createSharedClients, type SharedClients } from '../wiring/shared-clients';
import {
  CONTAINER_SERVER_TIMEOUTS,
  DEFAULT_HOST,
  installHttpEdges,
  rejectUnparsableRequest,
  requireHost,
  serverOptions,
  type ServerTimeouts,
} from './http-edges';

type PatternBuilder = (clients: SharedClients, identity: InstanceIdentity) => Promise<RegisterRoutes>;

/** Every pattern the container serves (the failover operations are never an HTTP route). */
const PATTERN_BUILDERS: Record<Exclude<PatternName, 'identity'>, PatternBuilder> = {
  sessions: (clients, identity) => buildSessionRoutes(clients, identity),
  cacheAside: (clients) => buildCacheAsideRoutes(clients),
  readReplica: (clients) => buildReadReplicaRoutes(clients),
  replicationLag: (clients) => buildReplicationLagRoutes(clients),
  counters: (clients) => buildCounterRoutes(clients),
  multiMaster: (clients) => buildMultiMasterRoutes(clients),
};

export interface ContainerApp {
  readonly app: Hono;
  readonly identity: InstanceIdentity;
  readonly clients: SharedClients;
  /** Patterns mounted, and those answering 503 for want of configuration. */
  readonly patterns: { readonly mounted: readonly PatternName[]; readonly unconfigured: readonly PatternName[] };
}

/**
 * Builds the app with every pattern (no network I/O: clients connect on first use) from the
 * process's configuration, parsed once by the caller.
 */
export async function buildContainerApp(config: RuntimeConfig): Promise<ContainerApp> {
  const identity = new InstanceIdentity(config.section('identity'), systemClock);
  // Unlike a pattern's section, a bad value here concerns every route: it stops the start.
  const { labMode } = config.section('http');
  const clients = createSharedClients(config);
  const routes: RegisterRoutes[] = [reverseProxyRoutes(identity, { labRoutes: labMode }), consoleRoutes()];
  const mounted: PatternName[] = ['identity'];
  const unconfigured: PatternName[] = [];
  for (const [pattern, build] of Object.entries(PATTERN_BUILDERS) as Array<[Exclude<PatternName, 'identity'>, PatternBuilder]>) {
    const built = await buildPatternRoutes(pattern, () => build(clients, identity));
    routes.push(built.routes);
    (built.problems === undefined ? mounted : unconfigured).push(pattern);
  }
  return { app: createPatternApp(identity, routes, { metricsPublication: 'host' }), identity, clients, patterns: { mounted, unconfigured } };
}

/** How often the container writes the metrics its routes counted (CloudWatch aggregates per minute). */
export const METRICS_PUBLISH_INTERVAL_MS = 10_000;

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface ContainerServerOptions {
  /** @default CONTAINER_SERVER_TIMEOUTS (fit behind the ALB; see http-edges.ts) */
  readonly timeouts?: ServerTimeouts;
}

/** Starts the server; `close()` stops accepting, finishes in-flight requests and ends every client. */
export async function startContainerServer(env: Env, options: ContainerServerOptions = {}): Promise<RunningServer> {
  // The one parse of this process's environment.
  const config = readRuntimeConfig(env);
  const { port, host } = config.section('server');
  const container = await buildContainerApp(config);
  // The node-server listener, with our answer for requests it cannot parse (not its empty 400).
  const listener = requireHost(getRequestListener(container.app.fetch, { hostname: DEFAULT_HOST, errorHandler: rejectUnparsableRequest }));
  const server: Server = createServer(serverOptions(options.timeouts ?? CONTAINER_SERVER_TIMEOUTS), listener);
  installHttpEdges(server);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  // The routes' counts, written as one EMF line per interval rather than one per request.
  const metricsTimer = setInterval(publishRequestMetrics, METRICS_PUBLISH_INTERVAL_MS);
  metricsTimer.unref();
  logger.info('container server listening', {
    host,
    port,
    instanceId: container.identity.instanceId,
    mounted: container.patterns.mounted,
    unconfigured: container.patterns.unconfigured,
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clearInterval(metricsTimer);
      publishRequestMetrics();
      await container.clients.close();
    },
  };
}

if (require.main === module) {
  startContainerServer(process.env).then(
    (running) => {
      // ECS stops a task with SIGTERM, then SIGKILL after the stop timeout: drain in between.
      const shutdown = (signal: string) => {
        logger.info('shutting down', { signal });
        running.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    },
    (error: unknown) => {
      logger.error('container server failed to start', { error: error as Error });
      process.exit(1);
    },
  );
}
