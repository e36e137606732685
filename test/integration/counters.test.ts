/**
 * Independence vs coordination against a real PostgreSQL primary: concurrent increments of a hot
 * (single-row) counter and of a sharded counter, through the HTTP routes of two app instances.
 */
import type { Hono } from 'hono';
import { type CounterApps, startCounterApps } from '../fixtures/counters-apps';
import { DATABASE_PATHS, startDatabaseOnPath, type PathDatabase } from '../fixtures/database-paths';

const INCREMENTS = 200;
const SHARDS = 8;

interface Reading {
  hot: { total: number };
  sharded: { total: number; shards: Array<{ shard: number; value: number }> };
}

describe.each(DATABASE_PATHS)('counter routes on a real primary (%s)', (path) => {
  let database: PathDatabase;
  let instances: CounterApps;
  let apps: readonly Hono[];

  beforeAll(async () => {
    database = await startDatabaseOnPath(path, { replicas: 0 });
    // Two instances, each with its own pool, as two processes behind a load balancer would be.
    instances = await startCounterApps(database, { COUNTER_SHARDS: String(SHARDS) }, ['it-1', 'it-2']);
    apps = instances.apps;
  }, 60_000);

  afterAll(async () => {
    await instances?.close();
    await database?.stop();
  });

  const incrementAll = async (path: string) => {
    const statuses = await Promise.all(
      Array.from({ length: INCREMENTS }, async (_, i) => (await apps[i % apps.length].request(path, { method: 'POST' })).status),
    );
    expect(statuses.every((status) => status === 200)).toBe(true);
  };

  const read = async (name: string): Promise<Reading> => {
    const response = await apps[0].request(`/counters/${name}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Reading;
  };

  it('loses no update when every writer increments the same row', async () => {
    // Act
    await incrementAll('/counters/likes-hot/hot');

    // Assess
    const reading = await read('likes-hot');
    expect(reading.hot.total).toBe(INCREMENTS);
    expect(reading.sharded.total).toBe(0);
  });

  it('loses no update when writers spread over shards, and uses several shards', async () => {
    // Act
    await incrementAll('/counters/likes-sharded/sharded');

    // Assess
    const reading = await read('likes-sharded');
    expect(reading.sharded.total).toBe(INCREMENTS);
    expect(reading.hot.total).toBe(0);
    expect(reading.sharded.shards.length).toBeGreaterThan(1);
    expect(reading.sharded.shards.every((row) => row.shard >= 0 && row.shard < SHARDS)).toBe(true);
  });

  it('returns the hot total after each increment', async () => {
    // Act
    const first = await (await apps[0].request('/counters/solo/hot', { method: 'POST' })).json();
    const second = await (await apps[1].request('/counters/solo/hot', { method: 'POST' })).json();

    // Assess
    expect([first, second]).toEqual([
      { name: 'solo', kind: 'hot', value: 1 },
      { name: 'solo', kind: 'hot', value: 2 },
    ]);
  });

  it('reads a counter never incremented as zero and rejects a malformed name', async () => {
    // Act
    const unknown = await read('never-touched');
    const bad = await apps[0].request('/counters/bad.name/hot', { method: 'POST' });

    // Assess
    expect(unknown).toEqual({ name: 'never-touched', hot: { total: 0 }, sharded: { total: 0, shards: [] } });
    expect(bad.status).toBe(400);
  });
});
