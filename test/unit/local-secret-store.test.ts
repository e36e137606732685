import { AWSCURRENT, LocalSecretStore, AWSPENDING, AWSPREVIOUS, SecretNotFoundError } from '../../harness/local-secret-store';
import { readDatabaseConfig } from '../../lambdas/config/runtime-config';

describe('LocalSecretStore (the Secrets Manager stand-in of the rotation tests)', () => {
  const setup = () => {
    const store = new LocalSecretStore();
    const arn = store.create('app', { username: 'patterns_app', password: 'first' });
    return { store, arn, source: { kind: 'secretsManager' as const, arn } };
  };

  it('gives ARNs the runtime configuration accepts', () => {
    // Prepare
    const { arn } = setup();

    // Act
    const config = readDatabaseConfig({ DB_PRIMARY_HOST: 'localhost', DB_SECRET_ARN: arn });

    // Assess
    expect(config.credentials.password).toEqual({ kind: 'secretsManager', arn });
  });

  it('stages versions as a rotation does: pending without a value, then filled, then current; the old one previous', () => {
    // Prepare
    const { store, arn } = setup();
    const [first] = Object.keys(store.versionStages(arn));

    // Act & Assess: RotateSecret opens the version, createSecret fills it, finishSecret moves AWSCURRENT
    const token = store.openRotation(arn);
    expect(() => store.get(arn, AWSPENDING, token)).toThrow(SecretNotFoundError);
    store.put(arn, token, { username: 'patterns_app', password: 'second' }, [AWSPENDING]);
    expect(store.get(arn, AWSPENDING, token)).toEqual({ username: 'patterns_app', password: 'second' });
    expect(store.get(arn).password).toBe('first');
    store.moveStage(arn, AWSCURRENT, token);
    expect(store.get(arn).password).toBe('second');
    expect(store.get(arn, AWSPREVIOUS).password).toBe('first');
    expect(store.versionStages(arn)).toEqual({ [first]: [AWSPREVIOUS], [token]: [AWSPENDING, AWSCURRENT] });
  });

  it("caches each secret per reader until a forced fetch, counting both, as the runtime's resolver does", async () => {
    // Prepare
    const { store, arn, source } = setup();
    const reader = store.resolver();
    await reader.resolve(source, 'password');
    const token = store.openRotation(arn);
    store.put(arn, token, { username: 'patterns_app', password: 'second' }, [AWSPENDING]);
    store.moveStage(arn, AWSCURRENT, token);

    // Act
    const cached = await reader.resolve(source, 'password');
    const forced = await reader.resolve(source, 'password', { forceFetch: true });
    const fresh = await store.resolver().resolve(source, 'password');

    // Assess
    expect([cached, forced, fresh]).toEqual(['first', 'second', 'second']);
    expect([reader.fetches, reader.forcedFetches]).toEqual([2, 1]);
  });

  it('generates passwords of 32 characters without the excluded ones', () => {
    // Act
    const password = new LocalSecretStore().randomPassword('abcdefghijklmnopqrstuvwxyz!#');

    // Assess
    expect(password).toMatch(/^[A-Z0-9%^_\-=,.]{32}$/);
  });
});
