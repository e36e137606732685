import { parseAppConfig } from '../../lib/config/app-config';
import { ENV } from '../../lambdas/config/env-names';
import { readGlobalTableConfig, readSessionConfig } from '../../lambdas/config/runtime-config';
import {
  configProblem,
  GLOBAL_CONSISTENCIES,
  isCookieName,
  SESSION_STORES,
} from '../../lambdas/config/vocabulary';

/** CDK context with one key set; the rest falls back to the app's defaults. */
const context = (key: string, value: string) => (k: string) => (k === key ? value : k === 'sticky' ? 'lb' : undefined);

describe('configuration vocabulary', () => {
  it('formats every problem as "key: got X; allowed: Y"', () => {
    expect(configProblem('DB_POOL_MAX', '0', 'an integer from 1 to 100')).toBe('DB_POOL_MAX: got "0"; allowed: an integer from 1 to 100');
    expect(configProblem('AWS_REGION', undefined, 'a value (required)')).toBe('AWS_REGION: got undefined; allowed: a value (required)');
  });

  it('accepts the cookie token characters and nothing else', () => {
    expect(isCookieName('SESSION')).toBe(true);
    expect(isCookieName("a!#$%&'*+-.^_`|~9")).toBe(true);
    expect(isCookieName('a;b')).toBe(false);
    expect(isCookieName('')).toBe(false);
    expect(isCookieName('x'.repeat(65))).toBe(false);
  });

  it.each(SESSION_STORES)('session store %s is accepted by the CDK context and by the runtime alike', (store) => {
    expect(parseAppConfig(context('sessionStore', store)).config.sessionStore).toBe(store);
    expect(readSessionConfig({ [ENV.sessionStore]: store, [ENV.sessionSigningKey]: 'k'.repeat(32) }).store).toBe(store);
  });

  it.each(GLOBAL_CONSISTENCIES)('global consistency %s is accepted by the CDK context and by the runtime alike', (mode) => {
    const strong = mode === 'strong' ? { replicaRegions: 'us-east-2,us-west-2' } : {};
    const read = (k: string) => (k === 'globalConsistency' ? mode : (strong as Record<string, string>)[k]);
    expect(parseAppConfig(read).config.globalConsistency).toBe(mode);
    const env = { [ENV.globalConsistency]: mode, [ENV.globalTableName]: 't', [ENV.region]: 'us-east-1' };
    expect(readGlobalTableConfig(env).consistency).toBe(mode);
  });

  it('words an unknown session store the same way on both sides', () => {
    // Act
    const fromContext = (() => {
      try {
        parseAppConfig(context('sessionStore', 'disk'));
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    const fromEnv = (): unknown => readSessionConfig({ [ENV.sessionStore]: 'disk' });

    // Assess
    expect(fromContext).toContain('sessionStore: got "disk"; allowed: redis, memory, cookie');
    expect(fromEnv).toThrow('SESSION_STORE: got "disk"; allowed: redis, memory, cookie');
  });
});
