/**
 * PostgreSQL connection pools: one small pool for the primary and one per read replica, built once
 * per cold start. Every limit is bounded so that an outage is a quick 503, never a hang: connecting
 * gives up after `connectionTimeoutMillis`, the server cancels statements after `statement_timeout`,
 * and the client abandons a query after `query_timeout` (the last one also covers a synchronous
 * commit waiting for a dead standby, which ignores `statement_timeout`).
 *
 * `statement_timeout` is the app role's own default (`ALTER ROLE ... SET`, made by the migrations),
 * not something this client sends: no session-level `SET` (it pins an RDS Proxy session and leaks
 * through pgbouncer in transaction mode) and no startup parameter either (pgbouncer has to be told
 * to ignore it, which drops it, and RDS Proxy documents no promise about it). The role's default
 * applies to every server connection a proxy opens, at no cost per request. The pool size is
 * DB_POOL_MAX (4 in the container; the Lambda tier sets 1-2, each environment being one client).
 *
 * Credentials: `DB_USER` (or the secret's `username`) and the password from its SecretSource; on AWS
 * the app role's JSON secret, rotated by the single-user strategy. When the login is refused
 * (`isRefusedLogin`: PostgreSQL says 28P01, RDS Proxy may say 28000, PgBouncer 08P01) the
 * refused-login retry (`core/refused-login-retry.ts`) re-reads the secret
 * (`forceFetch`, bypassing the resolver's cache; one read shared by every request refused before
 * it completed) and logs in again (never re-runs a statement), after pauses of REFUSED_LOGIN_PAUSES_MS: that covers
 * the rotation's switch-over, when neither the old nor the new password works everywhere yet.
 * The user name is re-read too, unless DB_USER fixes it (a secret left naming the rotation clone
 * by the multi-user rotation of earlier versions keeps working).
 *
 * @example
 * const pools = await createDatabasePools(readDatabaseConfig(process.env), secrets);
 * const rows = await pools.primary.query<{ now: Date }>('SELECT now() AS now');
 */
import { Pool, type PoolClient, type PoolConfig, type QueryResultRow } from 'pg';
import type { DatabaseConfig, DbSslMode, SecretSource } from '../config/runtime-config';
import type { DatabaseNode } from '../core/read-replica-router';
import { REFUSED_LOGIN_PAUSES_MS, retryRefusedLogin, singleFlight } from '../core/refused-login-retry';
import { guardEngine } from './engine-errors';
import type { SecretResolver } from './secrets';

export const PG_POOL_DEFAULTS = {
  connectionTimeoutMillis: 2000,
  idleTimeoutMillis: 30_000,
  /** Set on the app role by the migrations (`pg-app-role.ts`); this client does not send it. */
  statementTimeoutMs: 5000,
  queryTimeoutMs: 6000,
  /** Set on the app role: a client gone quiet inside a transaction must not hold a pooled server connection. */
  idleInTransactionTimeoutMs: 10_000,
} as const;

/**
 * Whether a login failed because the credentials were refused: SQLSTATE class 28 (PostgreSQL's
 * 28P01; 28000, what RDS Proxy answers when it holds no credentials for the role), or 08P01 with
 * FATAL severity, what PgBouncer answers to a failed SCRAM exchange. The same set as AWS's Secrets
 * Manager JDBC driver (aws/aws-secretsmanager-jdbc#224, #332). Apply it to logins only.
 */
export function isRefusedLogin(error: unknown): boolean {
  const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown };
  if (typeof code !== 'string' || severity === undefined) return false;
  return code.startsWith('28') || (code === '08P01' && severity === 'FATAL');
}

/** Local runs without DB_USER and without a JSON secret connect as the usual superuser name. */
const DEFAULT_USER = 'postgres';

export interface DatabasePoolOverrides {
  /** Merged over the computed pool settings (tests: shorter timeouts, an error hook...). */
  readonly pool?: Partial<PoolConfig>;
}

/**
 * The current login, re-fetched on demand after a refused login. The user name is re-read too
 * (from the same fetch), so that user and password always stay a pair.
 */
class DatabaseCredentials {
  private current: Promise<string>;
  /** Counts completed re-reads: an attempt that began before the last one has fresher credentials waiting. */
  private generationCount = 0;
  /** Concurrent refused logins share one fetch. */
  private readonly refreshOnce: () => Promise<void>;

  constructor(
    private currentUser: string,
    private readonly userFromSecret: boolean,
    private readonly source: SecretSource | undefined,
    private readonly secrets: SecretResolver,
  ) {
    this.current = this.resolve(false);
    this.refreshOnce = singleFlight(() => this.fetchAgain());
  }

  get generation(): number {
    return this.generationCount;
  }

  /**
   * Re-reads the secret for an attempt that began at `seen` (a `generation`), unless it has been
   * re-read since then: a burst of refused logins costs one read, however spread out it is.
   */
  refreshAfter(seen: number): Promise<void> {
    return this.generationCount > seen ? Promise.resolve() : this.refreshOnce();
  }

  /** Whether re-reading can change anything (a plain value cannot rotate). */
  get rotatable(): boolean {
    return this.source?.kind === 'secretsManager';
  }

  get user(): string {
    return this.currentUser;
  }

  password(): Promise<string> {
    return this.current;
  }

  private async fetchAgain(): Promise<void> {
    const fresh = this.resolve(true);
    await fresh;
    this.current = fresh;
    if (this.userFromSecret && this.source !== undefined) this.currentUser = await this.secrets.resolve(this.source, 'username');
    this.generationCount += 1;
  }

  private resolve(forceFetch: boolean): Promise<string> {
    if (this.source === undefined) return Promise.resolve('');
    const pending = this.secrets.resolve(this.source, 'password', { forceFetch });
    pending.catch(() => undefined); // surfaced on use, not as an unhandled rejection
    return pending;
  }
}

/** One database server (primary or replica) behind its pool. */
export class PgNode implements DatabaseNode {
  constructor(
    readonly name: string,
    readonly pool: Pool,
    private readonly credentials: DatabaseCredentials,
  ) {}

  /** Runs one parameterised statement; engine failures become EngineUnavailableError (503). */
  async query<R extends QueryResultRow>(text: string, values: readonly unknown[] = []): Promise<R[]> {
    return this.withClient(async (client) => (await client.query<R>(text, values as unknown[])).rows);
  }

  /**
   * Runs `work` on one dedicated connection (a transaction), released afterwards. Behind a
   * transaction-pooling proxy the server connection is only ours until COMMIT/ROLLBACK: `work`
   * must leave no session state (SET, session advisory locks, named prepared statements).
   */
  async withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return guardEngine('postgres', async () => {
      const client = await this.connect();
      try {
        const result = await work(client);
        client.release();
        return result;
      } catch (error) {
        client.release(error instanceof Error ? error : true); // drop a connection in an unknown state
        throw error;
      }
    });
  }

  /**
   * A pooled connection. Only the login is retried, never a statement: a retry cannot run a write
   * twice. A plain-value password cannot rotate, so its refusal is final at once.
   */
  private connect(): Promise<PoolClient> {
    if (!this.credentials.rotatable) return this.pool.connect();
    let seen = this.credentials.generation;
    return retryRefusedLogin(
      () => {
        seen = this.credentials.generation;
        return this.pool.connect();
      },
      {
        isRefusedLogin,
        pausesMs: REFUSED_LOGIN_PAUSES_MS,
        refresh: async () => {
          await this.credentials.refreshAfter(seen);
          this.pool.options.user = this.credentials.user; // used by the pool's next connections
        },
      },
    );
  }
}

export interface DatabasePools {
  readonly primary: PgNode;
  /** Named `replica-1`, `replica-2`... in DB_REPLICAS order. */
  readonly replicas: readonly PgNode[];
  close(): Promise<void>;
}

/** TLS as libpq names it: `require` encrypts without checking the certificate, `verify-full` checks both. */
export function sslOptions(mode: DbSslMode, host: string): PoolConfig['ssl'] {
  switch (mode) {
    case 'off':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      // Trust comes from Node's store plus NODE_EXTRA_CA_CERTS (the RDS bundle on Lambda).
      return { rejectUnauthorized: true, servername: host };
  }
}

/**
 * Builds the pools (no connection is opened until the first query).
 *
 * @example
 * const pools = await createDatabasePools(config, secrets, { pool: { connectionTimeoutMillis: 500 } });
 */
export async function createDatabasePools(
  config: DatabaseConfig,
  secrets: SecretResolver,
  overrides: DatabasePoolOverrides = {},
): Promise<DatabasePools> {
  const source = config.credentials.password;
  const userFromSecret = config.credentials.user === undefined && source?.kind === 'secretsManager';
  const user = config.credentials.user ?? (userFromSecret && source !== undefined ? await secrets.resolve(source, 'username') : DEFAULT_USER);
  const credentials = new DatabaseCredentials(user, userFromSecret, source, secrets);
  const node = (name: string, host: string, port: number): PgNode => {
    const pool = new Pool({
      host,
      port,
      user,
      database: config.database,
      password: () => credentials.password(),
      ssl: sslOptions(config.ssl, host),
      application_name: 'scalability-patterns',
      max: config.poolMax,
      connectionTimeoutMillis: PG_POOL_DEFAULTS.connectionTimeoutMillis,
      idleTimeoutMillis: PG_POOL_DEFAULTS.idleTimeoutMillis,
      query_timeout: PG_POOL_DEFAULTS.queryTimeoutMs,
      ...overrides.pool,
    });
    // An idle connection dropped by the server (restart, failover) must not crash the process.
    pool.on('error', () => undefined);
    return new PgNode(name, pool, credentials);
  };
  const primary = node('primary', config.primary.host, config.primary.port);
  const replicas = config.replicas.map((replica, index) => node(`replica-${index + 1}`, replica.host, replica.port));
  return {
    primary,
    replicas,
    async close() {
      await Promise.allSettled([primary, ...replicas].map((n) => n.pool.end()));
    },
  };
}
