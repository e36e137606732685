/**
 * Cache-aside against real engines: Redis in front of a PostgreSQL primary, through the HTTP
 * routes; then Redis killed (reads bypass the cache) and restarted (caching resumes).
 */
import type { Hono } from 'hono';
import Redis from 'ioredis';
import { ManualClock } from '../../lambdas/core/clock';
import { InstanceIdentity } from '../../lambdas/core/reverse-proxy-identity';
import { createPatternApp } from '../../lambdas/http/app';
import { buildCacheAsideRoutes } from '../../lambdas/wiring/cache-aside-wiring';
import { createSharedClients, type SharedClients } from '../../lambdas/wiring/shared-clients';
import { startRedis, type RedisEngine } from '../../harness/redis-engine';
import { DATABASE_PATHS, startDatabaseOnPath, type PathDatabase } from '../fixtures/database-paths';
import { readRuntimeConfig } from '../../lambdas/config/runtime-sections';

const TTL_SECONDS = 30;

interface ProfileBody {
  profile?: { id: string; name: string; email: string; updatedAt: string };
  cache?: string;
  elapsedMs?: number;
  created?: boolean;
  invalidated?: boolean;
  error?: string;
}

describe.each(DATABASE_PATHS)('cache-aside routes on real Redis + PostgreSQL (primary path: %s)', (path) => {
  let database: PathDatabase;
  let redis: RedisEngine;
  let clients: SharedClients;
  let inspector: Redis;
  let app: Hono;

  beforeAll(async () => {
    [database, redis] = await Promise.all([startDatabaseOnPath(path, { replicas: 0 }), startRedis()]);
    clients = createSharedClients(readRuntimeConfig({ ...database.appEnv(), ...redis.appEnv(), CACHE_TTL_SECONDS: String(TTL_SECONDS) }));
    const identity = new InstanceIdentity({ tier: 'local', region: 'local', instanceId: 'it-1' }, new ManualClock());
    app = createPatternApp(identity, [await buildCacheAsideRoutes(clients)]);
    inspector = new Redis({ host: redis.host, port: redis.port, lazyConnect: true, maxRetriesPerRequest: 1 });
  }, 60_000);

  afterAll(async () => {
    inspector?.disconnect();
    await clients?.close();
    await Promise.allSettled([database?.stop(), redis?.stop()]);
  });

  const put = async (id: string, body: unknown) => {
    const response = await app.request(`/profiles/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as ProfileBody };
  };

  const get = async (id: string) => {
    const response = await app.request(`/profiles/${id}`);
    return { status: response.status, body: (await response.json()) as ProfileBody };
  };

  it('misses first, then hits, with the entry stored under profile:<id> with the TTL', async () => {
    // Prepare
    const created = await put('alice', { name: 'Alice', email: 'alice@example.com' });

    // Act
    const first = await get('alice');
    const second = await get('alice');

    // Assess
    expect(created).toMatchObject({ status: 201, body: { created: true, invalidated: true } });
    expect(first).toMatchObject({ status: 200, body: { cache: 'miss', profile: { name: 'Alice' } } });
    expect(second).toMatchObject({ status: 200, body: { cache: 'hit', profile: first.body.profile } });
    expect(typeof second.body.elapsedMs).toBe('number');
    const ttl = await inspector.ttl('profile:alice');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TTL_SECONDS);
  });

  it('invalidates on write: the next read misses and returns the new value', async () => {
    // Prepare
    await get('alice'); // cached

    // Act
    const updated = await put('alice', { name: 'Alice B.', email: 'alice@example.com' });
    const afterWrite = await get('alice');
    const again = await get('alice');

    // Assess
    expect(updated).toMatchObject({ status: 200, body: { created: false, invalidated: true } });
    expect(afterWrite.body).toMatchObject({ cache: 'miss', profile: { name: 'Alice B.' } });
    expect(again.body).toMatchObject({ cache: 'hit', profile: { name: 'Alice B.' } });
  });

  it('answers 404 for an unknown id and caches nothing for it', async () => {
    // Act
    const response = await get('nobody');

    // Assess
    expect(response).toMatchObject({ status: 404, body: { error: 'NotFound' } });
    expect(await inspector.exists('profile:nobody')).toBe(0);
  });

  it.each([
    ['an unknown field', { name: 'A', email: 'a@example.com', admin: true }],
    ['a missing field', { name: 'A' }],
    ['a malformed email', { name: 'A', email: 'not-an-email' }],
  ])('rejects a body with %s', async (_, body) => {
    // Act & Assess
    expect((await put('alice', body)).status).toBe(400);
  });

  describe('with Redis down', () => {
    beforeAll(async () => {
      inspector.disconnect();
      await redis.kill();
    });

    it('serves reads from the database, saying bypass', async () => {
      // Act
      const read = await get('alice');

      // Assess
      expect(read).toMatchObject({ status: 200, body: { cache: 'bypass', profile: { name: 'Alice B.' } } });
    });

    it('still accepts writes, reporting that nothing was invalidated', async () => {
      // Act
      const written = await put('alice', { name: 'Alice C.', email: 'alice@example.com' });
      const read = await get('alice');

      // Assess
      expect(written).toMatchObject({ status: 200, body: { invalidated: false, profile: { name: 'Alice C.' } } });
      expect(read.body).toMatchObject({ cache: 'bypass', profile: { name: 'Alice C.' } });
    });

    it('caches again once Redis is back', async () => {
      // Prepare
      await redis.restart();

      // Act: the client reconnects on its own; poll with a bound
      let outcome: string | undefined;
      for (let attempt = 0; attempt < 50 && outcome !== 'hit'; attempt += 1) {
        outcome = (await get('alice')).body.cache;
        if (outcome !== 'hit') await new Promise((resolve) => setTimeout(resolve, 100));
      }

      // Assess
      expect(outcome).toBe('hit');
    });
  });
});
