/**
 * Truthful-error regressions, one `describe` per fixed defect: each test failed before its fix.
 * Unit level (no network): the app, the core and the adapters with fakes.
 */
import { Hono } from 'hono';
import type { ALBResult } from 'aws-lambda';
import { CacheAside, type Cache } from '../../lambdas/core/cache-aside';
import { ManualClock } from '../../lambdas/core/clock';
import { EngineUnavailableError } from '../../lambdas/core/errors';
import { InstanceIdentity } from '../../lambdas/core/reverse-proxy-identity';
import { ReadReplicaRouter } from '../../lambdas/core/read-replica-router';
import { SessionCookieCodec } from '../../lambdas/core/sessions-cookie-codec';
import { SessionService } from '../../lambdas/core/sessions';
import { CookieSessionStore } from '../../lambdas/adapters/sessions-cookie-store';
import { RedisSessionStore } from '../../lambdas/adapters/sessions-redis-store';
import { createRedisCache } from '../../lambdas/adapters/redis-cache';
import { isProfile } from '../../lambdas/adapters/pg-profiles-repository';
import { createPatternApp } from '../../lambdas/http/app';
import { lambdaHandler } from '../../lambdas/http/lambda-entry';
import { logger } from '../../lambdas/observability/logger';
import { multiMasterRoutes } from '../../lambdas/http/multi-master-routes';
import { readReplicaRoutes } from '../../lambdas/http/read-replica-routes';
import { albEvent, lambdaContext } from '../../toolkit/alb-event';
import { functionUrlEventOf } from '../../toolkit/function-url-event';
import { bodyOf, startSessionInstance } from '../fixtures/sessions-app';
import { FakeWal } from './replication-fakes';

const KEY = 'unit-test-signing-key-0123456789abcdef';
const identity = () => new InstanceIdentity({ tier: 'local', region: 'local', instanceId: 'u-1' }, new ManualClock());
const json = { 'content-type': 'application/json' };

function notesApp(writeNote: () => Promise<never> | Promise<{ note: { id: string }; lsn: bigint }> = async () => ({ note: { id: 'n1' }, lsn: 1n })) {
  return createPatternApp(identity(), [
    readReplicaRoutes({ writeNote, readNote: async (id) => ({ value: { id }, servedBy: 'replica-1', reason: 'replica' }) }),
    multiMasterRoutes({ store: { get: async () => ({}), put: async () => ({ item: { version: 1 } }) } as never }),
  ]);
}

describe('2. engine internals never reach a response; a request id ties it to the log', () => {
  it('answers a driver failure with the engine and kind, and logs the detail under the same request id', async () => {
    // Prepare
    const logged: Array<Record<string, unknown>> = [];
    const spy = jest.spyOn(logger, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args[1] as Record<string, unknown>);
    });
    const app = notesApp(async () => {
      throw new EngineUnavailableError('postgres', 'connect ECONNREFUSED 10.1.2.3:5432', { kind: 'unreachable' });
    });

    // Act
    const response = await app.request('/notes', { method: 'POST', headers: json, body: '{"text":"hi"}' });
    const text = await response.text();
    spy.mockRestore();

    // Assess
    expect(response.status).toBe(503);
    const body = JSON.parse(text);
    expect(body).toEqual({
      error: 'EngineUnavailable',
      message: 'postgres is unavailable (unreachable); retry later',
      engine: 'postgres',
      kind: 'unreachable',
      requestId: response.headers.get('x-request-id'),
    });
    expect(text).not.toMatch(/ECONNREFUSED|10\.1\.2\.3|5432/);
    expect(logged[0]).toMatchObject({ requestId: body.requestId, engine: 'postgres', kind: 'unreachable' });
  });

  it('puts a request id on every response, success and 404 alike, keeping a well-formed incoming one only', async () => {
    // Prepare
    const app = notesApp();

    // Act
    const ok = await app.request('/notes/n1');
    const missing = await app.request('/nowhere');
    const forged = await app.request('/notes/n1', { headers: { 'x-request-id': 'evil id {"level":"ERROR"}' } });
    const kept = await app.request('/notes/n1', { headers: { 'x-request-id': 'proxy-id-12345678' } });
    const keptWithDots = await app.request('/notes/n1', { headers: { 'x-request-id': 'proxy.id:1234-5678' } });
    // Hono's own check would keep these two; the project's rule does not (too short, '=' is no id character).
    const shortWord = await app.request('/notes/n1', { headers: { 'x-request-id': 'abc' } });
    const withEquals = await app.request('/notes/n1', { headers: { 'x-request-id': 'level=ERROR-xyz' } });

    // Assess
    expect(ok.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await bodyOf(missing)).requestId).toBe(missing.headers.get('x-request-id'));
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(kept.headers.get('x-request-id')).toBe('proxy-id-12345678');
    expect(keptWithDots.headers.get('x-request-id')).toBe('proxy.id:1234-5678');
    expect(shortWord.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(withEquals.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('3. out-of-range dates in stored sessions are no session, never a 500', () => {
  it('treats a Redis record with createdAt 1e300 as no session (a new one starts)', async () => {
    // Prepare
    const client = { get: async () => JSON.stringify({ createdAt: 1e300, visits: 3, cart: [], servedBy: [] }), set: async () => 'OK', del: async () => 1 };
    const service = new SessionService({ store: new RedisSessionStore({ client: client as never }), clock: new ManualClock(), instanceId: 'u-1', cookieName: 'sid', ttlSeconds: 60 });

    // Act
    const outcome = await service.visit('A'.repeat(22));

    // Assess
    expect(outcome.session).toMatchObject({ isNew: true, visits: 1 });
  });

  it.each([
    ['createdAt', { exp: Date.now() + 60_000, data: { createdAt: 1e300, visits: 1, cart: [], servedBy: [] } }],
    ['exp (far future)', { exp: 1e300, data: { createdAt: 0, visits: 1, cart: [], servedBy: [] } }],
    ['exp (far past)', { exp: -1e300, data: { createdAt: 0, visits: 1, cart: [], servedBy: [] } }],
  ])('refuses a validly signed cookie with an out-of-range %s as a 401, never a 500', async (_case, payload) => {
    // Prepare
    const clock = new ManualClock(Date.now());
    const codec = new SessionCookieCodec({ keys: [Buffer.from(KEY)], clock });
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const signed = `${body}.${require('node:crypto').createHmac('sha256', KEY).update(body).digest('base64url')}`;
    const service = new SessionService({ store: new CookieSessionStore({ signingKeys: [KEY], clock }), clock, instanceId: 'u-1', cookieName: 'sid', ttlSeconds: 60 });

    // Act
    const attempt = service.visit(signed);

    // Assess
    expect(codec).toBeDefined();
    await expect(attempt).rejects.toMatchObject({ code: 'InvalidSession' });
  });
});

describe('4. a cached value that fails the profile schema is a miss, and is overwritten', () => {
  it('serves a cached JSON null as a miss from the database and refills the entry', async () => {
    // Prepare
    const entries = new Map<string, string>([['profile:alice', 'null']]);
    const cache: Cache = {
      get: async (key) => entries.get(key),
      set: async (key, value) => void entries.set(key, value),
      del: async (key) => void entries.delete(key),
    };
    const profile = { id: 'alice', name: 'Alice', email: 'a@example.com', updatedAt: '2030-01-01T00:00:00.000Z' };
    const profiles = new CacheAside({ cache, keyPrefix: 'profile:', ttlSeconds: 60, clock: new ManualClock(), load: async () => profile, isValue: isProfile });

    // Act
    const read = await profiles.get('alice');

    // Assess
    expect(read).toMatchObject({ value: profile, cache: 'miss' });
    expect(JSON.parse(entries.get('profile:alice') ?? 'null')).toEqual(profile);
  });
});

describe('5. the Lambda path never routes on the Host header', () => {
  it('answers the event path even when Host carries a path', async () => {
    // Prepare
    const app = new Hono();
    app.get('/whoami', (c) => c.json({ path: c.req.path }));
    app.notFound((c) => c.json({ path: c.req.path }, 404));
    const handler = lambdaHandler(() => app);

    // Act
    const result = (await handler(albEvent({ path: '/lambda/whoami', headers: { host: 'evil.example/admin?x=' } }), lambdaContext())) as ALBResult;

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ path: '/whoami' });
  });
});

describe('6. a GET with a body is read as a GET, on both Lambda event shapes', () => {
  it.each([
    ['an ALB event', () => albEvent({ path: '/lambda/x', headers: { host: 'a.example', 'content-type': 'application/json' }, body: '{"a":1}' })],
    [
      'a Function URL event (the regional writers)',
      () => functionUrlEventOf({ method: 'GET', path: '/x', rawQuery: '', headers: [['host', 'a.example'], ['content-type', 'application/json']], body: '{"a":1}', isBase64Encoded: false, sourceIp: '127.0.0.1' }),
    ],
  ])('answers %s with the route, not a 500', async (_shape, event) => {
    // Prepare
    const app = new Hono();
    app.get('/x', (c) => c.json({ ok: true }));
    const handler = lambdaHandler(() => app);

    // Act
    const result = (await handler(event() as never, lambdaContext())) as { statusCode: number; body?: string };

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ ok: true });
  });
});

describe('7. a frozen primary does not slow replica reads; Redis sessions fail as fast as the cache', () => {
  it('routes a replica read within the probe budget while the primary never answers', async () => {
    // Prepare
    const clock = new ManualClock();
    const wal = new FakeWal(clock, ['replica-1']);
    wal.primaryLsn = () => new Promise(() => undefined); // frozen: never answers
    const router = new ReadReplicaRouter({ primary: { name: 'primary' }, replicas: [{ name: 'replica-1' }], wal, maxReplicaLagBytes: 1000, readYourWritesWaitMs: 50, clock, probeBudgetMs: 50 });
    const started = Date.now();

    // Act
    const chosen = await router.choose({});

    // Assess
    expect(chosen).toMatchObject({ node: { name: 'replica-1' }, reason: 'replica' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('serves a read from the primary when the chosen replica is silent past the read budget', async () => {
    // Prepare
    const clock = new ManualClock();
    const wal = new FakeWal(clock, ['replica-1']);
    const router = new ReadReplicaRouter({ primary: { name: 'primary' }, replicas: [{ name: 'replica-1' }], wal, maxReplicaLagBytes: 1000, readYourWritesWaitMs: 0, clock, replicaReadBudgetMs: 50 });

    // Act
    const read = await router.read({}, (node) => (node.name === 'primary' ? Promise.resolve('fresh') : new Promise<string>(() => undefined)));

    // Assess
    expect(read).toEqual({ value: 'fresh', servedBy: 'primary', reason: 'replica-failed' });
  });

  it('says read-your-writes could not be verified when no replica has the write and the primary is down', async () => {
    // Prepare
    const clock = new ManualClock();
    const wal = new FakeWal(clock, ['replica-1']);
    const router = new ReadReplicaRouter({ primary: { name: 'primary' }, replicas: [{ name: 'replica-1' }], wal, maxReplicaLagBytes: 1 << 20, readYourWritesWaitMs: 0, clock, sleep: async () => undefined });

    // Act
    const read = await router.read({ minLsn: 0x9999n }, async (node) => {
      if (node.name === 'primary') throw new EngineUnavailableError('postgres', 'frozen', { kind: 'timeout' });
      return 'old';
    });

    // Assess
    expect(read).toEqual({ value: 'old', servedBy: 'replica-1', reason: 'read-your-writes-unverified' });
  });

  it('fails a session command at once while Redis is disconnected, exactly like the cache', async () => {
    // Prepare
    let calls = 0;
    const client = { status: 'reconnecting', get: async () => (calls += 1, null), set: async () => 'OK', del: async () => 1 };
    const store = new RedisSessionStore({ client: client as never });
    const cache = createRedisCache(client as never);

    // Act
    const session = store.load('A'.repeat(22));
    const cached = cache.get('profile:x');

    // Assess
    await expect(session).rejects.toMatchObject({ engine: 'redis', kind: 'unreachable' });
    await expect(cached).rejects.toMatchObject({ engine: 'redis', kind: 'unreachable' });
    expect(calls).toBe(0);
  });
});

describe('8. every rejection names where, which field and the rule', () => {
  it.each([
    ['POST', '/notes', 'null', 'body: Invalid input: expected object, received null'],
    ['POST', '/notes', JSON.stringify({ text: 'x'.repeat(2001) }), 'body.text: Too big: expected string to have <=2000 characters'],
    ['POST', '/notes', JSON.stringify({ text: 'a\u0000b' }), 'body.text: must not contain NUL (U+0000)'],
    ['PUT', '/items/a', JSON.stringify({ value: 'v', expectedVersion: -1 }), 'body.expectedVersion: Too small: expected number to be >=0'],
    ['PUT', '/items/a', JSON.stringify({ value: 'v', expectedVersion: 1.5 }), 'body.expectedVersion: Invalid input: expected int, received number'],
    ['GET', '/notes/n1?consistency=bogus', undefined, 'query.consistency: Invalid option: expected one of "eventual"|"strong"'],
    ['GET', '/notes/a%20b', undefined, 'path.id: expected 1-64 characters of A-Z a-z 0-9 _ -'],
  ])('%s %s %s', async (method, path, body, issue) => {
    // Act
    const response = await notesApp().request(path, { method, headers: json, body });

    // Assess
    expect(response.status).toBe(400);
    expect((await bodyOf(response)).issues).toEqual([issue]);
  });

  it('sends x-session-strategy with the 413 of the body limit on session routes', async () => {
    // Prepare
    const { app } = await startSessionInstance({ SESSION_STORE: 'memory' }, 'u-1');

    // Act
    const response = await app.request('/session/cart', { method: 'POST', headers: { ...json, 'content-length': '20000' }, body: 'x'.repeat(20_000) });

    // Assess
    expect(response.status).toBe(413);
    expect(response.headers.get('x-session-strategy')).toBe('memory');
    expect(await bodyOf(response)).toMatchObject({ error: 'PayloadTooLarge', message: 'body: exceeds the limit of 16384 bytes' });
  });
});
