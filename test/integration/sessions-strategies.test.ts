/**
 * The three session strategies against a real redis-server, with two in-process instances of the
 * app (separate identity, clients and wiring, as two servers behind a load balancer would have).
 * A client that switches instances keeps its session only with stateless replication.
 */
import Redis from 'ioredis';
import { startRedis, type RedisEngine } from '../../harness/redis-engine';
import { logger } from '../../lambdas/observability/logger';
import {
  bodyOf,
  cookieOf,
  getSession,
  postCart,
  startSessionInstance,
  type SessionAppInstance,
} from '../fixtures/sessions-app';

const SIGNING_KEY = 'integration-signing-key-0123456789abcdef';
const TTL_SECONDS = 300;

/** Polls `probe` until it returns true, at most `timeoutMs`; fails with `what` otherwise. */
async function eventually(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

/** Rejects if `promise` has not settled after `ms`: turns a hang into a clear failure. */
function withinBound<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} still pending after ${ms} ms: it hangs`)), ms);
  });
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}

describe('session strategies across two instances', () => {
  let redis: RedisEngine;
  let inspector: Redis;
  const instances: SessionAppInstance[] = [];

  async function pair(env: Record<string, string>): Promise<[SessionAppInstance, SessionAppInstance]> {
    const full = { SESSION_TTL_SECONDS: String(TTL_SECONDS), ...env };
    const built = await Promise.all([
      startSessionInstance(full, 'instance-a'),
      startSessionInstance(full, 'instance-b'),
    ]);
    instances.push(...built);
    return [built[0], built[1]];
  }

  beforeAll(async () => {
    redis = await startRedis();
    inspector = new Redis({ host: redis.host, port: redis.port, lazyConnect: true, maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    await Promise.allSettled(instances.map((instance) => instance.clients.close()));
    inspector?.disconnect();
    await redis?.stop();
  });

  describe('redis (stateless, shared store)', () => {
    let a: SessionAppInstance;
    let b: SessionAppInstance;

    beforeAll(async () => {
      [a, b] = await pair({ SESSION_STORE: 'redis', ...redis.appEnv() });
    });

    it('keeps the session when the client switches from instance A to instance B', async () => {
      // Prepare
      const first = await getSession(a.app);
      const cookie = cookieOf(first);

      // Act
      const second = await getSession(b.app, cookie);

      // Assess
      const created = await bodyOf(first);
      const switched = await bodyOf(second);
      expect(created).toMatchObject({ strategy: 'redis', instanceId: 'instance-a', isNew: true, visits: 1 });
      expect(switched).toMatchObject({
        strategy: 'redis',
        instanceId: 'instance-b',
        visitorTag: created.visitorTag,
        isNew: false,
        visits: 2,
        servedBy: ['instance-a', 'instance-b'],
      });
      expect(switched).not.toHaveProperty('sessionId');
      expect(second.headers.get('x-served-by')).toBe('instance-b');
    });

    it('stores the session under session:<id> with a TTL that each save renews', async () => {
      // Prepare
      const cookie = cookieOf(await getSession(a.app));
      const key = `session:${cookie.slice('sid='.length)}`;
      await inspector.expire(key, 5);

      // Act
      await postCart(b.app, cookie, { sku: 'A-1', quantity: 2 });

      // Assess
      const stored = JSON.parse((await inspector.get(key)) ?? 'null');
      expect(stored).toMatchObject({ visits: 1, cart: [{ sku: 'A-1', quantity: 2 }] });
      const ttl = await inspector.ttl(key);
      expect(ttl).toBeGreaterThan(5);
      expect(ttl).toBeLessThanOrEqual(TTL_SECONDS);
    });

    it('shares the cart and ends the session for every instance', async () => {
      // Prepare
      const cookie = cookieOf(await getSession(a.app));
      await postCart(b.app, cookie, { sku: 'B-7', quantity: 3 });

      // Act
      const seenOnA = await bodyOf(await getSession(a.app, cookie));
      const ended = await a.app.request('/session', { method: 'DELETE', headers: { cookie } });
      const afterEnd = await bodyOf(await getSession(b.app, cookie));

      // Assess
      expect(seenOnA.cart).toEqual([{ sku: 'B-7', quantity: 3 }]);
      expect(await bodyOf(ended)).toEqual({ strategy: 'redis', instanceId: 'instance-a', ended: true });
      expect(await inspector.exists(`session:${cookie.slice('sid='.length)}`)).toBe(0);
      expect(afterEnd).toMatchObject({ isNew: true, visits: 1 });
      expect(afterEnd.visitorTag).not.toBe(seenOnA.visitorTag);
    });

    it('answers 503 EngineUnavailable promptly while Redis is down, and recovers after a restart', async () => {
      // Prepare
      const cookie = cookieOf(await getSession(a.app));
      const logged = jest.spyOn(logger, 'error').mockImplementation(() => undefined);

      try {
        // Act
        await redis.kill();
        const during = await withinBound(getSession(b.app, cookie), 5000, 'GET /session with Redis down');
        await redis.restart();
        await eventually('a 200 from instance B after the Redis restart', 10_000, async () => {
          return (await getSession(b.app)).status === 200;
        });
        const after = await getSession(a.app, cookie);

        // Assess
        expect(during.status).toBe(503);
        expect(await bodyOf(during)).toMatchObject({ error: 'EngineUnavailable', engine: 'redis' });
        expect(during.headers.get('x-served-by')).toBe('instance-b');
        expect(during.headers.get('x-session-strategy')).toBe('redis');
        // Redis kept nothing across the restart: the old id is simply a new session, not an error.
        expect(after.status).toBe(200);
        expect(await bodyOf(after)).toMatchObject({ isNew: true, visits: 1 });
      } finally {
        logged.mockRestore();
      }
    });
  });

  describe('memory (stateful, needs sticky routing)', () => {
    let a: SessionAppInstance;
    let b: SessionAppInstance;

    beforeAll(async () => {
      [a, b] = await pair({ SESSION_STORE: 'memory' });
    });

    it('loses the session when the client switches instances, and keeps it on the original one', async () => {
      // Prepare
      const first = await getSession(a.app);
      const cookie = cookieOf(first);
      const created = await bodyOf(first);

      // Act
      const onB = await bodyOf(await getSession(b.app, cookie));
      const backOnA = await bodyOf(await getSession(a.app, cookie));

      // Assess
      expect(onB).toMatchObject({ strategy: 'memory', instanceId: 'instance-b', isNew: true, visits: 1 });
      expect(onB.visitorTag).not.toBe(created.visitorTag);
      expect(backOnA).toMatchObject({
        instanceId: 'instance-a',
        visitorTag: created.visitorTag,
        isNew: false,
        visits: 2,
      });
    });

    it('holds sessions only in the instance that created them', async () => {
      // Prepare
      const [c, d] = await pair({ SESSION_STORE: 'memory', PATTERN_LAB_MODE: '1' });
      await getSession(c.app);
      await getSession(c.app);

      // Act
      const statsC = await bodyOf(await c.app.request('/session/stats'));
      const statsD = await bodyOf(await d.app.request('/session/stats'));

      // Assess
      expect(statsC.held.sessions).toBe(2);
      expect(statsC.held.approxBytes).toBeGreaterThan(0);
      expect(statsD.held).toEqual({ sessions: 0, approxBytes: 0 });
    });
  });

  describe('cookie (stateless, the session travels signed in the cookie)', () => {
    let a: SessionAppInstance;
    let b: SessionAppInstance;

    beforeAll(async () => {
      [a, b] = await pair({ SESSION_STORE: 'cookie', SESSION_SIGNING_KEY: SIGNING_KEY });
    });

    it('keeps the session when the client switches instances, without any shared store', async () => {
      // Prepare
      const first = await getSession(a.app);
      const cart = await postCart(a.app, cookieOf(first), { sku: 'C-3', quantity: 1 });

      // Act
      const onB = await bodyOf(await getSession(b.app, cookieOf(cart)));

      // Assess
      expect(onB).toMatchObject({
        strategy: 'cookie',
        instanceId: 'instance-b',
        isNew: false,
        visits: 2,
        cart: [{ sku: 'C-3', quantity: 1 }],
        servedBy: ['instance-a', 'instance-b'],
      });
      expect(onB).not.toHaveProperty('sessionId');
    });

    it('rejects a tampered cookie with 401 and clears it', async () => {
      // Prepare: raise the visit count inside the payload without re-signing.
      const cookie = cookieOf(await getSession(a.app));
      const [payload, signature] = cookie.slice('sid='.length).split('.');
      const forged = JSON.parse(Buffer.from(payload, 'base64url').toString());
      forged.data.visits = 1000;
      const tampered = `sid=${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;

      // Act
      const response = await getSession(b.app, tampered);

      // Assess
      expect(response.status).toBe(401);
      expect(await bodyOf(response)).toEqual({
        error: 'InvalidSession',
        message:
          'Session cookie signature does not match: it was altered or signed with another key; it was cleared, start a new session',
        requestId: response.headers.get('x-request-id'),
      });
      // Cleared with the attributes it was set with: no Secure on a plain HTTP request.
      expect(response.headers.get('set-cookie')).toBe('sid=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax');
    });

    it('rejects a cookie signed by an instance with another key', async () => {
      // Prepare
      const [other] = await pair({ SESSION_STORE: 'cookie', SESSION_SIGNING_KEY: `${SIGNING_KEY}-other` });
      const cookie = cookieOf(await getSession(other.app));

      // Act
      const response = await getSession(a.app, cookie);

      // Assess
      expect(response.status).toBe(401);
    });
  });
});
