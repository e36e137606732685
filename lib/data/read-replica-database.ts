import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PatternConstructError } from '../construct-error';
import type { DbReplication } from '../../lambdas/config/vocabulary';

export const DATABASE_NAME = 'patterns';
export const DATABASE_PORT = 5432;
/** PostgreSQL logs shipped to CloudWatch Logs: the server log and the engine-upgrade log. */
export const DATABASE_LOG_EXPORTS = ['postgresql', 'upgrade'];
/**
 * PostgreSQL pinned by its major version only (EngineVersion "17"): automatic minor upgrades move the
 * instances to newer 17.x releases, and a template that named a minor (17.9) would then drift from
 * them, and the next edit of that pin would ask RDS for a downgrade. A major upgrade stays a
 * deliberate change of this constant (with allowMajorVersionUpgrade for that deploy).
 */
export const DATABASE_ENGINE_VERSION = rds.PostgresEngineVersion.VER_17;

export interface ReplicatedDatabaseProps {
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the primary and its replicas.
   * @default - the VPC's isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** Instance class of the primary and of every replica, e.g. `t4g.micro`. */
  readonly instanceType: ec2.InstanceType;
  /** Asynchronous read replicas of the primary (0 to 15, the RDS limit for PostgreSQL). */
  readonly readReplicas: number;
  /**
   * `async`: the primary acknowledges a commit before any replica has it (read replicas only).
   * `sync`: the primary also gets a Multi-AZ standby that must confirm every commit (no data loss on failover).
   * @default 'async'
   */
  readonly replication?: DbReplication;
  /**
   * What happens to the data on `cdk destroy`.
   * @default RemovalPolicy.SNAPSHOT
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * RDS PostgreSQL primary with asynchronous read replicas (`DatabaseInstanceReadReplica`) and, for
 * synchronous replication, a Multi-AZ standby. Storage is encrypted, TLS is enforced
 * (`rds.force_ssl`), the master credentials live in a generated Secrets Manager secret that no
 * request path reads (see AppDatabaseRole). Access is closed until a consumer opens the port.
 */
export class ReplicatedDatabase extends Construct implements ec2.IConnectable {
  readonly databaseName = DATABASE_NAME;
  readonly primary: rds.DatabaseInstance;
  readonly replicas: readonly rds.DatabaseInstanceReadReplica[];
  /** The master user's credentials: read only by the migration step and the rotation functions. */
  readonly masterSecret: secretsmanager.ISecret;
  /** The primary's and the replicas' one security group, on the database port. */
  readonly connections: ec2.Connections;
  readonly replication: DbReplication;

  constructor(scope: Construct, id: string, props: ReplicatedDatabaseProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.readReplicas) && (!Number.isInteger(props.readReplicas) || props.readReplicas < 0 || props.readReplicas > 15)) {
      throw new PatternConstructError(this, `readReplicas must be an integer from 0 to 15, got ${props.readReplicas}`);
    }
    this.replication = props.replication ?? 'async';
    const vpcSubnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    const engine = rds.DatabaseInstanceEngine.postgres({ version: DATABASE_ENGINE_VERSION });

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'PostgreSQL primary and replicas: reachable only from the compute tiers',
      allowAllOutbound: false,
    });
    // A literal port, not the instances' own connections (their port is a token of the endpoint).
    this.connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(DATABASE_PORT) });

    const parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: 'TLS required; replication settings for the scalability patterns',
      parameters: {
        'rds.force_ssl': '1',
        // Lets the read router measure lag in time as well as in bytes.
        track_commit_timestamp: '1',
      },
    });

    this.primary = new rds.DatabaseInstance(this, 'Primary', {
      engine,
      instanceType: props.instanceType,
      vpc: props.vpc,
      vpcSubnets,
      securityGroups: [securityGroup],
      port: DATABASE_PORT,
      databaseName: DATABASE_NAME,
      credentials: rds.Credentials.fromGeneratedSecret('patterns_admin'),
      parameterGroup,
      multiAz: this.replication === 'sync',
      storageEncrypted: true,
      allocatedStorage: 20,
      maxAllocatedStorage: 100,
      storageType: rds.StorageType.GP3,
      // Read replicas need automated backups on the source; a week is the usual minimum for recovery.
      backupRetention: Duration.days(7),
      cloudwatchLogsExports: DATABASE_LOG_EXPORTS,
      enablePerformanceInsights: false,
      autoMinorVersionUpgrade: true,
      deletionProtection: false,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.SNAPSHOT,
    });
    this.masterSecret = this.primary.secret!;
    // Single-user rotation of the master: only the migration step logs in with it, at deploy time.
    this.primary.addRotationSingleUser({
      automaticallyAfter: Duration.days(30),
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });

    this.replicas = Array.from({ length: props.readReplicas }, (_, index) =>
      new rds.DatabaseInstanceReadReplica(this, `Replica${index + 1}`, {
        sourceDatabaseInstance: this.primary,
        instanceType: props.instanceType,
        vpc: props.vpc,
        vpcSubnets,
        securityGroups: [securityGroup],
        parameterGroup,
        // Encryption is inherited from the (encrypted) source; CloudFormation rejects it on a replica.
        cloudwatchLogsExports: DATABASE_LOG_EXPORTS,
        autoMinorVersionUpgrade: true,
        deletionProtection: false,
        // A replica holds no data of its own, and RDS takes no final snapshot of a read replica.
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    );
  }

}
