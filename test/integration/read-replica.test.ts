/**
 * Read/write splitting, read-your-writes and the replication-lag probe against a real PostgreSQL
 * primary with two streaming replicas (harness), driven through the HTTP routes.
 */
import type { Hono } from 'hono';
import { ManualClock } from '../../lambdas/core/clock';
import { InstanceIdentity } from '../../lambdas/core/reverse-proxy-identity';
import { createPatternApp } from '../../lambdas/http/app';
import { buildReadReplicaRoutes } from '../../lambdas/wiring/read-replica-wiring';
import { buildReplicationLagRoutes } from '../../lambdas/wiring/replication-lag-wiring';
import { createSharedClients, type SharedClients } from '../../lambdas/wiring/shared-clients';
import type { PostgresCluster } from '../../harness/postgres-cluster';
import { DATABASE_PATHS, startDatabaseOnPath, type PathDatabase } from '../fixtures/database-paths';
import { readRuntimeConfig } from '../../lambdas/config/runtime-sections';

const REPLAY_DELAY_MS = 2000;

interface LagBody {
  primary: { reachable: boolean; lsn?: string };
  replicas: Array<{ name: string; reachable: boolean; lagBytes?: number | null; lagMs?: number | null; replayLsn?: string }>;
}

describe.each(DATABASE_PATHS)('read-replica routes on a real primary + 2 replicas (primary path: %s)', (path) => {
  let database: PathDatabase;
  let cluster: PostgresCluster;
  const clientSets: SharedClients[] = [];

  /** An app over the cluster; each gets its own clients, as a separate process would. */
  const appWith = async (extraEnv: Record<string, string> = {}): Promise<Hono> => {
    const clients = createSharedClients(readRuntimeConfig({ ...database.appEnv(), ...extraEnv }));
    clientSets.push(clients);
    const identity = new InstanceIdentity({ tier: 'local', region: 'local', instanceId: 'it-1' }, new ManualClock());
    return createPatternApp(identity, [
      await buildReadReplicaRoutes(clients, { statusTtlMs: 100 }),
      await buildReplicationLagRoutes(clients),
    ]);
  };

  const writeNote = async (app: Hono, text: string) => {
    const response = await app.request('/notes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    expect(response.status).toBe(201);
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
    return { ...((await response.json()) as { id: string; lsn: string; servedBy: string }), cookie };
  };

  const readNote = async (app: Hono, id: string, init: { cookie?: string; query?: string } = {}) => {
    const response = await app.request(`/notes/${id}${init.query ?? ''}`, {
      headers: init.cookie === undefined ? {} : { cookie: init.cookie },
    });
    return { status: response.status, body: (await response.json()) as { servedBy: string; reason: string; note?: { text: string } } };
  };

  const lag = async (app: Hono) => {
    const response = await app.request('/replication/lag');
    expect(response.status).toBe(200);
    return (await response.json()) as LagBody;
  };

  let app: Hono;

  beforeAll(async () => {
    database = await startDatabaseOnPath(path, { replicas: 2 });
    cluster = database.cluster;
    app = await appWith({ DB_READ_YOUR_WRITES_WAIT_MS: '300' });
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(clientSets.map((clients) => clients.close()));
    await database?.stop();
  });

  it('writes on the primary and spreads reads over both replicas', async () => {
    // Prepare
    const written = await writeNote(app, 'first');
    await cluster.waitForReplicaCatchUp();

    // Act
    const reads = [];
    for (let i = 0; i < 4; i += 1) reads.push(await readNote(app, written.id));

    // Assess
    expect(written.servedBy).toBe('primary');
    expect(written.lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(reads.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(reads.every((r) => r.body.reason === 'replica' && r.body.note?.text === 'first')).toBe(true);
    expect(new Set(reads.map((r) => r.body.servedBy))).toEqual(new Set(['replica-1', 'replica-2']));
  });

  it('reports caught-up replicas as reachable with no lag', async () => {
    // Prepare
    await cluster.waitForReplicaCatchUp();

    // Act
    const body = await lag(app);

    // Assess
    expect(body.primary.reachable).toBe(true);
    expect(body.replicas).toEqual([
      expect.objectContaining({ name: 'replica-1', reachable: true, lagBytes: 0, lagMs: 0 }),
      expect.objectContaining({ name: 'replica-2', reachable: true, lagBytes: 0, lagMs: 0 }),
    ]);
  });

  it('sends strong reads to the primary', async () => {
    // Prepare
    const written = await writeNote(app, 'strong');

    // Act
    const read = await readNote(app, written.id, { query: '?consistency=strong' });

    // Assess
    expect(read).toMatchObject({ status: 200, body: { servedBy: 'primary', reason: 'strong-consistency' } });
  });

  describe(`with replay delayed by ${REPLAY_DELAY_MS} ms`, () => {
    beforeAll(async () => {
      await cluster.setReplayDelay(REPLAY_DELAY_MS);
    });

    afterAll(async () => {
      await cluster.setReplayDelay(0);
      await cluster.waitForReplicaCatchUp();
    });

    it('serves a stale read from a lagging replica without the cookie, and the write with it', async () => {
      // Prepare
      const written = await writeNote(app, 'fresh');

      // Act
      const withoutCookie = await readNote(app, written.id);
      const withCookie = await readNote(app, written.id, { cookie: written.cookie });

      // Assess
      expect(withoutCookie.status).toBe(404);
      expect(withoutCookie.body).toMatchObject({ reason: 'replica', servedBy: expect.stringMatching(/^replica-\d$/) });
      expect(withCookie).toMatchObject({
        status: 200,
        body: { servedBy: 'primary', reason: 'read-your-writes-fallback', note: { text: 'fresh' } },
      });
    });

    it('reports lag in bytes while replay is held back', async () => {
      // Prepare
      await writeNote(app, 'lagging');

      // Act
      const body = await lag(app);

      // Assess: both replicas reported (a loop over none would pass), each reachable and behind
      expect(body.replicas.map((r) => r.name)).toEqual(['replica-1', 'replica-2']);
      for (const replica of body.replicas) {
        expect(replica.reachable).toBe(true);
        expect(replica.lagBytes).toBeGreaterThan(0);
      }
    });

    it('reads from a replica once it has replayed the write, when the wait allows it', async () => {
      // Prepare: a second instance that waits longer than the replay delay
      const patient = await appWith({ DB_READ_YOUR_WRITES_WAIT_MS: String(REPLAY_DELAY_MS + 3000) });
      const written = await writeNote(patient, 'worth the wait');

      // Act
      const read = await readNote(patient, written.id, { cookie: written.cookie });

      // Assess
      expect(read).toMatchObject({
        status: 200,
        body: { reason: 'caught-up-replica', servedBy: expect.stringMatching(/^replica-\d$/), note: { text: 'worth the wait' } },
      });
    }, 15_000);
  });

  describe('with both replicas stopped', () => {
    beforeAll(async () => {
      for (const replica of cluster.replicas) await cluster.stopNode(replica, 'immediate');
    }, 30_000);

    it('serves reads from the primary', async () => {
      // Prepare
      const written = await writeNote(app, 'alone');

      // Act
      const reads = [await readNote(app, written.id), await readNote(app, written.id)];

      // Assess
      for (const read of reads) {
        expect(read.status).toBe(200);
        expect(read.body.servedBy).toBe('primary');
        expect(['no-healthy-replica', 'replica-failed']).toContain(read.body.reason);
      }
    });

    it('reports the replicas as unreachable without failing the probe', async () => {
      // Act
      const body = await lag(app);

      // Assess
      expect(body.primary.reachable).toBe(true);
      expect(body.replicas.map((r) => [r.name, r.reachable])).toEqual([
        ['replica-1', false],
        ['replica-2', false],
      ]);
    });
  });
});
