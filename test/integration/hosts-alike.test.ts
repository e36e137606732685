/**
 * The Lambda and container hosts behave alike. A pattern whose configuration is
 * invalid answers 503 with the same body on both (the Lambda init no longer throws, which the ALB
 * showed as a 502), and every pattern handler export is invoked here. The container server's
 * start, unconfigured paths and stop are exercised on a real socket (no engines needed).
 */
import { freePort, isPortOpen } from '../../harness/ports';
import { buildContainerApp, startContainerServer } from '../../lambdas/server/container-server';
import { albEvent } from '../../toolkit/alb-event';
import { coldStart } from '../fixtures/cold-start';
import { readRuntimeConfig } from '../../lambdas/config/runtime-sections';

/** One invalid value per pattern (the other patterns' settings are simply absent). */
const INVALID_ENV: Record<string, string> = {
  PATTERN_TIER: 'lambda',
  INSTANCE_ID: 'alike-1',
  SESSION_STORE: 'disk',
  REDIS_PORT: 'six',
  DB_PRIMARY_PORT: '-1',
  COUNTER_SHARDS: 'many',
  GLOBAL_CONSISTENCY: 'sometimes',
};

/** Each pattern's Lambda handler and one path it serves (as the app sees it, without `/lambda`). */
const HANDLERS = [
  { pattern: 'sessions', module: 'sessions-handler', method: 'GET', path: '/session' },
  { pattern: 'cacheAside', module: 'cache-aside-handler', method: 'GET', path: '/profiles/p-1' },
  { pattern: 'readReplica', module: 'read-replica-handler', method: 'POST', path: '/notes' },
  { pattern: 'replicationLag', module: 'replication-lag-handler', method: 'GET', path: '/replication/lag' },
  { pattern: 'counters', module: 'counters-handler', method: 'POST', path: '/counters/c-1/hot' },
  { pattern: 'multiMaster', module: 'multi-master-handler', method: 'GET', path: '/items/i-1' },
] as const;

/** What must match across hosts: the status and the body without its per-request id. */
const comparable = (status: number, body: string) => {
  const { requestId, ...rest } = JSON.parse(body) as Record<string, unknown>;
  return { status, requestIdPresent: typeof requestId === 'string', ...rest };
};

describe('a pattern with invalid configuration', () => {
  it.each(HANDLERS)('answers 503 PatternNotConfigured alike on Lambda and in the container: $pattern', async ({ pattern, module, method, path }) => {
    // Prepare
    const invoke = await coldStart(`../../lambdas/handlers/${module}`, INVALID_ENV, module);
    const container = await buildContainerApp(readRuntimeConfig(INVALID_ENV));

    // Act
    const onLambda = await invoke(albEvent({ method, path: `/lambda${path}` }));
    const inContainer = await container.app.request(path, { method });

    // Assess
    const expected = {
      status: 503,
      requestIdPresent: true,
      error: 'PatternNotConfigured',
      message: `The ${pattern} pattern is not configured on this instance; see its start-up log`,
    };
    expect(comparable(onLambda.statusCode, onLambda.body ?? '')).toEqual(expected);
    expect(comparable(inContainer.status, await inContainer.text())).toEqual(expected);
    expect(container.patterns.unconfigured).toContain(pattern);
  });
});

describe('startContainerServer', () => {
  it('starts, answers 503 on an unconfigured pattern and 200 on the identity routes, and stops', async () => {
    // Prepare
    const port = await freePort();
    const server = await startContainerServer({ ...INVALID_ENV, PATTERN_TIER: 'fargate', PORT: String(port) });

    // Act
    const unconfigured = await fetch(`${server.url}/counters/c-1`);
    const health = await fetch(`${server.url}/healthz`);
    await server.close();

    // Assess
    expect(unconfigured.status).toBe(503);
    expect((await unconfigured.json()) as unknown).toMatchObject({ error: 'PatternNotConfigured' });
    expect(health.status).toBe(200);
    expect(await isPortOpen(port)).toBe(false);
  });
});
