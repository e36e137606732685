/**
 * One region's replica of the multi-master global table, on DynamoDB (AWS, or dynalite behind
 * the lab's replicator). Layout: partition key `pk` = item id; sort key `item` for the shared
 * item, `lastwrite#<region>` for the record of a region's own last write (only that region
 * writes it, so replication never conflicts on it).
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  type PutItemInput,
  QueryCommand,
  ReplicatedWriteConflictException,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ItemVersion, Lineage, RegionalSnapshot, RegionalTable, WriteOutcome } from '../core/multi-master';
import { guardEngine } from './engine-errors';

export const ITEM_SORT_KEY = 'item';
export const LAST_WRITE_SORT_KEY_PREFIX = 'lastwrite#';

/** Sort key of the record of `region`'s last write of an item. */
export function lastWriteSortKey(region: string): string {
  return `${LAST_WRITE_SORT_KEY_PREFIX}${region}`;
}

export interface DynamoDbClientOptions {
  readonly region: string;
  /** @default - the SDK's own resolution (AWS_ENDPOINT_URL_DYNAMODB, then the regional endpoint) */
  readonly endpoint?: string;
}

/** Bounds on every call, so that an unreachable endpoint is a 503 within seconds, not a hang. */
export const DYNAMODB_TIMEOUTS = { connectionTimeoutMs: 1000, requestTimeoutMs: 2000, maxAttempts: 2 } as const;

/**
 * Builds the regional DynamoDB client once per cold start, pinned to the region of this process
 * (calls never go across regions) with short timeouts and one retry.
 *
 * @example
 * const client = createDynamoDbClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:8000' });
 */
export function createDynamoDbClient(options: DynamoDbClientOptions): DynamoDBClient {
  return new DynamoDBClient({
    region: options.region,
    endpoint: options.endpoint,
    maxAttempts: DYNAMODB_TIMEOUTS.maxAttempts,
    requestHandler: {
      connectionTimeout: DYNAMODB_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: DYNAMODB_TIMEOUTS.requestTimeoutMs,
    },
  });
}

export interface DynamoDbRegionalTableProps {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** The region whose replica `client` reaches; names this region's last-write record. */
  readonly region: string;
}

/**
 * RegionalTable on DynamoDB. Reads are strongly consistent (in strong mode they also see every
 * other region's acknowledged writes); writes are conditional on the exact item read.
 *
 * @example
 * const table = new DynamoDbRegionalTable({ client, tableName: 'patterns-global', region: 'us-east-1' });
 */
export class DynamoDbRegionalTable implements RegionalTable {
  constructor(private readonly props: DynamoDbRegionalTableProps) {}

  async read(id: string): Promise<RegionalSnapshot> {
    const { client, tableName, region } = this.props;
    // One query returns the item and every region's last-write record (a handful of small items).
    const out = await guardEngine('dynamodb', () =>
      client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :id',
          ExpressionAttributeValues: marshall({ ':id': id }),
          ConsistentRead: true,
        }),
      ),
    );
    const rows = (out.Items ?? []).map((row) => unmarshall(row));
    const item = rows.find((row) => row.sk === ITEM_SORT_KEY);
    const ourLastWrite = rows.find((row) => row.sk === lastWriteSortKey(region));
    return { item: item && fromRow(item), ourLastWrite: ourLastWrite && fromRow(ourLastWrite) };
  }

  async replace(id: string, next: ItemVersion, replaces: ItemVersion | undefined): Promise<WriteOutcome> {
    // The read item is identified by its version, its writer and that writer's counter: together
    // they name one write, so an item replicated in since the read fails the condition.
    const condition =
      replaces === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: 'version = :version AND writerRegion = :writer AND lineage.#writer = :counter',
            ExpressionAttributeNames: { '#writer': replaces.writerRegion },
            ExpressionAttributeValues: marshall({
              ':version': replaces.version,
              ':writer': replaces.writerRegion,
              ':counter': replaces.lineage[replaces.writerRegion] ?? 0,
            }),
          };
    return this.put(toAttributes(id, ITEM_SORT_KEY, next), condition);
  }

  async recordLastWrite(id: string, write: ItemVersion): Promise<void> {
    const { region } = this.props;
    // A failed condition (`changed`) means a newer write of ours is already recorded: keep it.
    await this.put(
      toAttributes(id, lastWriteSortKey(region), write),
      {
        ConditionExpression: 'attribute_not_exists(pk) OR lineage.#region < :counter',
        ExpressionAttributeNames: { '#region': region },
        ExpressionAttributeValues: marshall({ ':counter': write.lineage[region] ?? 0 }),
      },
    );
  }

  private async put(
    item: Record<string, AttributeValue>,
    condition: Pick<PutItemInput, 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>,
  ): Promise<WriteOutcome> {
    const { client, tableName } = this.props;
    return guardEngine('dynamodb', async () => {
      try {
        await client.send(new PutItemCommand({ TableName: tableName, Item: item, ...condition }));
        return 'written';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'changed';
        if (error instanceof ReplicatedWriteConflictException) return 'refused';
        throw error;
      }
    });
  }
}

/** One row: the key, then the version's fields (`lineage` a map of region to counter). */
function toAttributes(id: string, sortKey: string, version: ItemVersion): Record<string, AttributeValue> {
  const { value, version: number, writerRegion, writtenAt, lineage } = version;
  return marshall({ pk: id, sk: sortKey, value, version: number, writerRegion, writtenAt, lineage });
}

/** A row as read; an attribute missing from it (a row written by hand) reads as empty, not a crash. */
function fromRow(fields: Record<string, unknown>): ItemVersion {
  return {
    value: typeof fields.value === 'string' ? fields.value : '',
    version: Number(fields.version ?? 0),
    writerRegion: typeof fields.writerRegion === 'string' ? fields.writerRegion : '',
    writtenAt: typeof fields.writtenAt === 'string' ? fields.writtenAt : '',
    lineage: lineageOf(fields.lineage),
  };
}

function lineageOf(value: unknown): Lineage {
  const lineage: Record<string, number> = {};
  if (typeof value === 'object' && value !== null) {
    for (const [region, counter] of Object.entries(value)) lineage[region] = Number(counter ?? 0);
  }
  return lineage as Lineage;
}
