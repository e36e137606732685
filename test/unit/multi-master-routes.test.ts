import { readGlobalTableConfig } from '../../lambdas/config/runtime-config';
import { ManualClock } from '../../lambdas/core/clock';
import { InstanceIdentity } from '../../lambdas/core/reverse-proxy-identity';
import { MultiMasterStore } from '../../lambdas/core/multi-master';
import { createPatternApp } from '../../lambdas/http/app';
import { multiMasterRoutes } from '../../lambdas/http/multi-master-routes';
import { FakeRegionalTable } from './multi-master-fakes';

const EAST = 'us-east-1';

function buildApp() {
  const clock = new ManualClock();
  const table = new FakeRegionalTable(EAST);
  const store = new MultiMasterStore({ region: EAST, table, clock });
  const identity = new InstanceIdentity({ tier: 'local', region: EAST, instanceId: 'east-1' }, clock);
  return { app: createPatternApp(identity, [multiMasterRoutes({ store })]), table };
}

const put = (body: unknown) => ({
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('multiMasterRoutes', () => {
  it('creates with 201, updates with 200, and reads back the item with no conflict', async () => {
    // Prepare
    const { app } = buildApp();
    // Act
    const created = await app.request('/items/cart-1', put({ value: 'a' }));
    const updated = await app.request('/items/cart-1', put({ value: 'b', expectedVersion: 1 }));
    const read = await app.request('/items/cart-1');
    // Assess
    expect(created.status).toBe(201);
    expect(updated.status).toBe(200);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({
      id: 'cart-1',
      item: { value: 'b', version: 2, writerRegion: EAST },
      servedByRegion: EAST,
      conflict: { lost: false },
    });
  });

  it('answers 409 with the versions when expectedVersion is stale', async () => {
    const { app } = buildApp();
    await app.request('/items/cart-1', put({ value: 'a' }));
    const response = await app.request('/items/cart-1', put({ value: 'b', expectedVersion: 0 }));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: 'Conflict', reason: 'version-mismatch', expectedVersion: 0, currentVersion: 1 });
  });

  it('answers 409 "refused" when strong consistency refuses the write', async () => {
    const { app, table } = buildApp();
    table.nextOutcome = 'refused';
    const response = await app.request('/items/cart-1', put({ value: 'a' }));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ reason: 'replicated-write-conflict', refused: true, lost: false });
  });

  it('answers 404 for an unknown item and 400 for a malformed id', async () => {
    const { app } = buildApp();
    expect((await app.request('/items/nope')).status).toBe(404);
    expect((await app.request('/items/bad.id')).status).toBe(400);
    expect((await app.request('/items/bad.id', put({ value: 'a' }))).status).toBe(400);
  });

  it.each([
    ['an unknown field', { value: 'a', extra: 1 }],
    ['a missing value', { expectedVersion: 1 }],
    ['a value over 1 KB', { value: 'é'.repeat(513) }],
    ['a negative expectedVersion', { value: 'a', expectedVersion: -1 }],
    ['a fractional expectedVersion', { value: 'a', expectedVersion: 1.5 }],
    ['a non-string value', { value: 42 }],
  ])('rejects a body with %s with 400 and writes nothing', async (_case, body) => {
    const { app, table } = buildApp();
    const response = await app.request('/items/cart-1', put(body));
    expect(response.status).toBe(400);
    expect(table.items.size).toBe(0);
  });

  it('accepts a value of exactly 1 KB', async () => {
    const { app } = buildApp();
    expect((await app.request('/items/cart-1', put({ value: 'x'.repeat(1024) }))).status).toBe(201);
  });
});

describe('readGlobalTableConfig', () => {
  it('reads the table, region, consistency and optional endpoint', () => {
    expect(
      readGlobalTableConfig({
        GLOBAL_TABLE_NAME: 'patterns-global',
        AWS_REGION: 'us-west-2',
        GLOBAL_CONSISTENCY: 'strong',
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      }),
    ).toEqual({ tableName: 'patterns-global', region: 'us-west-2', consistency: 'strong', endpoint: 'http://127.0.0.1:8000' });
    expect(readGlobalTableConfig({ GLOBAL_TABLE_NAME: 't', AWS_REGION: 'us-east-1' })).toEqual({
      tableName: 't',
      region: 'us-east-1',
      consistency: 'eventual',
      endpoint: undefined,
    });
  });

  it('reports every problem at once with the exact messages', () => {
    expect(() => readGlobalTableConfig({ GLOBAL_CONSISTENCY: 'linearizable', AWS_ENDPOINT_URL_DYNAMODB: 'localhost:8000' })).toThrow(
      'Invalid runtime configuration:\n' +
        ' - GLOBAL_TABLE_NAME: got undefined; allowed: a value (required)\n' +
        ' - AWS_REGION: got undefined; allowed: a value (required)\n' +
        ' - GLOBAL_CONSISTENCY: got "linearizable"; allowed: eventual, strong\n' +
        ' - AWS_ENDPOINT_URL_DYNAMODB: got "localhost:8000"; allowed: an http(s) URL',
    );
  });
});
