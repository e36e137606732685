import * as fs from 'node:fs';
import { Client } from 'pg';
import { postgresOsUser } from '../../harness/os-user';
import { startPostgresCluster, type PostgresCluster } from '../../harness/postgres-cluster';
import { pollUntil } from '../../harness/ports';
import { runningProcesses } from '../../harness/processes';

/** Row ids of table `t` on a node, in order. */
async function ids(cluster: PostgresCluster, node = cluster.primary): Promise<number[]> {
  const rows = await cluster.query<{ id: number }>('SELECT id FROM t ORDER BY id', [], node);
  return rows.map((r) => r.id);
}

async function insert(cluster: PostgresCluster, ...values: number[]): Promise<void> {
  for (const id of values) await cluster.query('INSERT INTO t (id) VALUES ($1)', [id]);
}

describe('PostgresCluster', () => {
  let cluster: PostgresCluster;

  beforeAll(async () => {
    cluster = await startPostgresCluster({ replicas: 2 });
    await cluster.query('CREATE TABLE t (id int PRIMARY KEY)');
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('exposes a primary and two replicas with distinct ports and app settings (as the app role)', () => {
    // Prepare / Act
    const env = cluster.appEnv();
    // Assess
    expect(cluster.primary.role).toBe('primary');
    expect(cluster.replicas.map((r) => r.role)).toEqual(['replica', 'replica']);
    expect(new Set([cluster.primary.port, ...cluster.replicas.map((r) => r.port)]).size).toBe(3);
    expect(env).toEqual({
      DB_PRIMARY_HOST: '127.0.0.1',
      DB_PRIMARY_PORT: String(cluster.primary.port),
      DB_REPLICAS: cluster.replicas.map((r) => `127.0.0.1:${r.port}`).join(','),
      DB_NAME: 'patterns',
      DB_USER: 'patterns_app',
      DB_PASSWORD: cluster.app.password,
      DB_SSL: 'off',
    });
    expect(cluster.appEnv('master')).toMatchObject({ DB_USER: cluster.user, DB_PASSWORD: cluster.password });
  });

  it('has run the migrations once at start: schema applied, app role created', async () => {
    // Prepare / Act
    const tables = await cluster.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 't' ORDER BY 1",
    );
    const roles = await cluster.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolname = 'patterns_app'");
    // Assess
    expect(tables.map((t) => t.name)).toEqual(['counters', 'notes', 'profiles', 'schema_migrations']);
    expect(roles).toHaveLength(1);
  });

  it('runs the postmasters as the postgres OS user when the harness is root', () => {
    // Prepare
    const expectedUid = postgresOsUser()?.uid ?? process.getuid?.();
    // Act
    const status = fs.readFileSync(`/proc/${cluster.primary.pid}/status`, 'utf8');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
    // Assess
    expect(uid).toBe(expectedUid);
    expect(fs.readFileSync(`/proc/${cluster.primary.pid}/cmdline`, 'utf8')).toContain('postgres');
  });

  it('makes a write on the primary readable on both replicas', async () => {
    // Prepare
    await insert(cluster, 1);
    // Act
    await cluster.waitForReplicaCatchUp(10_000);
    // Assess
    for (const replica of cluster.replicas) expect(await ids(cluster, replica)).toEqual([1]);
    for (const replica of cluster.replicas) expect(await cluster.replayLsnGap(replica)).toBe(0);
  });

  it('lags a replica with a replay delay and catches it up when the delay is removed', async () => {
    // Prepare
    const [delayed, prompt] = cluster.replicas;
    await cluster.setReplayDelay(60_000, [delayed]);
    // Act
    await insert(cluster, 2);
    await pollUntil(async () => (await ids(cluster, prompt)).includes(2), 10_000, 'prompt replica did not see row 2');
    const gapWhileDelayed = await cluster.replayLsnGap(delayed);
    const rowsWhileDelayed = await ids(cluster, delayed);
    await cluster.setReplayDelay(0, [delayed]);
    await cluster.waitForReplicaCatchUp(10_000);
    // Assess
    expect(gapWhileDelayed).toBeGreaterThan(0);
    expect(rowsWhileDelayed).toEqual([1]);
    expect(await ids(cluster, delayed)).toEqual([1, 2]);
    expect(await cluster.replayLsnGap(delayed)).toBe(0);
  });

  it('blocks a synchronous commit while its standby is down, and releases it when sync is turned off', async () => {
    // Prepare
    const [standby] = cluster.replicas;
    await cluster.setSynchronous(true, { standbys: [standby] });
    await insert(cluster, 3); // acknowledged while the standby is up
    await cluster.stopNode(standby);
    const client = new Client({ connectionString: cluster.connectionString(cluster.primary), query_timeout: 1500 });
    await client.connect();
    client.on('error', () => undefined);
    // Act: the server ignores statement_timeout while waiting for the standby; only the client can bound it
    const blocked = client.query('INSERT INTO t (id) VALUES (4)');
    await expect(blocked).rejects.toThrow(/timeout/i);
    const closing = client.end().catch(() => undefined);
    await cluster.setSynchronous(false);
    await closing;
    await cluster.startNode(standby);
    // Assess: the "failed" commit was written locally and becomes visible once released
    await pollUntil(async () => (await ids(cluster)).includes(4), 10_000, 'row 4 did not appear');
    expect(await ids(cluster)).toEqual([1, 2, 3, 4]);
    await cluster.waitForReplicaCatchUp(15_000);
    expect(await ids(cluster, cluster.replicas[0])).toEqual([1, 2, 3, 4]);
  }, 60_000);

  it('loses the commits made after WAL shipping froze when the primary crashes and a replica is promoted', async () => {
    // Prepare
    await cluster.waitForReplicaCatchUp(10_000);
    const [candidate, other] = cluster.replicas;
    const oldPrimaryPid = cluster.primary.pid;
    await cluster.freezeWalShipping();
    await insert(cluster, 5, 6); // acknowledged by the primary, never shipped
    // Act
    await cluster.killPrimary();
    const promoted = await cluster.promote(candidate);
    // Assess
    expect(runningProcesses().some((p) => p.pid === oldPrimaryPid)).toBe(false);
    expect(promoted).toMatchObject({ name: candidate.name, role: 'primary' });
    expect(cluster.primary.name).toBe(candidate.name);
    expect(cluster.replicas.map((r) => r.name)).toEqual([other.name]);
    expect(await ids(cluster)).toEqual([1, 2, 3, 4]);
    await insert(cluster, 7); // the new primary takes writes, and the other replica follows it
    await pollUntil(async () => (await ids(cluster, other)).includes(7), 15_000, 'the other replica did not follow');
    expect(await ids(cluster)).toEqual([1, 2, 3, 4, 7]);
    expect(await ids(cluster, other)).toEqual([1, 2, 3, 4, 7]);
  }, 60_000);

  it('stops every node and leaves no postmaster behind', async () => {
    // Prepare
    const pids = [cluster.primary.pid, ...cluster.replicas.map((r) => r.pid)];
    // Act
    await cluster.stop();
    // Assess
    const running = runningProcesses().map((p) => p.pid);
    expect(pids.filter((pid) => running.includes(pid))).toEqual([]);
  });
});

describe('startPostgresCluster options', () => {
  it('starts a durable cluster with a synchronous standby when asked', async () => {
    // Prepare
    const cluster = await startPostgresCluster({ replicas: 1, synchronous: true, durable: true, database: 'orders' });
    try {
      // Act
      const [fsync] = await cluster.query<{ fsync: string }>('SHOW fsync');
      const replication = await cluster.query<{ name: string; state: string }>(
        'SELECT application_name AS name, sync_state AS state FROM pg_stat_replication',
      );
      // Assess
      expect(fsync.fsync).toBe('on');
      expect(replication).toEqual([{ name: 'replica1', state: 'sync' }]);
      expect(cluster.connectionString(cluster.primary)).toBe(
        `postgres://postgres:${encodeURIComponent(cluster.password)}@127.0.0.1:${cluster.primary.port}/orders`,
      );
    } finally {
      await cluster.stop();
    }
  }, 60_000);

  it('rejects an invalid database name before starting anything', async () => {
    // Prepare / Act
    const attempt = startPostgresCluster({ database: 'Robert"); DROP' });
    // Assess
    await expect(attempt).rejects.toThrow('database="Robert\\\"); DROP": expected a lower-case SQL identifier');
  });
});
