/**
 * What the data stack hands to the compute tiers: typed references to the database and the cache.
 * Declared on the stateful side, so that compute depends on data and never the other way round.
 */
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/** RDS Proxy in front of the primary. */
export interface ProxyAccess {
  readonly endpoint: string;
  readonly securityGroup: ec2.ISecurityGroup;
  /** For metrics (`ProxyName` dimension). */
  readonly proxyName: string;
}

/** What the compute tiers need to know about the database (typed references, no strings). */
export interface DatabaseAccess {
  readonly primary: rds.IDatabaseInstance;
  readonly replicas: readonly rds.IDatabaseInstance[];
  readonly databaseName: string;
  /** The application role's JSON secret (`username`, `password`): the only database secret a tier gets. */
  readonly appSecret: secretsmanager.ISecret;
  /** Security group of the primary and its replicas. */
  readonly securityGroup: ec2.ISecurityGroup;
  readonly port: number;
  /** @default - no proxy: every tier connects to the primary directly */
  readonly proxy?: ProxyAccess;
}

/** What the compute tiers need to know about the Valkey cache. */
export interface CacheAccess {
  /** Replication group id (for metrics: its primary node is `<id>-001`). */
  readonly replicationGroupId: string;
  readonly endpointAddress: string;
  readonly port: number;
  readonly authSecret: secretsmanager.ISecret;
  readonly securityGroup: ec2.ISecurityGroup;
}
