/** The options of the global-table replicator (multi-master-replicator.ts) and the counters it reports. */
import type { GlobalConsistency } from '../lambdas/config/vocabulary';
import type { KeyAttributes } from './multi-master-proxy';

export interface GlobalTableReplicatorOptions {
  /** Each region's dynalite endpoint (from startDynamoRegions). */
  readonly regions: Readonly<Record<string, string>>;
  readonly tableName: string;
  /** @default 'eventual' */
  readonly mode?: GlobalConsistency;
  /** Replication delay between regions. @default 200 */
  readonly delayMs?: number;
  /** @default { partitionKey: 'pk', sortKey: 'sk' } */
  readonly keyAttributes?: KeyAttributes;
  /** Time source for the last-writer-wins stamps. @default Date.now */
  readonly now?: () => number;
}

export interface ReplicatorCounters {
  /** Item versions applied in a region other than the one that wrote them. */
  readonly replicated: number;
  /** Replicated versions that overwrote a different, concurrent version (which was lost there). */
  readonly overwroteConcurrent: number;
  /** Replicated versions dropped because the region held a later one (the dropped one was lost). */
  readonly discardedOlder: number;
  /** overwroteConcurrent + discardedOlder: conflicts resolved by last-writer-wins. */
  readonly conflictsResolved: number;
  /** Strong mode: writes refused with ReplicatedWriteConflictException. */
  readonly refusedWrites: number;
  /** Deliveries that failed (target region down); the lab does not retry them. */
  readonly failedDeliveries: number;
}
