import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  ReplicatedWriteConflictException,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbRegionalTable } from '../../lambdas/adapters/multi-master-dynamodb-table';
import { EngineUnavailableError } from '../../lambdas/core/errors';
import type { ItemVersion } from '../../lambdas/core/multi-master';

const EAST = 'us-east-1';

const dynamodb = mockClient(DynamoDBClient);
const client = new DynamoDBClient({ region: EAST });
/** The input of the one PutItem the adapter sent. */
const putInput = () => dynamodb.commandCalls(PutItemCommand)[0].args[0].input;

const base: ItemVersion = {
  value: 'a',
  version: 3,
  writerRegion: 'us-west-2',
  writtenAt: '2023-11-14T22:13:20.000Z',
  lineage: { [EAST]: 1, 'us-west-2': 2 },
};
const next: ItemVersion = { ...base, value: 'b', version: 4, writerRegion: EAST, lineage: { [EAST]: 2, 'us-west-2': 2 } };

describe('DynamoDbRegionalTable', () => {
  beforeEach(() => dynamodb.reset());

  it('reads the item and only this region\'s last-write record, strongly consistent', async () => {
    // Prepare
    const row = (sk: string, region: string) => ({
      pk: { S: 'x' },
      sk: { S: sk },
      value: { S: sk },
      version: { N: '1' },
      writerRegion: { S: region },
      writtenAt: { S: base.writtenAt },
      lineage: { M: { [region]: { N: '1' } } },
    });
    dynamodb.on(QueryCommand).resolves({
      Items: [row('item', 'us-west-2'), row(`lastwrite#${EAST}`, EAST), row('lastwrite#us-west-2', 'us-west-2')],
    });
    const table = new DynamoDbRegionalTable({ client, tableName: 'global', region: EAST });
    // Act
    const snapshot = await table.read('x');
    // Assess
    expect(snapshot.item).toMatchObject({ value: 'item', writerRegion: 'us-west-2', lineage: { 'us-west-2': 1 } });
    expect(snapshot.ourLastWrite).toMatchObject({ value: `lastwrite#${EAST}`, writerRegion: EAST });
    expect(dynamodb.commandCalls(QueryCommand)[0].args[0].input).toMatchObject({ TableName: 'global', ConsistentRead: true });
  });

  it('conditions an update on the exact item read (version, writer and its counter)', async () => {
    dynamodb.on(PutItemCommand).resolves({});
    const table = new DynamoDbRegionalTable({ client, tableName: 'global', region: EAST });
    await expect(table.replace('x', next, base)).resolves.toBe('written');
    const input = putInput();
    expect(input.ConditionExpression).toBe('version = :version AND writerRegion = :writer AND lineage.#writer = :counter');
    expect(input.ExpressionAttributeNames).toEqual({ '#writer': 'us-west-2' });
    expect(input.ExpressionAttributeValues).toEqual({ ':version': { N: '3' }, ':writer': { S: 'us-west-2' }, ':counter': { N: '2' } });
    expect(input.Item).toMatchObject({ pk: { S: 'x' }, sk: { S: 'item' }, version: { N: '4' }, lineage: { M: { [EAST]: { N: '2' } } } });
  });

  it('conditions a create on the item not existing', async () => {
    dynamodb.on(PutItemCommand).resolves({});
    const table = new DynamoDbRegionalTable({ client, tableName: 'global', region: EAST });
    await table.replace('x', next, undefined);
    expect(putInput().ConditionExpression).toBe('attribute_not_exists(pk)');
  });

  it('maps a failed condition to `changed` (the optimistic lock lost)', async () => {
    dynamodb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    const table = new DynamoDbRegionalTable({ client, tableName: 'global', region: EAST });
    await expect(table.replace('x', next, base)).resolves.toBe('changed');
  });

  it('maps ReplicatedWriteConflictException to `refused`', async () => {
    dynamodb.on(PutItemCommand).rejects(new ReplicatedWriteConflictException({ message: 'being modified in another Region', $metadata: {} }));
    const table = new DynamoDbRegionalTable({ client, tableName: 'global', region: EAST });
    await expect(table.replace('x', next, base)).resolves.toBe('refused');
  });

  it('turns any other failure into EngineUnavailableError', async () => {
    dynamodb.onAnyCommand().rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }));
    const table = new DynamoDbRegionalTable({ client, tableName: 'global', region: EAST });
    await expect(table.read('x')).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(table.replace('x', next, base)).rejects.toMatchObject({ engine: 'dynamodb' });
  });

  it('records the last write under this region\'s own sort key, never moving it backwards', async () => {
    dynamodb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'newer already recorded', $metadata: {} }));
    const table = new DynamoDbRegionalTable({ client, tableName: 'global', region: EAST });
    await expect(table.recordLastWrite('x', next)).resolves.toBeUndefined();
    const input = putInput();
    expect(input.Item?.sk).toEqual({ S: `lastwrite#${EAST}` });
    expect(input.ConditionExpression).toBe('attribute_not_exists(pk) OR lineage.#region < :counter');
    expect(input.ExpressionAttributeValues).toEqual({ ':counter': { N: '2' } });
  });
});
