/**
 * The request path must not leave session state on a pooled connection: behind RDS Proxy it pins
 * the session (the proxy stops sharing it), behind pgbouncer in transaction mode it leaks into
 * another client (see `pooled-primary.test.ts`). A source audit of `lambdas/`, the migration step
 * excepted (it runs on its own direct connection); the detector is first shown to catch each kind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', 'lambdas');
/** Files that may hold session state on purpose: the migration step's direct connection. */
const ALLOWED = new Set(['adapters/pg-migrations.ts', 'adapters/pg-app-role.ts']);

const SESSION_STATE: ReadonlyArray<readonly [string, RegExp]> = [
  ['session-level SET', /['"`]\s*(SET|RESET)\s+(SESSION\s+)?(?!LOCAL\b)[a-z_.]+\s*(=|TO\b)/i],
  ['set_config outside a transaction-local call', /set_config\([^)]*,\s*false\s*\)/i],
  ['session advisory lock', /pg_(try_)?advisory_lock(_shared)?\s*\(/i],
  ['named prepared statement', /\bPREPARE\s+[a-z_]+|\bquery\(\s*\{[^}]*\bname\s*:/is],
  ['LISTEN', /['"`]\s*LISTEN\s/i],
  ['temporary table', /CREATE\s+(TEMP|TEMPORARY)\s+TABLE/i],
  ['holdable cursor', /WITH\s+HOLD/i],
];

/** The kinds of session state found in `source`. */
function sessionStateIn(source: string): string[] {
  return SESSION_STATE.filter(([, pattern]) => pattern.test(source)).map(([kind]) => kind);
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('pinning-free hot path', () => {
  it('is a live check: the detector finds each kind of session state', () => {
    // Prepare
    const samples = [
      "await client.query('SET statement_timeout = 100')",
      "await pool.query(`SELECT set_config('search_path', 'x', false)`)",
      "await pool.query('SELECT pg_advisory_lock($1)', [1])",
      "await client.query({ name: 'by-id', text: 'SELECT 1' })",
      "await client.query('LISTEN changes')",
      "await client.query('CREATE TEMP TABLE t (id int)')",
      "await client.query('DECLARE c CURSOR WITH HOLD FOR SELECT 1')",
    ];

    // Act
    const found = samples.map(sessionStateIn);

    // Assess
    expect(found).toEqual(SESSION_STATE.map(([kind]) => [kind]));
  });

  it('accepts what is transaction-scoped or no statement at all', () => {
    // Act & Assess
    expect(sessionStateIn("await client.query('SET LOCAL lock_timeout = 100')")).toEqual([]);
    expect(sessionStateIn("'UPDATE counters SET value = $3 WHERE name = $1'")).toEqual([]);
    expect(sessionStateIn("'SELECT pg_advisory_xact_lock($1)'")).toEqual([]);
    expect(sessionStateIn("ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name")).toEqual([]);
  });

  it('finds none in lambdas/ outside the migration step', () => {
    // Prepare
    const files = sourceFiles(ROOT).filter((file) => !ALLOWED.has(path.relative(ROOT, file).split(path.sep).join('/')));

    // Act
    const offenders = files
      .map((file) => ({ file: path.relative(ROOT, file), kinds: sessionStateIn(fs.readFileSync(file, 'utf8')) }))
      .filter((found) => found.kinds.length > 0);

    // Assess
    expect(files.length).toBeGreaterThan(20);
    expect(offenders).toEqual([]);
  });
});
