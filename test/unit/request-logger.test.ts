/**
 * Every line logged while a request is served names that request (`requestId`, the id its response
 * carries): the error mapping's lines (a 503 engine failure, a 500), and what a route rides through
 * (a cache outage, logged by the cache-aside wiring's report through the request's logger).
 */
import { CacheAside, type Cache } from '../../lambdas/core/cache-aside';
import { ManualClock } from '../../lambdas/core/clock';
import { EngineUnavailableError } from '../../lambdas/core/errors';
import { InstanceIdentity } from '../../lambdas/core/reverse-proxy-identity';
import { createPatternApp } from '../../lambdas/http/app';
import { cacheAsideRoutes } from '../../lambdas/http/cache-aside-routes';
import { readReplicaRoutes } from '../../lambdas/http/read-replica-routes';
import { loggerOf } from '../../lambdas/http/request-id';
import { requestLogger } from '../../lambdas/observability/request-logger';
import { jsonLinesWrittenBy } from '../support/log-lines';

/** The JSON log lines (not the EMF metric lines) written while `act` runs. */
async function logLinesOf(act: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  return (await jsonLinesWrittenBy(act)).filter((line) => 'level' in line);
}

const downCache: Cache = {
  get: async () => {
    throw new EngineUnavailableError('redis', 'connect ECONNREFUSED 127.0.0.1:6379', { kind: 'unreachable' });
  },
  set: async () => undefined,
  del: async () => {
    throw new EngineUnavailableError('redis', 'connect ECONNREFUSED 127.0.0.1:6379', { kind: 'unreachable' });
  },
};

function appUnderTest() {
  const identity = new InstanceIdentity({ tier: 'local', region: 'local', instanceId: 'log-1' }, new ManualClock());
  const profiles = new CacheAside<object>({ cache: downCache, keyPrefix: 'profile:', ttlSeconds: 60, load: async (id) => ({ id }), clock: new ManualClock() });
  // As the wiring does: the outage is reported through the logger of the request that met it.
  const report = (log: ReturnType<typeof loggerOf>) => (error: EngineUnavailableError) => log.warn('cache unavailable', { kind: error.kind });
  return createPatternApp(identity, [
    readReplicaRoutes({
      writeNote: async () => {
        throw new EngineUnavailableError('postgres', 'connect ECONNREFUSED 10.1.2.3:5432', { kind: 'unreachable' });
      },
      readNote: async () => {
        throw new Error('a bug');
      },
    }),
    cacheAsideRoutes({
      readProfile: (id, log) => profiles.get(id, report(log)),
      writeProfile: (id, fields, log) => profiles.update(id, async () => ({ profile: { id, ...fields }, created: false }), report(log)),
    }),
  ]);
}

describe('request logger', () => {
  const json = { 'content-type': 'application/json' };

  it.each([
    ['a 503 engine failure', 503, '/notes', { method: 'POST', body: '{"text":"hi"}' }, 'engine unavailable'],
    ['a 500 from a bug', 500, '/notes/n1', { method: 'GET' }, 'unhandled error'],
    ['a cache outage ridden through (read)', 200, '/profiles/p1', { method: 'GET' }, 'cache unavailable'],
    ['a cache outage ridden through (write)', 200, '/profiles/p1', { method: 'PUT', body: '{"name":"A","email":"a@b"}' }, 'cache unavailable'],
  ])('stamps every line of %s with the request id', async (_case, status, path, init, message) => {
    // Prepare
    const app = appUnderTest();
    const requestId = 'req-unit-00000001';
    let response: Response | undefined;

    // Act
    const lines = await logLinesOf(async () => {
      response = await app.request(path, { ...init, headers: { ...json, 'x-request-id': requestId } });
    });

    // Assess
    expect(response?.status).toBe(status);
    expect(response?.headers.get('x-request-id')).toBe(requestId);
    expect(lines.map((line) => line.message)).toContain(message);
    for (const line of lines) expect(line).toMatchObject({ requestId, instanceId: 'log-1' });
  });

  it('keeps the id last, so a field cannot pass for another request', async () => {
    const lines = await logLinesOf(async () => requestLogger('req-unit-00000002').warn('spoof', { requestId: 'other' }));
    expect(lines).toEqual([expect.objectContaining({ message: 'spoof', requestId: 'req-unit-00000002' })]);
  });
});
