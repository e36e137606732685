/**
 * LAB COMPONENT (never deployed): emulates DynamoDB global-table replication between local
 * regions, which no emulator does (LocalStack keeps one copy for all regions). One proxy per
 * region sits in front of that region's dynalite; after a successful write (PutItem, UpdateItem,
 * DeleteItem) on the replicated table it reads the resulting item back and ships the whole item
 * to every other region after `delayMs`:
 * - eventual mode: the proxy answers at once; concurrent writes of an item are resolved by
 *   last-writer-wins on the time the proxy stamped (see multi-master-lww.ts);
 * - strong mode: a write of an item another region is still replicating is refused with
 *   ReplicatedWriteConflictException; an accepted write is applied everywhere before the answer.
 * Counters show what replication did; `flush()` / `waitIdle()` let tests and the lab wait for it.
 */
import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DelayedDeliveries } from './multi-master-delivery';
import {
  mustRefuse,
  nextLocalStamp,
  type ReplicatedWrite,
  resolveReplicated,
  type WriteStamp,
} from './multi-master-lww';
import {
  type DynamoRegionProxy,
  dynamoErrorResponse,
  type KeyAttributes,
  primaryKeyOf,
  type ProxiedRequest,
  startDynamoRegionProxy,
  type UpstreamResponse,
} from './multi-master-proxy';
import type { GlobalConsistency } from '../lambdas/config/vocabulary';
import { labDynamoClient } from './multi-master-setup';
import type { GlobalTableReplicatorOptions, ReplicatorCounters } from './multi-master-replicator-api';

export type { GlobalTableReplicatorOptions, ReplicatorCounters } from './multi-master-replicator-api';

interface Shipment extends ReplicatedWrite {
  readonly origin: string;
  readonly itemKey: string;
  readonly key: Record<string, AttributeValue>;
  /** The whole item after the write; undefined when the write deleted it. */
  readonly item: Record<string, AttributeValue> | undefined;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
/** Writes the lab does not replicate: refused on the replicated table rather than silently kept local. */
const UNREPLICATED_WRITES = new Set([
  'BatchWriteItem',
  'TransactWriteItems',
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
]);
const DEFAULT_KEY: KeyAttributes = { partitionKey: 'pk', sortKey: 'sk' };
const CONFLICT_TYPE = 'com.amazonaws.dynamodb.v20120810#ReplicatedWriteConflictException';

/** Starts one proxy per region; point each region's app at `replicator.endpoints[region]`. */
export async function startGlobalTableReplicator(
  options: GlobalTableReplicatorOptions,
): Promise<GlobalTableReplicator> {
  const replicator = new GlobalTableReplicator(options);
  try {
    await replicator.start();
  } catch (error) {
    await replicator.stop();
    throw error;
  }
  return replicator;
}

/**
 * The replicator between local regions.
 *
 * @example
 * const replicator = await startGlobalTableReplicator({
 *   regions: regions.endpoints, tableName: 'patterns-global', delayMs: 300,
 * });
 * // app in us-east-1 uses replicator.endpoints['us-east-1'] ...
 * await replicator.flush();
 * replicator.counters(); // { replicated: 2, conflictsResolved: 1, ... }
 */
export class GlobalTableReplicator {
  readonly mode: GlobalConsistency;
  private readonly now: () => number;
  private readonly clients = new Map<string, DynamoDBClient>();
  private readonly proxies: DynamoRegionProxy[] = [];
  /** Stamp of the version each region holds, per item. */
  private readonly stamps = new Map<string, Map<string, WriteStamp>>();
  /** Per region and item, the tail of the chain that orders local writes and replicated applies. */
  private readonly locks = new Map<string, Promise<unknown>>();
  /** Per item, origin region -> writes of it still being replicated. */
  private readonly flights = new Map<string, Map<string, number>>();
  private readonly deliveries: DelayedDeliveries;
  private readonly counts = {
    replicated: 0,
    overwroteConcurrent: 0,
    discardedOlder: 0,
    refusedWrites: 0,
    failedDeliveries: 0,
  };
  private endpointsByRegion: Record<string, string> = {};

  constructor(private readonly options: GlobalTableReplicatorOptions) {
    this.mode = options.mode ?? 'eventual';
    this.deliveries = new DelayedDeliveries(options.delayMs ?? 200);
    this.now = options.now ?? Date.now;
    if (Object.keys(options.regions).length < 2) {
      throw new Error('GlobalTableReplicator: a global table needs at least two regions');
    }
  }

  /** The proxy endpoint of each region: what that region's app uses as its DynamoDB endpoint. */
  get endpoints(): Readonly<Record<string, string>> {
    return this.endpointsByRegion;
  }

  async start(): Promise<void> {
    for (const [region, endpoint] of Object.entries(this.options.regions)) {
      this.clients.set(region, labDynamoClient(region, endpoint));
      this.stamps.set(region, new Map());
      const proxy = await startDynamoRegionProxy(region, endpoint, (request) => this.handle(request));
      this.proxies.push(proxy);
      this.endpointsByRegion = { ...this.endpointsByRegion, [region]: proxy.endpoint };
    }
  }

  counters(): ReplicatorCounters {
    return { ...this.counts, conflictsResolved: this.counts.overwroteConcurrent + this.counts.discardedOlder };
  }

  /** Writes accepted and not yet applied in every region (the window in which conflicts happen). */
  inFlightWrites(): number {
    let count = 0;
    for (const origins of this.flights.values()) for (const n of origins.values()) count += n;
    return count;
  }

  /** Changes the delay of replications scheduled from now on. */
  setDelay(ms: number): void {
    this.deliveries.setDelay(ms);
  }

  /** Delivers every scheduled replication now (skipping the rest of its delay) and waits until applied. */
  flush(): Promise<void> {
    return this.deliveries.flush();
  }

  /** Waits until every scheduled replication has been applied (after its delay). */
  waitIdle(): Promise<void> {
    return this.deliveries.waitIdle();
  }

  /** Stops the proxies, drops undelivered replications and closes the clients. */
  async stop(): Promise<void> {
    this.deliveries.dropAll();
    await Promise.all(this.proxies.splice(0).map((proxy) => proxy.close()));
    for (const client of this.clients.values()) client.destroy();
  }

  private async handle(request: ProxiedRequest): Promise<UpstreamResponse> {
    const input = request.input;
    if (input === undefined || !this.targetsTable(request.operation, input)) return request.forward();
    if (UNREPLICATED_WRITES.has(request.operation)) {
      return dynamoErrorResponse(
        400,
        'com.amazon.coral.validate#ValidationException',
        `${request.operation} is not replicated by the lab's global-table replicator; ` +
          'use PutItem, UpdateItem or DeleteItem',
      );
    }
    const key = primaryKeyOf(request.operation, input, this.options.keyAttributes ?? DEFAULT_KEY);
    return WRITES.has(request.operation) && key !== undefined ? this.write(request, key) : request.forward();
  }

  private async write(request: ProxiedRequest, key: Record<string, AttributeValue>): Promise<UpstreamResponse> {
    const { region } = request;
    const itemKey = JSON.stringify(Object.values(key));
    if (mustRefuse(this.mode, region, this.flights.get(itemKey)?.keys() ?? [])) {
      this.counts.refusedWrites += 1;
      const message = 'One or more items in this request are being modified by a request in another Region.';
      return dynamoErrorResponse(400, CONFLICT_TYPE, message);
    }
    // The flight starts before any await, so that a concurrent write from another region sees it.
    const endFlight = this.beginFlight(itemKey, region);
    let shipment: Shipment | undefined;
    let response: UpstreamResponse;
    try {
      response = await this.withLock(region, itemKey, async () => {
        const answer = await request.forward();
        if (answer.status !== 200) return answer;
        const read = new GetItemCommand({ TableName: this.options.tableName, Key: key, ConsistentRead: true });
        const item = (await this.client(region).send(read)).Item;
        const base = this.stamps.get(region)?.get(itemKey);
        const stamp = nextLocalStamp(this.now(), region, base);
        this.stamps.get(region)?.set(itemKey, stamp);
        shipment = { origin: region, itemKey, key, item, stamp, base };
        return answer;
      });
    } catch (error) {
      endFlight();
      throw error;
    }
    if (shipment === undefined) {
      endFlight();
      return response;
    }
    const delivered = this.ship(shipment).finally(endFlight);
    if (this.mode === 'strong') await delivered;
    return response;
  }

  private ship(shipment: Shipment): Promise<void> {
    const targets = Object.keys(this.options.regions).filter((region) => region !== shipment.origin);
    const deliveries = targets.map((target) => this.deliveries.schedule(() => this.apply(target, shipment)));
    return Promise.all(deliveries).then(() => undefined);
  }

  private async apply(target: string, shipment: Shipment): Promise<void> {
    await this.withLock(target, shipment.itemKey, async () => {
      const held = this.stamps.get(target)?.get(shipment.itemKey);
      const resolution = resolveReplicated(held, shipment);
      if (resolution.conflict === 'overwrote-concurrent') this.counts.overwroteConcurrent += 1;
      if (resolution.conflict === 'discarded-older') this.counts.discardedOlder += 1;
      if (!resolution.apply) return;
      const TableName = this.options.tableName;
      const client = this.client(target);
      if (shipment.item === undefined) await client.send(new DeleteItemCommand({ TableName, Key: shipment.key }));
      else await client.send(new PutItemCommand({ TableName, Item: shipment.item }));
      this.stamps.get(target)?.set(shipment.itemKey, shipment.stamp);
      this.counts.replicated += 1;
    }).catch(() => {
      this.counts.failedDeliveries += 1;
    });
  }

  private beginFlight(itemKey: string, origin: string): () => void {
    const origins = this.flights.get(itemKey) ?? new Map<string, number>();
    origins.set(origin, (origins.get(origin) ?? 0) + 1);
    this.flights.set(itemKey, origins);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = (origins.get(origin) ?? 1) - 1;
      if (left > 0) origins.set(origin, left);
      else origins.delete(origin);
      if (origins.size === 0) this.flights.delete(itemKey);
    };
  }

  /** Runs `fn` after every earlier task on the same region and item (a per-item mutex). */
  private withLock<T>(region: string, itemKey: string, fn: () => Promise<T>): Promise<T> {
    const lockKey = `${region}\u0000${itemKey}`;
    const run = (this.locks.get(lockKey) ?? Promise.resolve()).then(fn);
    const tail = run.catch(() => undefined);
    this.locks.set(lockKey, tail);
    void tail.then(() => {
      if (this.locks.get(lockKey) === tail) this.locks.delete(lockKey);
    });
    return run;
  }

  private targetsTable(operation: string, input: Record<string, unknown>): boolean {
    if (input.TableName === this.options.tableName) return true;
    // Batch, transaction and PartiQL requests name the table deeper inside.
    return UNREPLICATED_WRITES.has(operation) && JSON.stringify(input).includes(this.options.tableName);
  }

  private client(region: string): DynamoDBClient {
    const client = this.clients.get(region);
    if (client === undefined) throw new Error(`GlobalTableReplicator: unknown region ${region}`);
    return client;
  }
}
