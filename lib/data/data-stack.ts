import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { DatabaseAccess } from './data-references';
import { AppDatabaseRole } from './app-database-role';
import { PrimaryProxy } from './primary-proxy';
import { ReplicatedDatabase } from './read-replica-database';
import { ValkeyCache } from './valkey-cache';
import type { DbReplication } from '../../lambdas/config/vocabulary';

export interface DataStackProps extends StackProps {
  readonly vpc: ec2.IVpc;
  /** RDS instance class without the `db.` prefix, e.g. `t4g.micro`. */
  readonly dbInstanceClass: string;
  readonly readReplicas: number;
  readonly dbReplication: DbReplication;
  readonly cacheNodeType: string;
  readonly cacheReplicas: number;
  /**
   * What `cdk destroy` does with the database.
   * @default 'snapshot'
   */
  readonly removalPolicy?: 'snapshot' | 'destroy';
  /**
   * RDS Proxy in front of the primary (for the Lambda tier).
   * @default true
   */
  readonly dbProxy?: boolean;
}

/**
 * Everything stateful in the primary Region: the replicated PostgreSQL database, the Valkey
 * session cache, and the HMAC key that signs client-side (cookie) sessions. Kept apart from the
 * stateless stack so that compute can be replaced freely without touching data.
 */
export class DataStack extends Stack {
  readonly database: ReplicatedDatabase;
  /** The application role, its secret and the deploy-time migration step. */
  readonly appRole: AppDatabaseRole;
  /** @default - undefined when dbProxy=false */
  readonly proxy?: PrimaryProxy;
  /** What the compute tiers get: endpoints, the app secret (never the master), the proxy if any. */
  readonly databaseAccess: DatabaseAccess;
  readonly cache: ValkeyCache;
  readonly sessionSigningKey: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);

    this.database = new ReplicatedDatabase(this, 'Database', {
      vpc: props.vpc,
      instanceType: new ec2.InstanceType(props.dbInstanceClass),
      readReplicas: props.readReplicas,
      replication: props.dbReplication,
      removalPolicy: props.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.SNAPSHOT,
    });

    this.appRole = new AppDatabaseRole(this, 'AppRole', {
      vpc: props.vpc,
      primary: this.database.primary,
      masterSecret: this.database.masterSecret,
      database: this.database,
      databaseName: this.database.databaseName,
    });
    if (props.dbProxy ?? true) {
      this.proxy = new PrimaryProxy(this, 'PrimaryProxy', {
        vpc: props.vpc,
        primary: this.database.primary,
        // The proxy logs in as the application role: the request path never holds the master secret.
        secrets: [this.appRole.secret],
      });
    }
    const appSecret = this.appRole.secret;
    this.databaseAccess = {
      primary: this.database.primary,
      replicas: this.database.replicas,
      databaseName: this.database.databaseName,
      connections: this.database.connections,
      appSecret,
      proxy: this.proxy,
      grantConnect: (grantee) => appSecret.grantRead(grantee),
    };

    // Construct id kept from when the cluster only held sessions: renaming it would replace the cluster.
    this.cache = new ValkeyCache(this, 'SessionCache', {
      vpc: props.vpc,
      nodeType: props.cacheNodeType,
      replicas: props.cacheReplicas,
    });

    this.sessionSigningKey = new secretsmanager.Secret(this, 'SessionSigningKey', {
      description: 'HMAC-SHA256 key that signs client-side (cookie) sessions',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
