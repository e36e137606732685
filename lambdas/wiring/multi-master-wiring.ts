/**
 * Assembles the multi-master pattern from configuration: the one way both hosts (Lambda
 * handler, container server) build it.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { systemClock, type Clock } from '../core/clock';
import { MultiMasterStore } from '../core/multi-master';
import { createDynamoDbClient, DynamoDbRegionalTable } from '../adapters/multi-master-dynamodb-table';
import type { RegisterRoutes } from '../http/app';
import { multiMasterRoutes } from '../http/multi-master-routes';
import type { SharedClients } from './shared-clients';

export interface MultiMasterWiringOptions {
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default - a client for this region built from the configuration (endpoint override honoured) */
  readonly client?: DynamoDBClient;
}

/**
 * Builds the multi-master routes for the region in `AWS_REGION`, on the table `GLOBAL_TABLE_NAME`,
 * in the consistency mode `GLOBAL_CONSISTENCY` (eventual or strong) the table was created with.
 *
 * @example
 * const routes = await buildMultiMasterRoutes(createSharedClients(readRuntimeConfig(process.env)));
 * createPatternApp(identity, [routes]);
 */
export async function buildMultiMasterRoutes(
  clients: SharedClients,
  options: MultiMasterWiringOptions = {},
): Promise<RegisterRoutes> {
  const config = clients.config.section('globalTable');
  const client = options.client ?? createDynamoDbClient({ region: config.region, endpoint: config.endpoint });
  const table = new DynamoDbRegionalTable({ client, tableName: config.tableName, region: config.region });
  const store = new MultiMasterStore({
    region: config.region,
    table,
    clock: options.clock ?? systemClock,
    consistency: config.consistency,
  });
  return multiMasterRoutes({ store });
}
