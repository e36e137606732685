/**
 * Read-modify-write counters (COUNTER_WORK_MS > 0) against a real PostgreSQL primary: the row lock
 * is held across the worker's work, so concurrent increments of one row lose nothing and queue
 * behind each other, while increments of different rows overlap.
 */
import type { Hono } from 'hono';
import { type CounterApps, startCounterApps } from '../fixtures/counters-apps';
import { DATABASE_PATHS, startDatabaseOnPath, type PathDatabase } from '../fixtures/database-paths';

const WORK_MS = 30;
const WRITERS = 6;

interface Reading {
  hot: { total: number };
  sharded: { total: number };
}

describe.each(DATABASE_PATHS)('read-modify-write counter routes on a real primary (%s)', (path) => {
  let database: PathDatabase;
  let instances: CounterApps;
  let apps: readonly Hono[];

  beforeAll(async () => {
    database = await startDatabaseOnPath(path, { replicas: 0 });
    // Two instances (each pool holds 4 connections), so that all writers reach the database at once.
    instances = await startCounterApps(database, { COUNTER_SHARDS: '64', COUNTER_WORK_MS: String(WORK_MS) }, ['rmw-1', 'rmw-2']);
    apps = instances.apps;
    await apps[0].request('/counters/warm-up/hot', { method: 'POST' }); // first connections, outside the timed part
    await apps[1].request('/counters/warm-up/hot', { method: 'POST' });
  }, 60_000);

  afterAll(async () => {
    await instances?.close();
    await database?.stop();
  });

  /** Sends WRITERS increments at once, one per writer; returns their statuses and the wall time. */
  const burst = async (path: string) => {
    const started = performance.now();
    const statuses = await Promise.all(
      Array.from({ length: WRITERS }, async (_, i) => (await apps[i % apps.length].request(path, { method: 'POST' })).status),
    );
    return { statuses, ms: performance.now() - started };
  };

  const read = async (name: string): Promise<Reading> => (await (await apps[0].request(`/counters/${name}`)).json()) as Reading;

  it('loses no increment on the hot row, and the writers queue for the whole work', async () => {
    // Act
    const { statuses, ms } = await burst('/counters/rmw-hot/hot');

    // Assess
    expect(statuses).toEqual(Array(WRITERS).fill(200));
    expect((await read('rmw-hot')).hot.total).toBe(WRITERS);
    // Serialized critical sections: the last writer waited for all the others' work (a lower bound, not a speed check).
    expect(ms).toBeGreaterThanOrEqual(WRITERS * WORK_MS);
  });

  it('counts every increment exactly over the shards', async () => {
    // Act
    const rounds = await Promise.all([burst('/counters/rmw-sharded/sharded'), burst('/counters/rmw-sharded/sharded')]);

    // Assess
    expect(rounds.flatMap((r) => r.statuses)).toEqual(Array(2 * WRITERS).fill(200));
    expect(await read('rmw-sharded')).toMatchObject({ sharded: { total: 2 * WRITERS }, hot: { total: 0 } });
  });

  it('returns the value it wrote, read under the lock', async () => {
    // Act
    const first = await (await apps[0].request('/counters/rmw-solo/hot', { method: 'POST' })).json();
    const second = await (await apps[1].request('/counters/rmw-solo/hot', { method: 'POST' })).json();

    // Assess
    expect([first, second]).toEqual([
      { name: 'rmw-solo', kind: 'hot', value: 1 },
      { name: 'rmw-solo', kind: 'hot', value: 2 },
    ]);
  });
});
