import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PROXY_MAX_CONNECTIONS_PERCENT, PROXY_MAX_IDLE_CONNECTIONS_PERCENT } from '../config/connection-budget';
import type { ProxyAccess } from './data-references';
import { DATABASE_PORT } from './read-replica-database';

export interface PrimaryProxyProps {
  readonly vpc: ec2.IVpc;
  /** The writer. A proxy for RDS instances attaches to the writer only, never to a read replica. */
  readonly primary: rds.DatabaseInstance;
  /** Credentials clients log in with through the proxy (the application role's secret). */
  readonly secrets: readonly secretsmanager.ISecret[];
  /**
   * Subnets of the proxy.
   * @default - the VPC's isolated subnets, beside the database
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** @default PROXY_MAX_CONNECTIONS_PERCENT (the connection budget counts this share) */
  readonly maxConnectionsPercent?: number;
  /** @default PROXY_MAX_IDLE_CONNECTIONS_PERCENT */
  readonly maxIdleConnectionsPercent?: number;
}

/**
 * RDS Proxy in front of the primary: many short-lived clients (Lambda environments) share at most
 * `maxConnectionsPercent` of the primary's max_connections, whatever their number. TLS is required
 * between client and proxy; the proxy logs in with the secrets it is given. Closed until a consumer
 * opens its port (`connections.allowDefaultPortFrom(...)`), like the database itself.
 */
export class PrimaryProxy extends Construct implements ProxyAccess {
  readonly proxy: rds.DatabaseProxy;
  /** The proxy listens on the engine's port (rds.DatabaseProxy's own connections have no default port). */
  readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: PrimaryProxyProps) {
    super(scope, id);
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'RDS Proxy of the primary: reachable only from the compute tiers',
      // The proxy target opens exactly the egress it needs (to the database port).
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(DATABASE_PORT) });
    this.proxy = new rds.DatabaseProxy(this, 'Resource', {
      proxyTarget: rds.ProxyTarget.fromInstance(props.primary),
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [securityGroup],
      secrets: [...props.secrets],
      requireTLS: true,
      clientPasswordAuthType: rds.ClientPasswordAuthType.POSTGRES_SCRAM_SHA_256,
      maxConnectionsPercent: props.maxConnectionsPercent ?? PROXY_MAX_CONNECTIONS_PERCENT,
      maxIdleConnectionsPercent: props.maxIdleConnectionsPercent ?? PROXY_MAX_IDLE_CONNECTIONS_PERCENT,
      // Shed load fast: the runtime gives up connecting after 2 s anyway (a queued client is a 503, not a hang).
      borrowTimeout: Duration.seconds(5),
      // A frozen Lambda environment keeps its client connection open; release it sooner than the 30 min default.
      idleClientTimeout: Duration.minutes(5),
    });
  }

  get endpoint(): string {
    return this.proxy.endpoint;
  }

  metricClientConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ClientConnections', props);
  }

  /** A metric of the proxy (`AWS/RDS` by `ProxyName`). */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({ namespace: 'AWS/RDS', metricName, dimensionsMap: { ProxyName: this.proxy.dbProxyName }, ...props });
  }
}
