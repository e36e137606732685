/**
 * The lab's global-table replicator against two real dynalite "regions": replication with a
 * delay, last-writer-wins convergence, strong-mode refusal, and request pass-through.
 */
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type DynamoRegions, startDynamoRegions } from '../../harness/dynamo-regions';
import { createGlobalTable, labDynamoClient } from '../../harness/multi-master-setup';
import { type GlobalTableReplicator, startGlobalTableReplicator } from '../../harness/multi-master-replicator';
import { pollUntil } from '../../harness/ports';

const EAST = 'us-east-1';
const WEST = 'us-west-2';
const DELAY_MS = 300;

describe('GlobalTableReplicator', () => {
  let regions: DynamoRegions;
  let eventual: GlobalTableReplicator;
  let strong: GlobalTableReplicator;
  const clients: DynamoDBClient[] = [];

  /** A client of one region, through the replicator's proxy for that region. */
  const clientFor = (replicator: GlobalTableReplicator, region: string): DynamoDBClient => {
    const client = labDynamoClient(region, replicator.endpoints[region]);
    clients.push(client);
    return client;
  };
  const key = (id: string) => ({ pk: { S: id }, sk: { S: 'item' } });
  const put = (client: DynamoDBClient, table: string, id: string, value: string) =>
    client.send(new PutItemCommand({ TableName: table, Item: { ...key(id), value: { S: value } } }));
  const valueIn = async (client: DynamoDBClient, table: string, id: string) =>
    (await client.send(new GetItemCommand({ TableName: table, Key: key(id), ConsistentRead: true }))).Item?.value?.S;

  beforeAll(async () => {
    regions = await startDynamoRegions([EAST, WEST]);
    await createGlobalTable(regions.endpoints, 'replicated-eventual');
    await createGlobalTable(regions.endpoints, 'replicated-strong');
    eventual = await startGlobalTableReplicator({ regions: regions.endpoints, tableName: 'replicated-eventual', delayMs: DELAY_MS });
    strong = await startGlobalTableReplicator({
      regions: regions.endpoints,
      tableName: 'replicated-strong',
      mode: 'strong',
      delayMs: DELAY_MS,
    });
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await eventual?.stop();
    await strong?.stop();
    await regions?.stop();
  });

  it('ships a write to the other region only after the delay', async () => {
    // Prepare: a delay long enough that the check below cannot race it.
    const east = clientFor(eventual, EAST);
    const west = clientFor(eventual, WEST);
    const before = eventual.counters().replicated;
    eventual.setDelay(60_000);
    // Act
    await put(east, 'replicated-eventual', 'r1', 'hello');
    const westBefore = await valueIn(west, 'replicated-eventual', 'r1');
    const inFlight = eventual.inFlightWrites();
    await eventual.flush();
    eventual.setDelay(DELAY_MS);
    // Assess
    expect(westBefore).toBeUndefined();
    expect(inFlight).toBe(1);
    expect(await valueIn(west, 'replicated-eventual', 'r1')).toBe('hello');
    expect(eventual.counters().replicated).toBe(before + 1);
    expect(eventual.inFlightWrites()).toBe(0);
  });

  it('applies a write after the delay on its own (waitIdle)', async () => {
    const east = clientFor(eventual, EAST);
    const west = clientFor(eventual, WEST);
    await put(east, 'replicated-eventual', 'r0', 'later');
    await eventual.waitIdle();
    expect(await valueIn(west, 'replicated-eventual', 'r0')).toBe('later');
  });

  it('replicates the whole item after an UpdateItem, and a DeleteItem', async () => {
    const east = clientFor(eventual, EAST);
    const west = clientFor(eventual, WEST);
    await put(east, 'replicated-eventual', 'r2', 'v1');
    await east.send(
      new UpdateItemCommand({
        TableName: 'replicated-eventual',
        Key: key('r2'),
        UpdateExpression: 'SET extra = :e',
        ExpressionAttributeValues: { ':e': { S: 'added' } },
      }),
    );
    await eventual.flush();
    const replicated = (await west.send(new GetItemCommand({ TableName: 'replicated-eventual', Key: key('r2') }))).Item;
    expect(replicated).toMatchObject({ value: { S: 'v1' }, extra: { S: 'added' } });

    await west.send(new DeleteItemCommand({ TableName: 'replicated-eventual', Key: key('r2') }));
    await eventual.flush();
    expect(await valueIn(east, 'replicated-eventual', 'r2')).toBeUndefined();
  });

  it('converges both regions on the later of two concurrent writes and counts the conflict', async () => {
    // Prepare
    const east = clientFor(eventual, EAST);
    const west = clientFor(eventual, WEST);
    const before = eventual.counters();
    // Act: both write before either write has been replicated.
    await put(east, 'replicated-eventual', 'r3', 'from-east');
    await put(west, 'replicated-eventual', 'r3', 'from-west');
    await eventual.flush();
    // Assess: west wrote later, so west's item wins everywhere; each region resolved one conflict.
    expect(await valueIn(east, 'replicated-eventual', 'r3')).toBe('from-west');
    expect(await valueIn(west, 'replicated-eventual', 'r3')).toBe('from-west');
    const after = eventual.counters();
    expect(after.overwroteConcurrent - before.overwroteConcurrent).toBe(1);
    expect(after.discardedOlder - before.discardedOlder).toBe(1);
    expect(after.conflictsResolved - before.conflictsResolved).toBe(2);
  });

  it('does not count a sequential update made after replication as a conflict', async () => {
    const east = clientFor(eventual, EAST);
    const west = clientFor(eventual, WEST);
    await put(east, 'replicated-eventual', 'r4', 'first');
    await eventual.flush();
    const before = eventual.counters().conflictsResolved;
    await put(west, 'replicated-eventual', 'r4', 'second');
    await eventual.flush();
    expect(await valueIn(east, 'replicated-eventual', 'r4')).toBe('second');
    expect(eventual.counters().conflictsResolved).toBe(before);
  });

  it('refuses batch writes on the replicated table instead of keeping them local', async () => {
    const east = clientFor(eventual, EAST);
    const attempt = east.send(
      new BatchWriteItemCommand({ RequestItems: { 'replicated-eventual': [{ PutRequest: { Item: { ...key('r5') } } }] } }),
    );
    await expect(attempt).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('in strong mode applies an accepted write everywhere before answering', async () => {
    const east = clientFor(strong, EAST);
    const west = clientFor(strong, WEST);
    await put(east, 'replicated-strong', 's1', 'synchronous');
    // No flush: the answer came after the write reached west.
    expect(await valueIn(west, 'replicated-strong', 's1')).toBe('synchronous');
  });

  it('in strong mode refuses a concurrent write from another region, and loses nothing', async () => {
    // Prepare
    const east = clientFor(strong, EAST);
    const west = clientFor(strong, WEST);
    const before = strong.counters().refusedWrites;
    strong.setDelay(60_000);
    // Act: west writes while east's write is still being replicated.
    const first = put(east, 'replicated-strong', 's2', 'east-wins');
    await pollUntil(async () => strong.inFlightWrites() === 1, 5000, "east's write did not start");
    const second = put(west, 'replicated-strong', 's2', 'west-refused');
    await expect(second).rejects.toMatchObject({ name: 'ReplicatedWriteConflictException' });
    await strong.flush();
    strong.setDelay(DELAY_MS);
    // Assess
    await first;
    expect(await valueIn(east, 'replicated-strong', 's2')).toBe('east-wins');
    expect(await valueIn(west, 'replicated-strong', 's2')).toBe('east-wins');
    expect(strong.counters().refusedWrites).toBe(before + 1);
    expect(strong.counters().conflictsResolved).toBe(0);
  });

  it('refuses a request signed for another region, as DynamoDB does', async () => {
    const misconfigured = labDynamoClient(WEST, eventual.endpoints[EAST]);
    clients.push(misconfigured);
    await expect(misconfigured.send(new ListTablesCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
  });

  it('forwards requests unchanged: dynalite needs a SigV4 header but does not verify the signature', async () => {
    // Prepare: a syntactically valid SigV4 header with a made-up signature.
    const request = (authorization?: string) =>
      fetch(`${eventual.endpoints[EAST]}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          'x-amz-date': '20250101T000000Z',
          ...(authorization === undefined ? {} : { authorization }),
        },
        body: '{}',
      });
    const forged = `AWS4-HMAC-SHA256 Credential=x/20250101/${EAST}/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`;
    // Act
    const unsigned = await request();
    const signed = await request(forged);
    // Assess: the emulation checks presence only, so the lab cannot catch a bad signature.
    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toMatchObject({ __type: 'com.amazon.coral.service#MissingAuthenticationTokenException' });
    expect(signed.status).toBe(200);
    expect(await signed.json()).toMatchObject({ TableNames: expect.arrayContaining(['replicated-eventual']) });
  });
});
