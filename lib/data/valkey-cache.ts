import { Fn, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PatternConstructError } from '../construct-error';
import type { CacheAccess } from './data-references';

export const CACHE_PORT = 6379;

export interface ValkeyCacheProps {
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the cache nodes.
   * @default - the VPC's isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** Node type, e.g. `cache.t4g.micro`. */
  readonly nodeType: string;
  /**
   * Read replicas of the cache primary (0 to 5). With at least one, the group is Multi-AZ with
   * automatic failover.
   * @default 1
   */
  readonly replicas?: number;
}

/**
 * ElastiCache for Valkey replication group: the shared store for stateless sessions and the
 * cache-aside pattern. Encrypted at rest and in transit (TLS required), AUTH token generated in
 * Secrets Manager and resolved by CloudFormation (never in the template in clear).
 * Built with the L1 `CfnReplicationGroup`, since there is no L2 for it yet.
 */
export class ValkeyCache extends Construct implements CacheAccess {
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  readonly authSecret: secretsmanager.Secret;
  /** Closed until a consumer opens it: `connections.allowDefaultPortFrom(...)`. */
  readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: ValkeyCacheProps) {
    super(scope, id);
    const replicas = props.replicas ?? 1;
    if (!Token.isUnresolved(replicas) && (!Number.isInteger(replicas) || replicas < 0 || replicas > 5)) {
      throw new PatternConstructError(this, `replicas must be an integer from 0 to 5, got ${replicas}`);
    }

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      // Wording kept: a new description would replace the security group.
      description: 'Valkey session cache: reachable only from the compute tiers',
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(CACHE_PORT) });

    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      description: 'Isolated subnets of the session cache',
      subnetIds: props.vpc.selectSubnets(props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
    });

    // ElastiCache AUTH tokens allow printable ASCII except / " @ and space; punctuation is excluded.
    this.authSecret = new secretsmanager.Secret(this, 'AuthToken', {
      description: 'AUTH token of the Valkey session cache',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'Resource', {
      replicationGroupDescription: 'Sessions and cache-aside for the scalability patterns',
      engine: 'valkey',
      engineVersion: '8.0',
      cacheNodeType: props.nodeType,
      numCacheClusters: replicas + 1,
      automaticFailoverEnabled: replicas > 0,
      multiAzEnabled: replicas > 0,
      port: CACHE_PORT,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [securityGroup.securityGroupId],
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      authToken: this.authSecret.secretValue.unsafeUnwrap(),
      autoMinorVersionUpgrade: true,
    });
  }

  get replicationGroupId(): string {
    return this.replicationGroup.ref;
  }

  /** Address clients connect to (writes and reads). */
  get endpointAddress(): string {
    return this.replicationGroup.attrPrimaryEndPointAddress;
  }

  grantConnect(grantee: iam.IGrantable): iam.Grant {
    return this.authSecret.grantRead(grantee);
  }

  /** A metric of the primary node (`<replication group id>-001`, where sessions are written). */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/ElastiCache',
      metricName,
      dimensionsMap: { CacheClusterId: Fn.join('', [this.replicationGroupId, '-001']) },
      ...props,
    });
  }
}
