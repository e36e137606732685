/**
 * Schema migrations: an ordered list, each applied once in its own transaction and recorded in
 * `schema_migrations`; every statement is also idempotent (`IF NOT EXISTS`), so a half-known state
 * converges. They run on the primary under a session-level `pg_advisory_lock`, so that many cold
 * starts at once apply each migration exactly once while the others wait, then find nothing to do.
 *
 * Why at first use, by the application, rather than in a deploy step: this project's schema is a
 * few demo tables, and running them lazily (first request of a cold start, at most once per
 * process, see `sharedDatabase()`) needs no extra deploy-time function with VPC access and
 * works identically on Lambda, Fargate and in local runs. The cost is one lock + one SELECT per
 * cold start once the schema is current. A production system with destructive or long migrations
 * should run them in a deploy step instead (a custom resource or a pipeline job), before traffic.
 *
 * @example
 * const applied = await runMigrations(pools.primary); // ['001_profiles', ...] on a fresh database
 */
import type { PoolClient } from 'pg';
import type { PgNode } from './pg-pools';

export interface Migration {
  /** Sortable, never renamed: it is the record of what ran. */
  readonly id: string;
  readonly statements: readonly string[];
}

/** Arbitrary constant naming this project's migration lock. */
export const MIGRATION_LOCK_KEY = 7_461_002_115;

export const MIGRATIONS: readonly Migration[] = [
  {
    id: '001_profiles',
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

async function applyPending(client: PoolClient, migrations: readonly Migration[]): Promise<string[]> {
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

/** Applies the pending migrations on the primary; returns the ids applied by this call. */
export async function runMigrations(primary: PgNode, migrations: readonly Migration[] = MIGRATIONS): Promise<string[]> {
  return primary.withClient(async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await applyPending(client, migrations);
    } finally {
      // If this fails the error drops the connection, and with it the session's lock.
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}
