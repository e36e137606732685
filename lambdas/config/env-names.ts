/**
 * Environment variable names shared by the runtime (which reads them) and the CDK constructs
 * (which set them). One list, so that infrastructure and code cannot drift apart.
 */
export const ENV = {
  /** `lambda`, `fargate` or `local`: which tier this process is. */
  tier: 'PATTERN_TIER',
  /** The deploy-time concurrency check: each function's reservation (`lambdaConcurrency`) and how many reserve it. */
  reservedPerFunction: 'RESERVED_PER_FUNCTION',
  reservedFunctions: 'RESERVED_FUNCTIONS',
  /** Optional stable instance name (the lab names its instances); otherwise one is generated per process. */
  instanceId: 'INSTANCE_ID',
  /** TCP port of the container server. */
  port: 'PORT',
  /** Address the container server listens on: all interfaces in a container, 127.0.0.1 for local runs. */
  listenHost: 'LISTEN_HOST',
  /** Region of this process; Lambda and ECS set AWS_REGION themselves. */
  region: 'AWS_REGION',

  sessionStore: 'SESSION_STORE',
  sessionTtlSeconds: 'SESSION_TTL_SECONDS',
  sessionCookieName: 'SESSION_COOKIE_NAME',
  /** Secrets Manager ARN of the HMAC key for signed-cookie sessions (AWS). */
  sessionSigningKeySecretArn: 'SESSION_SIGNING_KEY_SECRET_ARN',
  /** The HMAC key itself (local runs and tests only). */
  sessionSigningKey: 'SESSION_SIGNING_KEY',
  /** Cap on sessions kept by one instance with the in-memory strategy. */
  memorySessionLimit: 'MEMORY_SESSION_LIMIT',

  redisHost: 'REDIS_HOST',
  redisPort: 'REDIS_PORT',
  redisTls: 'REDIS_TLS',
  redisAuthSecretArn: 'REDIS_AUTH_SECRET_ARN',
  redisPassword: 'REDIS_PASSWORD',

  dbPrimaryHost: 'DB_PRIMARY_HOST',
  dbPrimaryPort: 'DB_PRIMARY_PORT',
  /** Comma-separated `host:port` list of read replicas (may be empty). */
  dbReplicas: 'DB_REPLICAS',
  dbName: 'DB_NAME',
  dbSsl: 'DB_SSL',
  /** Secrets Manager ARN of the RDS-generated credentials (`username`, `password`). */
  dbSecretArn: 'DB_SECRET_ARN',
  dbUser: 'DB_USER',
  /** Connections per pool (primary and each replica); small on Lambda, where each environment has its own. */
  dbPoolMax: 'DB_POOL_MAX',
  /** Secrets Manager ARN of the master credentials: only the deploy-time migration step reads it. */
  dbMasterSecretArn: 'DB_MASTER_SECRET_ARN',
  /** Secrets Manager ARN of the application role's credentials, which the migration step creates/updates. */
  dbAppSecretArn: 'DB_APP_SECRET_ARN',
  dbPassword: 'DB_PASSWORD',
  /** A replica further behind than this (bytes of WAL) is skipped by the read router. */
  dbMaxReplicaLagBytes: 'DB_MAX_REPLICA_LAG_BYTES',
  /** How long a read-your-writes read waits for a replica to catch up before using the primary. */
  dbReadYourWritesWaitMs: 'DB_READ_YOUR_WRITES_WAIT_MS',

  cacheTtlSeconds: 'CACHE_TTL_SECONDS',
  counterShards: 'COUNTER_SHARDS',
  /** Work (ms) each counter increment does while holding its row's lock; 0 = one atomic upsert (the lab sets it). */
  counterWorkMs: 'COUNTER_WORK_MS',

  globalTableName: 'GLOBAL_TABLE_NAME',
  globalConsistency: 'GLOBAL_CONSISTENCY',
  /** DynamoDB endpoint override (local engines, the lab's replicator); the SDK honours it too. */
  dynamodbEndpoint: 'AWS_ENDPOINT_URL_DYNAMODB',

  rdsPrimaryInstanceId: 'RDS_PRIMARY_INSTANCE_ID',
  rdsReplicaInstanceIds: 'RDS_REPLICA_INSTANCE_IDS',

  /**
   * Lower-case name of the request header that the load balancer in front sets to the protocol the
   * client used (`x-forwarded-proto` behind an ALB, `cloudfront-forwarded-proto` behind CloudFront).
   * Unset: no proxy is trusted, and cookies are `Secure` only on a direct HTTPS request.
   */
  forwardedProtoHeader: 'FORWARDED_PROTO_HEADER',
  /** `1` in the lab and the playground only: mounts lab-only routes (`/work`, `/session/stats`). Never set by the CDK stacks. */
  labMode: 'PATTERN_LAB_MODE',
  /** Name of the application cookie the ALB keys stickiness on, when `sticky=app`. */
  stickyAppCookieName: 'STICKY_APP_COOKIE_NAME',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
