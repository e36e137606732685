/**
 * What the data stack hands to the compute tiers: typed references to the database and the cache.
 * Declared on the stateful side, so that compute depends on data and never the other way round.
 * Each store is an `ec2.IConnectable` whose `connections` carry its security group and default port
 * (`connections.allowDefaultPortFrom(...)`), offers `grant*` for what logging in takes, and the
 * metrics the dashboards and alarms need, as aws-cdk-lib's own data constructs do.
 */
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/** RDS Proxy in front of the primary; its default port is the database port. */
export interface ProxyAccess extends ec2.IConnectable {
  readonly endpoint: string;
  /** Client connections the proxy holds (`AWS/RDS` by `ProxyName`). */
  metricClientConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/** What the compute tiers need to know about the database (typed references, no strings). */
export interface DatabaseAccess extends ec2.IConnectable {
  readonly primary: rds.IDatabaseInstance;
  readonly replicas: readonly rds.IDatabaseInstance[];
  readonly databaseName: string;
  /** The application role's JSON secret (`username`, `password`): the only database secret a tier gets. */
  readonly appSecret: secretsmanager.ISecret;
  /** @default - no proxy: every tier connects to the primary directly */
  readonly proxy?: ProxyAccess;
  /** Lets `grantee` log in as the application role (password authentication: it reads `appSecret`). */
  grantConnect(grantee: iam.IGrantable): iam.Grant;
}

/** What the compute tiers need to know about the Valkey cache. */
export interface CacheAccess extends ec2.IConnectable {
  readonly endpointAddress: string;
  readonly authSecret: secretsmanager.ISecret;
  /** Lets `grantee` log in (AUTH: it reads `authSecret`). */
  grantConnect(grantee: iam.IGrantable): iam.Grant;
  /** A metric of the primary node (`AWS/ElastiCache` by `CacheClusterId`), e.g. `CacheHits`. */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}
