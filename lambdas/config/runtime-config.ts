/**
 * Runtime configuration: the one module that reads environment variables, section by section,
 * through the field schemas every configuration shares (`schemas.ts`). A host parses every
 * section once per process (`runtime-sections.ts`) and hands them to the wiring; every problem in
 * a section is reported at once, naming the variable, the value given and what is allowed, in the
 * format CDK context problems have too (`configProblem`: "NAME: got X; allowed: Y").
 *
 * @example
 * const db = readDatabaseConfig(process.env); // throws ConfigurationError listing every bad variable
 */
import { EnvSection, type Env, type SecretSource } from './env-section';
import { ENV } from './env-names';
import {
  anyText,
  booleanWord,
  cookieName as cookieNameField,
  type HostPort,
  hostPortList,
  httpUrl,
  integerIn,
  ipAddress,
  nameList,
  oneOf,
  optional,
  proxyHeaderName,
  withDefault,
} from './schemas';
import {
  DEFAULT_GLOBAL_CONSISTENCY,
  DEFAULT_SESSION_STORE,
  GLOBAL_CONSISTENCIES,
  type GlobalConsistency,
  PROCESS_TIERS,
  type ProcessTier,
  SESSION_STORES,
  type SessionStoreKind,
} from './vocabulary';

export type { GlobalConsistency, HostPort, SessionStoreKind };
export { ConfigurationError, type Env, type SecretSource } from './env-section';


const PORT = integerIn(1, 65535);

/** Kept under the runtime's names; the value set is the vocabulary's. */
export const TIERS = PROCESS_TIERS;
export type Tier = ProcessTier;

/** `PATTERN_LAB_MODE`: set to 1 by the lab and the playground only. */
const LAB_MODE_FLAGS = ['0', '1'] as const;

export interface IdentityConfig {
  readonly tier: Tier;
  readonly region: string;
  /** A fixed instance name, or undefined to generate one for this process. */
  readonly instanceId?: string;
}

export function readIdentityConfig(env: Env): IdentityConfig {
  const r = new EnvSection(env);
  return r.finish({
    tier: r.field(ENV.tier, withDefault(oneOf(PROCESS_TIERS), 'local')),
    region: r.raw(ENV.region) ?? 'local',
    instanceId: r.raw(ENV.instanceId),
  });
}

export interface ServerConfig {
  readonly port: number;
  /**
   * IP address to listen on.
   * @default '0.0.0.0' - every interface, as a container behind a load balancer needs
   */
  readonly host: string;
}

export function readServerConfig(env: Env): ServerConfig {
  const r = new EnvSection(env);
  const host = r.field(ENV.listenHost, withDefault(ipAddress, '0.0.0.0'));
  return r.finish({ port: r.field(ENV.port, withDefault(PORT, 8080)), host });
}

export interface HttpConfig {
  /**
   * Lower-case name of the header the load balancer in front sets to the client's protocol;
   * cookies are `Secure` when it says `https`.
   * @default - no proxy header is trusted: cookies are `Secure` only on a direct HTTPS request
   */
  readonly forwardedProtoHeader?: string;
  /** Mount the lab-only routes (`/work`, `/session/stats`): the lab's instances only, never a deployment. */
  readonly labMode: boolean;
}

/** How the app faces the network: which proxy header to trust, and whether lab-only routes exist. */
export function readHttpConfig(env: Env): HttpConfig {
  const r = new EnvSection(env);
  // Header names are case-insensitive: the problem quotes the lower-case name that would be used.
  const header = r.raw(ENV.forwardedProtoHeader)?.toLowerCase();
  r.problems.field(ENV.forwardedProtoHeader, optional(proxyHeaderName), header);
  // A flag, not a boolean word: the lab and the playground set PATTERN_LAB_MODE=1 (as documented).
  const lab = r.field(ENV.labMode, withDefault(oneOf(LAB_MODE_FLAGS), '0'));
  return r.finish({ forwardedProtoHeader: header, labMode: lab === '1' });
}

export interface SessionConfig {
  readonly store: SessionStoreKind;
  readonly ttlSeconds: number;
  /** Name of the cookie that carries the session (id or signed payload). */
  readonly cookieName: string;
  /** HMAC key for the `cookie` strategy; required only there. */
  readonly signingKey?: SecretSource;
  readonly memorySessionLimit: number;
}

export function readSessionConfig(env: Env): SessionConfig {
  const r = new EnvSection(env);
  const store = r.field(ENV.sessionStore, withDefault(oneOf(SESSION_STORES), DEFAULT_SESSION_STORE));
  // With application-cookie stickiness the ALB keys on the app's own cookie, so the session
  // cookie must carry that name.
  const cookieKey = r.raw(ENV.stickyAppCookieName) !== undefined ? ENV.stickyAppCookieName : ENV.sessionCookieName;
  const cookieName = r.field(cookieKey, withDefault(cookieNameField, 'sid'));
  const signingKey = r.secret(ENV.sessionSigningKeySecretArn, ENV.sessionSigningKey);
  if (store === 'cookie' && signingKey === undefined) {
    r.problems.add(ENV.sessionSigningKeySecretArn, undefined, `a secret ARN (or ${ENV.sessionSigningKey}) when ${ENV.sessionStore}=cookie`);
  }
  return r.finish({
    store,
    ttlSeconds: r.field(ENV.sessionTtlSeconds, withDefault(integerIn(1, 7 * 24 * 3600), 1800)),
    cookieName,
    signingKey,
    memorySessionLimit: r.field(ENV.memorySessionLimit, withDefault(integerIn(1, 10_000_000), 100_000)),
  });
}

export interface RedisConfig {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly auth?: SecretSource;
}

export function readRedisConfig(env: Env): RedisConfig {
  const r = new EnvSection(env);
  return r.finish({
    host: r.field(ENV.redisHost, anyText()),
    port: r.field(ENV.redisPort, withDefault(PORT, 6379)),
    tls: r.field(ENV.redisTls, withDefault(booleanWord, false)),
    auth: r.secret(ENV.redisAuthSecretArn, ENV.redisPassword),
  });
}

export const DB_SSL_MODES = ['off', 'require', 'verify-full'] as const;
export type DbSslMode = (typeof DB_SSL_MODES)[number];

export interface DatabaseConfig {
  readonly primary: HostPort;
  readonly replicas: readonly HostPort[];
  readonly database: string;
  readonly ssl: DbSslMode;
  /** A JSON secret with `username` and `password` (RDS generated), or a local password. */
  readonly credentials: { readonly user?: string; readonly password?: SecretSource };
  readonly maxReplicaLagBytes: number;
  readonly readYourWritesWaitMs: number;
  /** Connections per pool (the primary's and each replica's). */
  readonly poolMax: number;
}

/** Pool size when DB_POOL_MAX is unset: the container's; the Lambda stacks set 1-2. */
export const DEFAULT_DB_POOL_MAX = 4;

export function readDatabaseConfig(env: Env): DatabaseConfig {
  const r = new EnvSection(env);
  const primaryHost = r.field(ENV.dbPrimaryHost, anyText());
  return r.finish({
    primary: { host: primaryHost, port: r.field(ENV.dbPrimaryPort, withDefault(PORT, 5432)) },
    replicas: r.field(ENV.dbReplicas, hostPortList(5432)),
    database: r.field(ENV.dbName, withDefault(anyText(), 'patterns')),
    ssl: r.field(ENV.dbSsl, withDefault(oneOf(DB_SSL_MODES), 'off')),
    credentials: {
      user: r.raw(ENV.dbUser),
      password: r.secret(ENV.dbSecretArn, ENV.dbPassword),
    },
    maxReplicaLagBytes: r.field(ENV.dbMaxReplicaLagBytes, withDefault(integerIn(0, 2 ** 40), 16 * 1024 * 1024)),
    readYourWritesWaitMs: r.field(ENV.dbReadYourWritesWaitMs, withDefault(integerIn(0, 10_000), 250)),
    poolMax: r.field(ENV.dbPoolMax, withDefault(integerIn(1, 100), DEFAULT_DB_POOL_MAX)),
  });
}

/** The deploy-time migration step: the primary itself and the two JSON secrets (`username`, `password`). */
export interface MigrationConfig {
  readonly primary: HostPort;
  readonly database: string;
  readonly ssl: DbSslMode;
  readonly masterSecret: SecretSource;
  readonly appSecret: SecretSource;
}

export function readMigrationConfig(env: Env): MigrationConfig {
  const r = new EnvSection(env);
  const secret = (arnName: string): SecretSource => {
    const source = r.secret(arnName, undefined);
    if (source === undefined) r.problems.add(arnName, undefined, 'a Secrets Manager secret ARN (required)');
    return source ?? { kind: 'value', value: '' };
  };
  return r.finish({
    primary: { host: r.field(ENV.dbPrimaryHost, anyText()), port: r.field(ENV.dbPrimaryPort, withDefault(PORT, 5432)) },
    database: r.field(ENV.dbName, withDefault(anyText(), 'patterns')),
    ssl: r.field(ENV.dbSsl, withDefault(oneOf(DB_SSL_MODES), 'off')),
    masterSecret: secret(ENV.dbMasterSecretArn),
    appSecret: secret(ENV.dbAppSecretArn),
  });
}

export interface CacheConfig {
  readonly ttlSeconds: number;
}

export function readCacheConfig(env: Env): CacheConfig {
  const r = new EnvSection(env);
  return r.finish({ ttlSeconds: r.field(ENV.cacheTtlSeconds, withDefault(integerIn(1, 24 * 3600), 60)) });
}

export interface CounterConfig {
  readonly shards: number;
  /** Read-modify-write work per increment, holding the row's lock; 0 = one atomic upsert. */
  readonly workMs: number;
}

export function readCounterConfig(env: Env): CounterConfig {
  const r = new EnvSection(env);
  return r.finish({ shards: r.field(ENV.counterShards, withDefault(integerIn(1, 256), 8)), workMs: r.field(ENV.counterWorkMs, withDefault(integerIn(0, 1000), 0)) });
}

export interface GlobalTableConfig {
  readonly tableName: string;
  readonly region: string;
  readonly consistency: GlobalConsistency;
  /** Endpoint of this region's replica; undefined on AWS (the SDK picks the regional endpoint). */
  readonly endpoint?: string;
}

export function readGlobalTableConfig(env: Env): GlobalTableConfig {
  const r = new EnvSection(env);
  return r.finish({
    tableName: r.field(ENV.globalTableName, anyText()),
    region: r.field(ENV.region, anyText()),
    consistency: r.field(ENV.globalConsistency, withDefault(oneOf(GLOBAL_CONSISTENCIES), DEFAULT_GLOBAL_CONSISTENCY)),
    endpoint: r.field(ENV.dynamodbEndpoint, optional(httpUrl)),
  });
}

export interface RdsOperationsConfig {
  readonly region: string;
  readonly primaryInstanceId: string;
  readonly replicaInstanceIds: readonly string[];
}

export function readRdsOperationsConfig(env: Env): RdsOperationsConfig {
  const r = new EnvSection(env);
  const replicas = r.field(ENV.rdsReplicaInstanceIds, nameList);
  return r.finish({
    region: r.field(ENV.region, anyText()),
    primaryInstanceId: r.field(ENV.rdsPrimaryInstanceId, anyText()),
    replicaInstanceIds: replicas,
  });
}

/** The deploy-time concurrency check: each function's reservation and how many functions reserve it. */
export interface ReservationConfig {
  readonly perFunction: number;
  readonly functions: number;
  /** For the message only. */
  readonly region: string;
}

export function readReservationConfig(env: Env): ReservationConfig {
  const r = new EnvSection(env);
  return r.finish({
    perFunction: r.field(ENV.reservedPerFunction, integerIn(0, 1000)),
    functions: r.field(ENV.reservedFunctions, integerIn(0, 1000)),
    region: r.field(ENV.region, withDefault(anyText(), 'this Region')),
  });
}
