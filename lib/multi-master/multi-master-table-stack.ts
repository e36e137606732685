import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { GlobalConsistency } from '../../lambdas/config/vocabulary';

export interface GlobalTableStackProps extends StackProps {
  /** Regions that get a replica besides this stack's own Region. */
  readonly replicaRegions: readonly string[];
  /**
   * `eventual`: each Region accepts writes locally and replicates asynchronously; concurrent writes to
   * one item are reconciled by last writer wins. `strong`: multi-Region strong consistency (MRSC);
   * a conflicting concurrent write is refused instead.
   * @default 'eventual'
   */
  readonly consistency?: GlobalConsistency;
  /** Witness Region for a 2-Region MRSC table. @default - no witness */
  readonly witnessRegion?: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The multi-master data store: one DynamoDB global table (`TableV2`) with a replica in every
 * configured Region. Items are keyed by `pk` (the record) and `sk` (the record itself, or one Region's
 * own record of its last write, used to make a lost concurrent write visible).
 */
export class GlobalTableStack extends Stack {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: GlobalTableStackProps) {
    super(scope, id, props);
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      replicas: props.replicaRegions.map((region) => ({ region })),
      multiRegionConsistency:
        props.consistency === 'strong' ? dynamodb.MultiRegionConsistency.STRONG : dynamodb.MultiRegionConsistency.EVENTUAL,
      witnessRegion: props.witnessRegion,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}
