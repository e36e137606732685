/**
 * The application's database role (`patterns_app`, and `patterns_app_clone`, a member of it: the
 * alternate login of the multi-user rotation that earlier versions used, kept so that a secret that
 * rotation left naming the clone still works; the secret now rotates single-user and keeps its
 * username, see `lib/data/app-database-role.ts`): it logs in, reads and writes the pattern tables,
 * and nothing else. It owns no table, so it cannot DROP or ALTER them, and it has no
 * CREATE on the schema (PostgreSQL 15+ no longer grants that to PUBLIC). The master user creates
 * it and re-applies its grants on every migration run, so a new table or a rotated password
 * converges on the next deploy.
 *
 * The password is sent as a SCRAM-SHA-256 verifier computed here, not in clear text, so that it
 * never appears in the server's statement log or in `pg_stat_statements`.
 *
 * The role also carries the server-side limits (`ALTER ROLE ... SET statement_timeout`), which the
 * runtime's pools therefore neither SET nor send at startup: a `SET` pins an RDS Proxy session, and
 * pgbouncer drops startup parameters; a role default applies to every server connection a proxy
 * opens as this role, at no cost per request.
 *
 * @example
 * await ensureAppRole(masterClient, { user: 'patterns_app', password }, 'patterns', ['profiles'], limits);
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { Client } from 'pg';

export interface PgLogin {
  readonly user: string;
  readonly password: string;
}

/** The role name the stacks and the harness give the application's secret. */
export const APP_ROLE_NAME = 'patterns_app';

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const SCRAM_ITERATIONS = 4096;

/**
 * The `SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>` form PostgreSQL stores (RFC 5803),
 * which `CREATE/ALTER ROLE ... PASSWORD` accepts as is. The password is used as given (no
 * SASLprep): generated secrets are ASCII, for which SASLprep is the identity.
 */
export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(16)): string {
  const salted = pbkdf2Sync(password, salt, SCRAM_ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** Suffix of the alternate login of Secrets Manager's multi-user rotation (`patterns_app_clone`). */
export const ROTATION_CLONE_SUFFIX = '_clone';

/**
 * The role and its rotation clone, from the login the app secret currently names (either one: a
 * multi-user rotation of earlier versions may have left the secret on the clone).
 */
export function appRoleNames(login: string): { readonly base: string; readonly clone: string } {
  const base = login.endsWith(ROTATION_CLONE_SUFFIX) ? login.slice(0, -ROTATION_CLONE_SUFFIX.length) : login;
  if (!ROLE_NAME.test(base) || base.length + ROTATION_CLONE_SUFFIX.length > 63) {
    throw new Error(`app role name: got ${JSON.stringify(login)}; allowed: a lower-case SQL identifier of at most ${63 - ROTATION_CLONE_SUFFIX.length} characters (+ ${ROTATION_CLONE_SUFFIX})`);
  }
  return { base, clone: `${base}${ROTATION_CLONE_SUFFIX}` };
}

export interface AppRoleLimits {
  /** Server-side statement limit of every session of the role. */
  readonly statementTimeoutMs: number;
  /** A session idle inside a transaction longer than this is ended, freeing its pooled server connection. */
  readonly idleInTransactionTimeoutMs: number;
}

/**
 * Creates or updates the role and grants it DML on `tables` and USAGE on the schema's sequences.
 * Run it under the migration lock: roles are cluster-wide and CREATE ROLE has no IF NOT EXISTS.
 *
 * The rotation clone is made here too, as a member of the role with the role's limits, so that a
 * secret an earlier multi-user rotation left on it keeps working (that rotation created a missing
 * clone itself, without the limits). Only LOGIN and PASSWORD are set, because a
 * non-superuser master (RDS) may not name SUPERUSER/REPLICATION/BYPASSRLS at all; their defaults
 * are already "no".
 */

export async function ensureAppRole(
  client: Client,
  login: PgLogin,
  database: string,
  tables: readonly string[],
  limits: AppRoleLimits,
): Promise<void> {
  const { base, clone } = appRoleNames(login.user);
  if (login.password === '') throw new Error('app role password: got an empty string; allowed: a non-empty secret');
  // Only the login the secret names gets its password; the other one keeps its own (or none yet).
  await upsertRole(client, base, login.user === base ? login.password : undefined);
  await upsertRole(client, clone, login.user === clone ? login.password : undefined);
  const baseId = client.escapeIdentifier(base);
  await client.query(`GRANT ${baseId} TO ${client.escapeIdentifier(clone)}`);
  for (const role of [base, clone]) {
    // Role defaults are not inherited through membership: each login gets its own.
    const id = client.escapeIdentifier(role);
    await client.query(`ALTER ROLE ${id} SET statement_timeout = ${Math.trunc(limits.statementTimeoutMs)}`);
    await client.query(`ALTER ROLE ${id} SET idle_in_transaction_session_timeout = ${Math.trunc(limits.idleInTransactionTimeoutMs)}`);
  }
  await client.query(`GRANT CONNECT ON DATABASE ${client.escapeIdentifier(database)} TO ${baseId}`);
  await client.query(`GRANT USAGE ON SCHEMA public TO ${baseId}`);
  if (tables.length > 0) {
    const list = tables.map((table) => `public.${client.escapeIdentifier(table)}`).join(', ');
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${list} TO ${baseId}`);
  }
  await client.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${baseId}`);
}

/** CREATE (LOGIN, with the password if given, else none: it cannot log in yet) or ALTER the password. */
async function upsertRole(client: Client, role: string, password: string | undefined): Promise<void> {
  const id = client.escapeIdentifier(role);
  const withPassword = password === undefined ? '' : ` PASSWORD ${client.escapeLiteral(scramSha256Verifier(password))}`;
  const { rows } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (rows.length === 0) await client.query(`CREATE ROLE ${id} WITH LOGIN${withPassword}`);
  else if (password !== undefined) await client.query(`ALTER ROLE ${id} WITH LOGIN${withPassword}`);
}
