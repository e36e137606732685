/**
 * A log line about a request carries the same fields on both hosts
 * (`service`, `tier`, `instanceId`, `requestId`), and on Lambda the invocation's context too
 * (`function_request_id`, `cold_start`). The request here fails on a database that refuses
 * connections (port 1), which is logged with the details; no engine needed.
 */
import { albEvent } from '../../toolkit/alb-event';
import { coldStart } from '../fixtures/cold-start';
import { jsonLinesWrittenBy } from '../support/log-lines';

const UNREACHABLE_DB = { DB_PRIMARY_HOST: '127.0.0.1', DB_PRIMARY_PORT: '1', DB_USER: 'app', DB_PASSWORD: 'pw' };

describe('structured logs', () => {
  // The environment stays for the Lambda test, as in a Lambda (the database settings are read on first use).
  const lambdaEnv = { PATTERN_TIER: 'lambda', INSTANCE_ID: 'log-lambda-1', ...UNREACHABLE_DB };
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of Object.keys(lambdaEnv)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('carry the host, the request id and the Lambda context on a Lambda invocation', async () => {
    // Prepare
    Object.assign(process.env, lambdaEnv);
    const invoke = await coldStart('../../lambdas/handlers/read-replica-handler', lambdaEnv, 'notes-fn');

    // Act
    let status = 0;
    const lines = await jsonLinesWrittenBy(async () => {
      status = (await invoke(albEvent({ path: '/lambda/notes/1', headers: { 'x-request-id': 'req-lambda-0001' } }))).statusCode;
    });

    // Assess
    expect(status).toBe(503);
    expect(lines.find((line) => line.message === 'engine unavailable')).toMatchObject({
      service: 'scalability-patterns',
      tier: 'lambda',
      instanceId: 'log-lambda-1',
      requestId: 'req-lambda-0001',
      engine: 'postgres',
      function_name: 'notes-fn',
      function_request_id: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
      cold_start: false, // the fixture's first invocation was the cold one
    });
  });

  it('carry the same host and request fields in the container', async () => {
    // Prepare: loaded now, in the registry `coldStart` left current, so that the lazily required pg
    // adapter throws the same EngineUnavailableError class the app maps
    jest.resetModules();
    const { buildContainerApp } = require('../../lambdas/server/container-server') as typeof import('../../lambdas/server/container-server');
    const { readRuntimeConfig } = require('../../lambdas/config/runtime-sections') as typeof import('../../lambdas/config/runtime-sections');
    const container = await buildContainerApp(readRuntimeConfig({ PATTERN_TIER: 'fargate', INSTANCE_ID: 'log-fargate-1', ...UNREACHABLE_DB }));

    // Act
    const lines = await jsonLinesWrittenBy(() => container.app.request('/notes/1', { headers: { 'x-request-id': 'req-fargate-0001' } }));

    // Assess
    const line = lines.find((entry) => entry.message === 'engine unavailable');
    expect(line).toMatchObject({
      service: 'scalability-patterns',
      tier: 'fargate',
      instanceId: 'log-fargate-1',
      requestId: 'req-fargate-0001',
      engine: 'postgres',
    });
    expect(line).not.toHaveProperty('function_request_id');
    await container.clients.close();
  });
  it('carry the request id on every line of a request, the wiring\'s cache outage and the 503 alike', async () => {
    // Prepare: Redis and PostgreSQL both refuse connections (port 1)
    jest.resetModules();
    const { buildContainerApp } = require('../../lambdas/server/container-server') as typeof import('../../lambdas/server/container-server');
    const { readRuntimeConfig } = require('../../lambdas/config/runtime-sections') as typeof import('../../lambdas/config/runtime-sections');
    const env = { PATTERN_TIER: 'fargate', INSTANCE_ID: 'log-fargate-2', REDIS_HOST: '127.0.0.1', REDIS_PORT: '1', ...UNREACHABLE_DB };
    const container = await buildContainerApp(readRuntimeConfig(env));

    // Act
    let status = 0;
    const lines = await jsonLinesWrittenBy(async () => {
      status = (await container.app.request('/profiles/p1', { headers: { 'x-request-id': 'req-fargate-0002' } })).status;
    });

    // Assess
    expect(status).toBe(503);
    const logged = lines.filter((line) => 'level' in line); // not the EMF metric lines
    expect(logged.map((line) => line.message)).toEqual(expect.arrayContaining(['cache unavailable; serving from the database', 'engine unavailable']));
    for (const line of logged) expect(line).toMatchObject({ requestId: 'req-fargate-0002', instanceId: 'log-fargate-2' });
    await container.clients.close();
  });
});
