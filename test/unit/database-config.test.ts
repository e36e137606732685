/**
 * The database sections of the runtime configuration: pool size (DB_POOL_MAX) for the tiers, and
 * the deploy-time migration step's settings, with every problem reported at once.
 */
import { DEFAULT_DB_POOL_MAX, readDatabaseConfig, readMigrationConfig } from '../../lambdas/config/runtime-config';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-abc123';

describe('readDatabaseConfig', () => {
  it('keeps the container pool size of 4 when DB_POOL_MAX is unset', () => {
    // Act
    const config = readDatabaseConfig({ DB_PRIMARY_HOST: 'db' });

    // Assess
    expect(DEFAULT_DB_POOL_MAX).toBe(4);
    expect(config.poolMax).toBe(4);
  });

  it.each([
    ['1', 1],
    ['2', 2],
    ['100', 100],
  ])('takes DB_POOL_MAX=%s', (text, expected) => {
    // Act & Assess
    expect(readDatabaseConfig({ DB_PRIMARY_HOST: 'db', DB_POOL_MAX: text }).poolMax).toBe(expected);
  });

  it.each(['0', '101', '1.5', 'two'])('refuses DB_POOL_MAX=%s with the allowed range', (text) => {
    // Act & Assess
    expect(() => readDatabaseConfig({ DB_PRIMARY_HOST: 'db', DB_POOL_MAX: text })).toThrow(
      `Invalid runtime configuration:\n - DB_POOL_MAX: got "${text}"; allowed: an integer from 1 to 100`,
    );
  });
});

describe('readMigrationConfig', () => {
  it('reads the primary and both secrets', () => {
    // Act
    const config = readMigrationConfig({
      DB_PRIMARY_HOST: 'primary.example', DB_PRIMARY_PORT: '5433', DB_NAME: 'patterns', DB_SSL: 'verify-full',
      DB_MASTER_SECRET_ARN: `${ARN}-master`, DB_APP_SECRET_ARN: `${ARN}-app`,
    });

    // Assess
    expect(config).toEqual({
      primary: { host: 'primary.example', port: 5433 },
      database: 'patterns',
      ssl: 'verify-full',
      masterSecret: { kind: 'secretsManager', arn: `${ARN}-master`, jsonField: undefined },
      appSecret: { kind: 'secretsManager', arn: `${ARN}-app`, jsonField: undefined },
    });
  });

  it('reports every problem at once', () => {
    // Act & Assess
    expect(() => readMigrationConfig({ DB_SSL: 'maybe', DB_MASTER_SECRET_ARN: 'not-an-arn' })).toThrow(
      'Invalid runtime configuration:\n' +
        ' - DB_PRIMARY_HOST: got undefined; allowed: a value (required)\n' +
        ' - DB_SSL: got "maybe"; allowed: off, require, verify-full\n' +
        ' - DB_MASTER_SECRET_ARN: got "not-an-arn"; allowed: a Secrets Manager secret ARN\n' +
        ' - DB_APP_SECRET_ARN: got undefined; allowed: a Secrets Manager secret ARN (required)',
    );
  });
});
