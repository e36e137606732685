import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ReplicatedDatabase } from './replicated-database';
import { SessionCache } from './session-cache';

export interface DataStackProps extends StackProps {
  readonly vpc: ec2.IVpc;
  /** RDS instance class without the `db.` prefix, e.g. `t4g.micro`. */
  readonly dbInstanceClass: string;
  readonly readReplicas: number;
  readonly dbReplication: 'async' | 'sync';
  readonly cacheNodeType: string;
  readonly cacheReplicas: number;
  /**
   * What `cdk destroy` does with the database.
   * @default 'snapshot'
   */
  readonly removalPolicy?: 'snapshot' | 'destroy';
}

/**
 * Everything stateful in the primary Region: the replicated PostgreSQL database, the Valkey
 * session cache, and the HMAC key that signs client-side (cookie) sessions. Kept apart from the
 * stateless stack so that compute can be replaced freely without touching data.
 */
export class DataStack extends Stack {
  readonly database: ReplicatedDatabase;
  readonly cache: SessionCache;
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

    this.cache = new SessionCache(this, 'SessionCache', {
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
