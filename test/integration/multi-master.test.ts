/**
 * The multi-master pattern end to end: two regional apps (built in-process exactly as the Lambda
 * handler builds them) on two dynalite regions joined by the lab's global-table replicator.
 */
import type { Hono } from 'hono';
import { systemClock } from '../../lambdas/core/clock';
import { InstanceIdentity } from '../../lambdas/core/reverse-proxy-identity';
import { createPatternApp } from '../../lambdas/http/app';
import { buildMultiMasterRoutes } from '../../lambdas/wiring/multi-master-wiring';
import { createSharedClients, type SharedClients } from '../../lambdas/wiring/shared-clients';
import { type DynamoRegions, startDynamoRegions } from '../../harness/dynamo-regions';
import { createGlobalTable } from '../../harness/multi-master-setup';
import { type GlobalTableReplicator, startGlobalTableReplicator } from '../../harness/multi-master-replicator';
import { readRuntimeConfig } from '../../lambdas/config/runtime-sections';

const EAST = 'us-east-1';
const WEST = 'us-west-2';
/** Dummy credentials for the local engines; the endpoints are explicit, so nothing reaches AWS. */
const LOCAL_AWS_ENV = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_EC2_METADATA_DISABLED: 'true' };

type Apps = Record<string, Hono>;

describe('multi-master pattern on a replicated global table', () => {
  let regions: DynamoRegions;
  const replicators: Record<string, GlobalTableReplicator> = {};
  const shared: SharedClients[] = [];
  const savedEnv: Record<string, string | undefined> = {};
  let eventual: Apps;
  let strong: Apps;

  const buildApps = async (consistency: 'eventual' | 'strong', tableName: string, replicator: GlobalTableReplicator) => {
    const apps: Apps = {};
    for (const region of [EAST, WEST]) {
      const clients = createSharedClients(readRuntimeConfig({
        AWS_REGION: region,
        GLOBAL_TABLE_NAME: tableName,
        GLOBAL_CONSISTENCY: consistency,
        AWS_ENDPOINT_URL_DYNAMODB: replicator.endpoints[region],
      }));
      shared.push(clients);
      const identity = new InstanceIdentity({ tier: 'local', region, instanceId: `${consistency}-${region}` }, systemClock);
      apps[region] = createPatternApp(identity, [await buildMultiMasterRoutes(clients)]);
    }
    return apps;
  };

  const putItem = (app: Hono, id: string, body: unknown) =>
    app.request(`/items/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const getItem = async (app: Hono, id: string) => {
    const response = await app.request(`/items/${id}`);
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  /**
   * Holds replication (a delay no test step can outlast) while `act` runs, then delivers it:
   * "before replication" states are then certain, not a race against the delay.
   */
  const whileReplicationHeld = async <T>(replicator: GlobalTableReplicator, act: () => Promise<T>): Promise<T> => {
    replicator.setDelay(60_000);
    try {
      return await act();
    } finally {
      await replicator.flush();
      replicator.setDelay(300);
    }
  };

  beforeAll(async () => {
    for (const [name, value] of Object.entries(LOCAL_AWS_ENV)) {
      savedEnv[name] = process.env[name];
      process.env[name] = value;
    }
    regions = await startDynamoRegions([EAST, WEST]);
    await createGlobalTable(regions.endpoints, 'mm-eventual');
    await createGlobalTable(regions.endpoints, 'mm-strong');
    replicators.eventual = await startGlobalTableReplicator({ regions: regions.endpoints, tableName: 'mm-eventual', delayMs: 300 });
    replicators.strong = await startGlobalTableReplicator({
      regions: regions.endpoints,
      tableName: 'mm-strong',
      mode: 'strong',
      delayMs: 300,
    });
    eventual = await buildApps('eventual', 'mm-eventual', replicators.eventual);
    strong = await buildApps('strong', 'mm-strong', replicators.strong);
  });

  afterAll(async () => {
    await Promise.all(shared.map((clients) => clients.close()));
    await Promise.all(Object.values(replicators).map((replicator) => replicator.stop()));
    await regions?.stop();
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('makes a write in one region readable in the other after replication', async () => {
    // Act
    const { written, westBefore } = await whileReplicationHeld(replicators.eventual, async () => ({
      written: await putItem(eventual[EAST], 'greeting', { value: 'hello from east' }),
      westBefore: await getItem(eventual[WEST], 'greeting'),
    }));
    const westAfter = await getItem(eventual[WEST], 'greeting');
    // Assess
    expect(written.status).toBe(201);
    expect(westBefore.status).toBe(404);
    expect(westAfter.status).toBe(200);
    expect(westAfter.body).toMatchObject({
      item: { value: 'hello from east', version: 1, writerRegion: EAST },
      servedByRegion: WEST,
      consistency: 'eventual',
      conflict: { lost: false },
    });
  });

  it('replicates on its own after the delay', async () => {
    await putItem(eventual[EAST], 'unhurried', { value: 'v' });
    await replicators.eventual.waitIdle();
    expect((await getItem(eventual[WEST], 'unhurried')).body.item).toMatchObject({ value: 'v', writerRegion: EAST });
  });

  it('converges on one winner for concurrent writes and shows the loser its lost write', async () => {
    // Act: both regions write the same new item before either write is replicated.
    const [east, west] = await whileReplicationHeld(replicators.eventual, () =>
      Promise.all([putItem(eventual[EAST], 'race', { value: 'east value' }), putItem(eventual[WEST], 'race', { value: 'west value' })]),
    );
    const inEast = await getItem(eventual[EAST], 'race');
    const inWest = await getItem(eventual[WEST], 'race');
    // Assess: both accepted, both regions show the same item...
    expect([east.status, west.status]).toEqual([201, 201]);
    expect(inEast.body.item).toEqual(inWest.body.item);
    // ...and exactly the losing region reports that its write was lost.
    const winner = inEast.body.item.writerRegion as string;
    const loser = winner === EAST ? inWest : inEast;
    const winnerView = winner === EAST ? inEast : inWest;
    expect(winnerView.body.conflict).toEqual({ lost: false });
    expect(loser.body.conflict).toMatchObject({
      lost: true,
      ourWrite: { value: winner === EAST ? 'west value' : 'east value', version: 1 },
      winner: inEast.body.item,
    });
    expect(loser.body.conflict.message).toContain("another region's concurrent write won");
    expect(replicators.eventual.counters().conflictsResolved).toBeGreaterThanOrEqual(2);
  });

  it('does not report a conflict for a later update by another region built on our write', async () => {
    await putItem(eventual[EAST], 'handover', { value: 'v1 east' });
    await replicators.eventual.flush();
    const update = await putItem(eventual[WEST], 'handover', { value: 'v2 west', expectedVersion: 1 });
    await replicators.eventual.flush();
    const inEast = await getItem(eventual[EAST], 'handover');
    expect(update.status).toBe(200);
    expect(inEast.body).toMatchObject({ item: { value: 'v2 west', version: 2, writerRegion: WEST }, conflict: { lost: false } });
  });

  it('answers 409 on an optimistic-lock version mismatch and keeps the stored item', async () => {
    await putItem(eventual[EAST], 'locked', { value: 'a' });
    await putItem(eventual[EAST], 'locked', { value: 'b', expectedVersion: 1 });
    const stale = await putItem(eventual[EAST], 'locked', { value: 'c', expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: 'Conflict', reason: 'version-mismatch', expectedVersion: 1, currentVersion: 2 });
    expect((await getItem(eventual[EAST], 'locked')).body.item).toMatchObject({ value: 'b', version: 2 });
  });

  it('in strong mode refuses the second of two concurrent writes (409) and loses nothing', async () => {
    // Act: replication is held, so the first accepted write stays in flight until the refusal is in.
    const responses = await whileReplicationHeld(replicators.strong, async () => {
      const puts = [
        putItem(strong[EAST], 'strong-race', { value: 'east value' }),
        putItem(strong[WEST], 'strong-race', { value: 'west value' }),
      ];
      await Promise.race(puts);
      return puts;
    }).then((puts) => Promise.all(puts));
    // Assess: one accepted, one refused with a message that says so.
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, 409]);
    const accepted = responses.findIndex((response) => response.status === 201);
    const refusedBody = (await responses[1 - accepted].json()) as Record<string, unknown>;
    expect(refusedBody).toMatchObject({ error: 'Conflict', reason: 'replicated-write-conflict', refused: true, lost: false });
    expect(refusedBody.message).toMatch(/refused.*no write was lost/);
    // An accepted strong write is in every region once acknowledged.
    const inEast = await getItem(strong[EAST], 'strong-race');
    const inWest = await getItem(strong[WEST], 'strong-race');
    const acceptedValue = accepted === 0 ? 'east value' : 'west value';
    expect(inEast.body.item).toEqual(inWest.body.item);
    expect(inEast.body.item.value).toBe(acceptedValue);
    expect(inEast.body.conflict).toEqual({ lost: false });
    expect(inWest.body.conflict).toEqual({ lost: false });
    expect(replicators.strong.counters()).toMatchObject({ conflictsResolved: 0 });
    expect(replicators.strong.counters().refusedWrites).toBeGreaterThanOrEqual(1);
  });

  // Last: it stops west's engine.
  it('answers 503 when the region\'s DynamoDB is down', async () => {
    // Prepare
    await regions.stopRegion(WEST);
    // Act
    const read = await getItem(eventual[WEST], 'greeting');
    const write = await putItem(eventual[WEST], 'greeting', { value: 'nope' });
    // Assess
    expect(read.status).toBe(503);
    expect(read.body).toMatchObject({ error: 'EngineUnavailable', engine: 'dynamodb' });
    expect(write.status).toBe(503);
  }, 15_000);
});
