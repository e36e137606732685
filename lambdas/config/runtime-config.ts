/**
 * Runtime configuration: the one module that reads environment variables. Each pattern reads
 * only the section it needs, once per cold start; every problem in a section is reported at once,
 * naming the variable, the value given and what is allowed, in the format CDK context problems
 * have too (`configProblem`: "NAME: got X; allowed: Y").
 *
 * @example
 * const db = readDatabaseConfig(process.env); // throws ConfigurationError listing every bad variable
 */
import { isIP } from 'node:net';
import { ENV } from './env-names';
import {
  COOKIE_NAME_RULE,
  configProblem,
  DEFAULT_GLOBAL_CONSISTENCY,
  DEFAULT_SESSION_STORE,
  GLOBAL_CONSISTENCIES,
  type GlobalConsistency,
  isCookieName,
  SESSION_STORES,
  type SessionStoreKind,
} from './vocabulary';

export type { GlobalConsistency, SessionStoreKind };

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid runtime configuration:\n - ${problems.join('\n - ')}`);
    this.name = 'ConfigurationError';
  }
}

/** Where a secret comes from: Secrets Manager on AWS, a plain value in local runs and tests. */
export type SecretSource =
  | { readonly kind: 'secretsManager'; readonly arn: string; readonly jsonField?: string }
  | { readonly kind: 'value'; readonly value: string };

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Collects problems while reading variables; `finish` throws them all together. */
class EnvReader {
  private readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback?: string): string {
    const value = this.raw(name) ?? fallback;
    if (value === undefined) {
      this.problems.push(configProblem(name, undefined, 'a value (required)'));
      return '';
    }
    return value;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(configProblem(name, text, `an integer from ${min} to ${max}`));
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback?: T): T {
    const text = this.raw(name) ?? fallback;
    if (text === undefined) {
      this.problems.push(configProblem(name, undefined, allowed.join(', ')));
      return allowed[0];
    }
    if (!(allowed as readonly string[]).includes(text)) {
      this.problems.push(configProblem(name, text, allowed.join(', ')));
      return fallback ?? allowed[0];
    }
    return text as T;
  }

  bool(name: string, fallback: boolean): boolean {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    this.problems.push(configProblem(name, text, 'true, false, 1, 0'));
    return fallback;
  }

  hostPort(text: string, name: string, defaultPort: number): HostPort | undefined {
    const match = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(text);
    const port = match?.[2] === undefined ? defaultPort : Number(match[2]);
    if (!match || port < 1 || port > 65535) {
      this.problems.push(configProblem(name, text, 'entries of host or host:port, comma-separated'));
      return undefined;
    }
    return { host: match[1], port };
  }

  hostPortList(name: string, defaultPort: number): HostPort[] {
    const text = this.raw(name);
    if (text === undefined) return [];
    return text
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '')
      .map((entry) => this.hostPort(entry, name, defaultPort))
      .filter((entry): entry is HostPort => entry !== undefined);
  }

  /** A secret given either as a Secrets Manager ARN or, for local runs, as a plain value (when `valueName` is given). */
  secret(arnName: string, valueName: string | undefined, jsonField?: string): SecretSource | undefined {
    const arn = this.raw(arnName);
    const value = valueName === undefined ? undefined : this.raw(valueName);
    if (arn !== undefined && value !== undefined) {
      // The plain value is a secret: never echoed.
      this.problems.push(configProblem(arnName, arn, `no ARN when ${valueName} is set (one source per secret)`));
    }
    if (arn !== undefined) {
      if (!/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/.test(arn)) {
        this.problems.push(configProblem(arnName, arn, 'a Secrets Manager secret ARN'));
      }
      return { kind: 'secretsManager', arn, jsonField };
    }
    return value === undefined ? undefined : { kind: 'value', value };
  }

  /** An optional http(s) URL. */
  url(name: string): string | undefined {
    const text = this.raw(name);
    if (text !== undefined && !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(text)) {
      this.problems.push(configProblem(name, text, 'an http(s) URL'));
    }
    return text;
  }

  fail(problem: string): void {
    this.problems.push(problem);
  }

  finish<T>(result: T): T {
    if (this.problems.length > 0) throw new ConfigurationError(this.problems);
    return result;
  }
}

export const TIERS = ['lambda', 'fargate', 'local'] as const;
export type Tier = (typeof TIERS)[number];

export interface IdentityConfig {
  readonly tier: Tier;
  readonly region: string;
  /** A fixed instance name, or undefined to generate one for this process. */
  readonly instanceId?: string;
}

export function readIdentityConfig(env: Env): IdentityConfig {
  const r = new EnvReader(env);
  return r.finish({
    tier: r.oneOf(ENV.tier, TIERS, 'local'),
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
  const r = new EnvReader(env);
  const host = r.raw(ENV.listenHost) ?? '0.0.0.0';
  if (isIP(host) === 0) r.fail(configProblem(ENV.listenHost, host, 'an IPv4 or IPv6 address such as 127.0.0.1 or 0.0.0.0'));
  return r.finish({ port: r.int(ENV.port, 8080, 1, 65535), host });
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

/** Header names a proxy may set (RFC 9110 tokens, restricted to what load balancers use). */
const HEADER_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** How the app faces the network: which proxy header to trust, and whether lab-only routes exist. */
export function readHttpConfig(env: Env): HttpConfig {
  const r = new EnvReader(env);
  const header = r.raw(ENV.forwardedProtoHeader)?.toLowerCase();
  if (header !== undefined && !HEADER_NAME.test(header)) {
    r.fail(configProblem(ENV.forwardedProtoHeader, header, 'a header name such as x-forwarded-proto or cloudfront-forwarded-proto'));
  }
  const lab = r.oneOf(ENV.labMode, ['0', '1'] as const, '0');
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
  const r = new EnvReader(env);
  const store = r.oneOf(ENV.sessionStore, SESSION_STORES, DEFAULT_SESSION_STORE);
  // With application-cookie stickiness the ALB keys on the app's own cookie, so the session
  // cookie must carry that name.
  const cookieKey = r.raw(ENV.stickyAppCookieName) !== undefined ? ENV.stickyAppCookieName : ENV.sessionCookieName;
  const cookieName = r.raw(cookieKey) ?? 'sid';
  if (!isCookieName(cookieName)) r.fail(configProblem(cookieKey, cookieName, COOKIE_NAME_RULE));
  const signingKey = r.secret(ENV.sessionSigningKeySecretArn, ENV.sessionSigningKey);
  if (store === 'cookie' && signingKey === undefined) {
    r.fail(configProblem(ENV.sessionSigningKeySecretArn, undefined, `a secret ARN (or ${ENV.sessionSigningKey}) when ${ENV.sessionStore}=cookie`));
  }
  return r.finish({
    store,
    ttlSeconds: r.int(ENV.sessionTtlSeconds, 1800, 1, 7 * 24 * 3600),
    cookieName,
    signingKey,
    memorySessionLimit: r.int(ENV.memorySessionLimit, 100_000, 1, 10_000_000),
  });
}

export interface RedisConfig {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly auth?: SecretSource;
}

export function readRedisConfig(env: Env): RedisConfig {
  const r = new EnvReader(env);
  return r.finish({
    host: r.string(ENV.redisHost),
    port: r.int(ENV.redisPort, 6379, 1, 65535),
    tls: r.bool(ENV.redisTls, false),
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
  const r = new EnvReader(env);
  const primaryHost = r.string(ENV.dbPrimaryHost);
  return r.finish({
    primary: { host: primaryHost, port: r.int(ENV.dbPrimaryPort, 5432, 1, 65535) },
    replicas: r.hostPortList(ENV.dbReplicas, 5432),
    database: r.string(ENV.dbName, 'patterns'),
    ssl: r.oneOf(ENV.dbSsl, DB_SSL_MODES, 'off'),
    credentials: {
      user: r.raw(ENV.dbUser),
      password: r.secret(ENV.dbSecretArn, ENV.dbPassword),
    },
    maxReplicaLagBytes: r.int(ENV.dbMaxReplicaLagBytes, 16 * 1024 * 1024, 0, 2 ** 40),
    readYourWritesWaitMs: r.int(ENV.dbReadYourWritesWaitMs, 250, 0, 10_000),
    poolMax: r.int(ENV.dbPoolMax, DEFAULT_DB_POOL_MAX, 1, 100),
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
  const r = new EnvReader(env);
  const secret = (arnName: string): SecretSource => {
    const source = r.secret(arnName, undefined);
    if (source === undefined) r.fail(configProblem(arnName, undefined, 'a Secrets Manager secret ARN (required)'));
    return source ?? { kind: 'value', value: '' };
  };
  return r.finish({
    primary: { host: r.string(ENV.dbPrimaryHost), port: r.int(ENV.dbPrimaryPort, 5432, 1, 65535) },
    database: r.string(ENV.dbName, 'patterns'),
    ssl: r.oneOf(ENV.dbSsl, DB_SSL_MODES, 'off'),
    masterSecret: secret(ENV.dbMasterSecretArn),
    appSecret: secret(ENV.dbAppSecretArn),
  });
}

export interface CacheConfig {
  readonly ttlSeconds: number;
}

export function readCacheConfig(env: Env): CacheConfig {
  const r = new EnvReader(env);
  return r.finish({ ttlSeconds: r.int(ENV.cacheTtlSeconds, 60, 1, 24 * 3600) });
}

export interface CounterConfig {
  readonly shards: number;
  /** Read-modify-write work per increment, holding the row's lock; 0 = one atomic upsert. */
  readonly workMs: number;
}

export function readCounterConfig(env: Env): CounterConfig {
  const r = new EnvReader(env);
  return r.finish({ shards: r.int(ENV.counterShards, 8, 1, 256), workMs: r.int(ENV.counterWorkMs, 0, 0, 1000) });
}

export interface GlobalTableConfig {
  readonly tableName: string;
  readonly region: string;
  readonly consistency: GlobalConsistency;
  /** Endpoint of this region's replica; undefined on AWS (the SDK picks the regional endpoint). */
  readonly endpoint?: string;
}

export function readGlobalTableConfig(env: Env): GlobalTableConfig {
  const r = new EnvReader(env);
  return r.finish({
    tableName: r.string(ENV.globalTableName),
    region: r.string(ENV.region),
    consistency: r.oneOf(ENV.globalConsistency, GLOBAL_CONSISTENCIES, DEFAULT_GLOBAL_CONSISTENCY),
    endpoint: r.url(ENV.dynamodbEndpoint),
  });
}

export interface RdsOperationsConfig {
  readonly region: string;
  readonly primaryInstanceId: string;
  readonly replicaInstanceIds: readonly string[];
}

export function readRdsOperationsConfig(env: Env): RdsOperationsConfig {
  const r = new EnvReader(env);
  const replicas = (r.raw(ENV.rdsReplicaInstanceIds) ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  return r.finish({
    region: r.string(ENV.region),
    primaryInstanceId: r.string(ENV.rdsPrimaryInstanceId),
    replicaInstanceIds: replicas,
  });
}
