/**
 * Schema migrations and the application role, applied by ONE entry point: `runMigrations`. It runs
 * at deploy time (the migration trigger function, `migration-handler.ts`) and, locally, once per
 * harness cluster; never in the request path, so the tiers hold only the app role's secret.
 *
 * Each migration is applied once in its own transaction and recorded in `schema_migrations`; every
 * statement is also idempotent (`IF NOT EXISTS`), so a half-known state converges. The run holds a
 * session-level `pg_advisory_lock` on its own direct connection to the primary (never through a
 * transaction-pooling proxy, where a session lock would pin or leak), so concurrent runs apply each
 * migration exactly once while the others wait, then find nothing to do. The app role's grants
 * are re-applied on every run (see `pg-app-role.ts`).
 *
 * @example
 * const report = await runMigrations({ host, port: 5432, database: 'patterns', master, appRole });
 * report.applied; // ['001_profiles', ...] on a fresh database, [] afterwards
 */
import { Client } from 'pg';
import type { DbSslMode } from '../config/runtime-config';
import { ensureAppRole, type PgLogin } from './pg-app-role';
import { PG_POOL_DEFAULTS, sslOptions } from './pg-pools';

export interface Migration {
  /** Sortable, never renamed: it is the record of what ran. */
  readonly id: string;
  readonly statements: readonly string[];
  /** Tables this migration creates that the app role reads and writes. @default - none */
  readonly tables?: readonly string[];
}

/** Arbitrary constant naming this project's migration lock. */
export const MIGRATION_LOCK_KEY = 7_461_002_115;

/** Where and as whom to migrate. */
export interface MigrationTarget {
  /** The primary itself (not a proxy): the advisory lock lives in this connection's session. */
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** @default 'off' */
  readonly ssl?: DbSslMode;
  /** The master user: it owns the schema, and creates and updates the app role. */
  readonly master: PgLogin;
  /** The application role to create or update. @default - schema only, no role */
  readonly appRole?: PgLogin;
}

export interface MigrationOptions {
  /** @default MIGRATIONS */
  readonly migrations?: readonly Migration[];
  /** @default 10000 */
  readonly connectionTimeoutMillis?: number;
}

export interface MigrationReport {
  /** Ids applied by this run, in order (empty when the schema was current). */
  readonly applied: readonly string[];
  /** The role created or updated, if any. */
  readonly appRole?: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: '001_profiles',
    tables: ['profiles'],
    statements: [
      `CREATE TABLE IF NOT EXISTS profiles (
         id text PRIMARY KEY,
         name text NOT NULL,
         email text NOT NULL,
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
    ],
  },
  {
    id: '002_notes',
    tables: ['notes'],
    statements: [
      `CREATE TABLE IF NOT EXISTS notes (
         id text PRIMARY KEY DEFAULT gen_random_uuid()::text,
         text text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
    ],
  },
  {
    id: '003_counters',
    tables: ['counters'],
    statements: [
      `CREATE TABLE IF NOT EXISTS counters (
         name text NOT NULL,
         shard int NOT NULL,
         value bigint NOT NULL DEFAULT 0,
         PRIMARY KEY (name, shard)
       )`,
    ],
  },
];

async function applyPending(client: Client, migrations: readonly Migration[]): Promise<string[]> {
  await client.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const { rows } = await client.query<{ id: string }>('SELECT id FROM schema_migrations');
  const done = new Set(rows.map((row) => row.id));
  const applied: string[] = [];
  for (const migration of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
    if (done.has(migration.id)) continue;
    await client.query('BEGIN');
    try {
      for (const statement of migration.statements) await client.query(statement);
      await client.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    applied.push(migration.id);
  }
  return applied;
}

/**
 * Applies the pending migrations and creates/updates the app role, on one direct connection under
 * the migration lock. Errors are the database's own (a deploy must fail with its message).
 */
export async function runMigrations(target: MigrationTarget, options: MigrationOptions = {}): Promise<MigrationReport> {
  const migrations = options.migrations ?? MIGRATIONS;
  const client = new Client({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.master.user,
    password: target.master.password,
    ssl: sslOptions(target.ssl ?? 'off', target.host),
    application_name: 'scalability-patterns-migrations',
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
  });
  // A dropped connection is reported by the pending query; this only keeps it from crashing the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await applyPending(client, migrations);
    if (target.appRole !== undefined) {
      const tables = [...new Set(migrations.flatMap((m) => m.tables ?? []))];
      await ensureAppRole(client, target.appRole, target.database, tables, {
        statementTimeoutMs: PG_POOL_DEFAULTS.statementTimeoutMs,
        idleInTransactionTimeoutMs: PG_POOL_DEFAULTS.idleInTransactionTimeoutMs,
      });
    }
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    return { applied, appRole: target.appRole?.user };
  } finally {
    // Closing the session also releases the lock if anything above failed.
    await client.end().catch(() => undefined);
  }
}
