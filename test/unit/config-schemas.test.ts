/**
 * The field schemas every configuration shares (CDK context, runtime environment, playground flags
 * and actions): one rule per kind of value, so that a value means the same on every side.
 */
import { readCacheConfig, readDatabaseConfig, readRedisConfig } from '../../lambdas/config/runtime-config';
import { ConfigProblems } from '../../lambdas/config/config-problems';
import { booleanWord, configText, integerIn, withDefault } from '../../lambdas/config/schemas';

describe('shared configuration fields', () => {
  it.each(['0x10', '1e2', '1.0', '+1', ' '])('refuses %j as an integer (decimal digits only, on every side)', (text) => {
    // Prepare
    const problems = new ConfigProblems();

    // Act
    const value = problems.field('n', integerIn(1, 1000), configText(text), text);

    // Assess
    expect(value).toBeUndefined();
    expect(problems.list).toEqual([`n: got ${JSON.stringify(text)}; allowed: an integer from 1 to 1000`]);
  });

  it('takes a default only when the value is unset', () => {
    const problems = new ConfigProblems();
    expect(problems.field('n', withDefault(integerIn(1, 9), 4), configText(''))).toBe(4);
    expect(problems.field('n', withDefault(integerIn(1, 9), 4), configText(' 7 '))).toBe(7);
    expect(problems.list).toEqual([]);
  });

  it('refuses 0x10 at runtime as the CDK context does (Number() used to take it)', () => {
    expect(() => readCacheConfig({ CACHE_TTL_SECONDS: '0x10' })).toThrow(
      'Invalid runtime configuration:\n - CACHE_TTL_SECONDS: got "0x10"; allowed: an integer from 1 to 86400',
    );
  });

  it('reads booleans as the words true and false only, as the CDK context does (REDIS_TLS=1 used to pass)', () => {
    expect(readRedisConfig({ REDIS_HOST: 'cache', REDIS_TLS: 'true' }).tls).toBe(true);
    expect(() => readRedisConfig({ REDIS_HOST: 'cache', REDIS_TLS: '1' })).toThrow('REDIS_TLS: got "1"; allowed: true, false');
    expect(new ConfigProblems().field('b', booleanWord, 'false')).toBe(false);
  });

  it('names each bad entry of a host:port list', () => {
    expect(() => readDatabaseConfig({ DB_PRIMARY_HOST: 'db', DB_REPLICAS: 'a:1, b:99999, c;d' })).toThrow(
      'Invalid runtime configuration:\n' +
        ' - DB_REPLICAS: got "b:99999"; allowed: entries of host or host:port, comma-separated\n' +
        ' - DB_REPLICAS: got "c;d"; allowed: entries of host or host:port, comma-separated',
    );
  });
});
