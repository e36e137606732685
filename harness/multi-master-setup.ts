/**
 * LAB COMPONENT (never deployed): DynamoDB clients for the local regions and the table the
 * multi-master pattern uses, created in every region as CDK's TableV2 creates it on AWS.
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { pollUntil } from './ports';

/** Static dummy credentials: dynalite checks that a request is signed, never the signature. */
export const LAB_CREDENTIALS = { accessKeyId: 'local-lab', secretAccessKey: 'local-lab' } as const;

/**
 * A client for one local region: explicit endpoint, the region's name for signing, dummy
 * credentials, no retries (the lab wants to see failures, not hide them). Never reaches AWS.
 *
 * @example
 * const client = labDynamoClient('us-east-1', regions.endpoints['us-east-1']);
 */
export function labDynamoClient(region: string, endpoint: string): DynamoDBClient {
  if (!/^http:\/\/127\.0\.0\.1:\d+\/?$/.test(endpoint)) {
    const given = JSON.stringify(endpoint);
    throw new Error(`labDynamoClient: ${region} endpoint ${given} is not a local http://127.0.0.1:<port> endpoint`);
  }
  return new DynamoDBClient({
    region,
    endpoint,
    credentials: LAB_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 5000 },
  });
}

export interface GlobalTableSchemaOptions {
  /** @default 'pk' */
  readonly partitionKey?: string;
  /** @default 'sk' */
  readonly sortKey?: string;
}

/**
 * Creates `tableName` (partition key `pk` S, sort key `sk` S, on demand) in every region and
 * waits until each is ACTIVE.
 *
 * @example
 * await createGlobalTable(regions.endpoints, 'patterns-global');
 */
export async function createGlobalTable(
  endpoints: Readonly<Record<string, string>>,
  tableName: string,
  options: GlobalTableSchemaOptions = {},
): Promise<void> {
  const pk = options.partitionKey ?? 'pk';
  const sk = options.sortKey ?? 'sk';
  await Promise.all(
    Object.entries(endpoints).map(async ([region, endpoint]) => {
      const client = labDynamoClient(region, endpoint);
      try {
        await client.send(
          new CreateTableCommand({
            TableName: tableName,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [
              { AttributeName: pk, AttributeType: 'S' },
              { AttributeName: sk, AttributeType: 'S' },
            ],
            KeySchema: [
              { AttributeName: pk, KeyType: 'HASH' },
              { AttributeName: sk, KeyType: 'RANGE' },
            ],
          }),
        );
        const describe = new DescribeTableCommand({ TableName: tableName });
        await pollUntil(
          async () => (await client.send(describe)).Table?.TableStatus === 'ACTIVE',
          10_000,
          `table ${tableName} in ${region} did not become ACTIVE`,
        );
      } finally {
        client.destroy();
      }
    }),
  );
}
