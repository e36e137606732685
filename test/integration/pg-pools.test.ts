/**
 * The PostgreSQL adapters against a real primary: credentials (rotation) and bounded failures.
 * Migrations have their own suite (`pg-migrations.test.ts`).
 */
import type { DatabaseConfig, SecretSource } from '../../lambdas/config/runtime-config';
import { readDatabaseConfig } from '../../lambdas/config/runtime-config';
import { EngineUnavailableError } from '../../lambdas/core/errors';
import { createDatabasePools, type DatabasePools } from '../../lambdas/adapters/pg-pools';
import type { SecretResolver } from '../../lambdas/adapters/secrets';
import { startPostgresCluster, type PostgresCluster } from '../../harness/postgres-cluster';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-abc123';

interface Login {
  readonly username: string;
  readonly password: string;
}

/**
 * A caching resolver stand-in holding an RDS-style JSON secret; records every lookup (a forced one
 * as `field!`). `cached` is what the cache holds, `stored` what Secrets Manager holds now: a
 * forced fetch replaces the first with the second, as the Powertools provider does.
 */
function fakeSecrets(cached: Login, lookups: string[], stored: Login = cached): SecretResolver {
  let current = cached;
  return {
    async resolve(_source: SecretSource, jsonField?: string, options = {}) {
      if (options.forceFetch === true) current = stored;
      lookups.push(`${jsonField ?? '(whole)'}${options.forceFetch === true ? '!' : ''}`);
      return jsonField === 'username' ? current.username : current.password;
    },
  };
}

describe('PostgreSQL adapters on a real primary', () => {
  let cluster: PostgresCluster;
  let config: DatabaseConfig;
  const opened: DatabasePools[] = [];

  const pools = async (overrideConfig: Partial<DatabaseConfig>, secrets: SecretResolver, options = {}) => {
    const built = await createDatabasePools({ ...config, ...overrideConfig }, secrets, options);
    opened.push(built);
    return built;
  };

  beforeAll(async () => {
    cluster = await startPostgresCluster({ replicas: 0 });
    config = readDatabaseConfig(cluster.appEnv());
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(opened.map((p) => p.close()));
    await cluster?.stop();
  });

  it('takes user and password from an RDS-style JSON secret', async () => {
    // Prepare
    const lookups: string[] = [];
    const secrets = fakeSecrets({ username: cluster.user, password: cluster.password }, lookups);
    const db = await pools({ credentials: { password: { kind: 'secretsManager', arn: SECRET_ARN } } }, secrets);

    // Act
    const [row] = await db.primary.query<{ user: string }>('SELECT current_user AS user');

    // Assess
    expect(row.user).toBe(cluster.user);
    expect(lookups.sort()).toEqual(['password', 'username']);
  });

  it('fetches the secret again once after an authentication failure (rotation)', async () => {
    // Prepare: the cached secret is stale; a fresh fetch returns the rotated password
    const lookups: string[] = [];
    const secrets = fakeSecrets({ username: cluster.user, password: 'before-rotation' }, lookups, {
      username: cluster.user,
      password: cluster.password,
    });
    const db = await pools({ credentials: { password: { kind: 'secretsManager', arn: SECRET_ARN } } }, secrets);

    // Act
    const [row] = await db.primary.query<{ one: number }>('SELECT 1 AS one');

    // Assess: one forced fetch, the user name then read from the value it cached
    expect(row.one).toBe(1);
    expect(lookups).toEqual(['username', 'password', 'password!', 'username']);
  });

  it('keeps re-reading while a rotation switches over: the secret turns current only after the database changed', async () => {
    // Prepare: the database already has the new password (setSecret), the secret serves the old one
    // to the first two forced reads (before finishSecret), then the new one
    const { user, password } = cluster.app;
    const lookups: string[] = [];
    let forced = 0;
    const secrets: SecretResolver = {
      async resolve(_source, field, options = {}) {
        if (options.forceFetch === true) forced += 1;
        lookups.push(`${field}${options.forceFetch === true ? '!' : ''}`);
        if (field === 'username') return user;
        return forced >= 3 ? password : 'before-rotation';
      },
    };
    const db = await pools({ credentials: { password: { kind: 'secretsManager', arn: SECRET_ARN } } }, secrets);

    // Act: a burst of requests, all refused at first
    const started = Date.now();
    const rows = await Promise.all(Array.from({ length: 4 }, () => db.primary.query<{ one: number }>('SELECT 1 AS one')));

    // Assess: every request answered; the burst shared each read (3 forced reads, not 3 per request),
    // and waited the first three pauses of the retry, no more
    expect(rows.flat()).toEqual(Array(4).fill({ one: 1 }));
    expect(forced).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100 + 200 + 400);
  });

  it('gives up with a 503 once the retry budget is spent (the password never comes right)', async () => {
    // Prepare
    const db = await pools(
      { credentials: { password: { kind: 'secretsManager', arn: SECRET_ARN } } },
      fakeSecrets({ username: cluster.app.user, password: 'stale' }, []),
    );

    // Act
    const error = await db.primary.query('SELECT 1').catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as Error).message).toMatch(/^postgres is unavailable: password authentication failed/);
  }, 10_000);

  it('follows the secret to the rotation clone, which a multi-user rotation of earlier versions may have left in it', async () => {
    // Prepare: the clone (made by the migrations) got a password from the rotation, and the secret now names it;
    // this process still holds the role's old password
    const clone = { username: 'patterns_app_clone', password: 'clone-after-rotation' };
    await cluster.query(`ALTER USER patterns_app_clone WITH PASSWORD '${clone.password}'`);
    const db = await pools(
      { credentials: { password: { kind: 'secretsManager', arn: SECRET_ARN } } },
      fakeSecrets({ username: 'patterns_app', password: 'before-two-rotations' }, [], clone),
    );

    // Act
    const first = await db.primary.query<{ user: string }>('SELECT current_user AS user');
    const later = await db.primary.query<{ user: string }>('SELECT current_user AS user');

    // Assess: the retried query and the pool's next connections log in as the clone
    expect([first[0].user, later[0].user]).toEqual(['patterns_app_clone', 'patterns_app_clone']);
  });

  it('turns a wrong plain password into a 503 without fetching again (a plain value cannot rotate)', async () => {
    // Prepare
    const lookups: string[] = [];
    const db = await pools(
      { credentials: { user: cluster.user, password: { kind: 'value', value: 'wrong' } } },
      fakeSecrets({ username: '', password: 'wrong' }, lookups, { username: '', password: cluster.password }),
    );

    // Act
    const error = await db.primary.query('SELECT 1').catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as Error).message).toMatch(/^postgres is unavailable: password authentication failed/);
    expect(lookups.filter((lookup) => lookup.endsWith('!'))).toEqual([]);
  });

  it('turns a refused connection into a 503', async () => {
    // Prepare: port 1 (tcpmux) has no listener here
    const db = await pools({ primary: { host: '127.0.0.1', port: 1 } }, fakeSecrets({ username: '', password: '' }, []));

    // Act & Assess
    await expect(db.primary.query('SELECT 1')).rejects.toThrow(/^postgres is unavailable: .*ECONNREFUSED/);
  });

  it("bounds a slow statement with the app role's statement_timeout and answers 503", async () => {
    // Prepare: the role's limit (5 s from the migrations) shortened for the test, restored after
    await cluster.query('ALTER ROLE patterns_app SET statement_timeout = 200');
    try {
      const db = await pools({}, fakeSecrets({ username: cluster.app.user, password: cluster.app.password }, []));

      // Act & Assess
      await expect(db.primary.query('SELECT pg_sleep(5)')).rejects.toThrow(/^postgres is unavailable: canceling statement due to statement timeout/);
    } finally {
      await cluster.query('ALTER ROLE patterns_app SET statement_timeout = 5000');
    }
  });
});
