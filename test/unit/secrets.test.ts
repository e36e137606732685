import { GetSecretValueCommand, SecretsManagerClient, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { createSecretResolver, SECRET_MAX_AGE_SECONDS } from '../../lambdas/adapters/secrets';
import { EngineUnavailableError } from '../../lambdas/core/errors';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-abc123';
const source = { kind: 'secretsManager' as const, arn: ARN };
const login = (password: string) => JSON.stringify({ username: 'app', password });

describe('createSecretResolver', () => {
  const secretsManager = mockClient(SecretsManagerClient);
  const client = new SecretsManagerClient({ region: 'eu-west-1' });

  beforeEach(() => {
    secretsManager.reset();
    jest.useRealTimers();
  });

  const fetchedIds = () => secretsManager.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input.SecretId);

  it('returns a plain value as is, without any client', async () => {
    await expect(createSecretResolver().resolve({ kind: 'value', value: 'pw' })).resolves.toBe('pw');
    expect(secretsManager.calls()).toHaveLength(0);
  });

  it('fetches a secret ARN once while it is fresh and reads JSON fields from it', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: login('s3cret') });
    const secrets = createSecretResolver({ client });

    // Act
    const user = await secrets.resolve(source, 'username');
    const password = await secrets.resolve(source, 'password');

    // Assess
    expect([user, password]).toEqual(['app', 's3cret']);
    expect(fetchedIds()).toEqual([ARN]);
  });

  it('returns the whole string when no field is asked for', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'token' });

    await expect(createSecretResolver({ client }).resolve(source)).resolves.toBe('token');
  });

  it('fetches again after forceFetch (a rotation) and serves the new value from then on', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolvesOnce({ SecretString: login('before') }).resolves({ SecretString: login('after') });
    const secrets = createSecretResolver({ client });
    await secrets.resolve(source, 'password');

    // Act
    const forced = await secrets.resolve(source, 'password', { forceFetch: true });
    const later = await secrets.resolve(source, 'username');

    // Assess
    expect([forced, later]).toEqual(['after', 'app']);
    expect(fetchedIds()).toEqual([ARN, ARN]);
  });

  it(`fetches again once the cached value is older than ${SECRET_MAX_AGE_SECONDS} s`, async () => {
    // Prepare
    jest.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    secretsManager.on(GetSecretValueCommand).resolvesOnce({ SecretString: login('one') }).resolves({ SecretString: login('two') });
    const secrets = createSecretResolver({ client });
    await secrets.resolve(source, 'password');

    // Act
    jest.setSystemTime(Date.parse('2026-01-01T00:00:00Z') + (SECRET_MAX_AGE_SECONDS - 1) * 1000);
    const stillCached = await secrets.resolve(source, 'password');
    jest.setSystemTime(Date.parse('2026-01-01T00:00:00Z') + (SECRET_MAX_AGE_SECONDS + 1) * 1000);
    const expired = await secrets.resolve(source, 'password');

    // Assess
    expect([stillCached, expired]).toEqual(['one', 'two']);
    expect(fetchedIds()).toHaveLength(2);
  });

  it('does not cache a failed fetch (an engine outage): a 503, and the next resolution retries', async () => {
    // Prepare
    const throttled = new SecretsManagerServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: {}, message: 'Rate exceeded' });
    secretsManager.on(GetSecretValueCommand).rejectsOnce(throttled).resolves({ SecretString: 'value' });
    const secrets = createSecretResolver({ client });

    // Act
    const error = await secrets.resolve(source).catch((caught: unknown) => caught);
    const retried = await secrets.resolve(source);

    // Assess: sorted by the SDK's own error (overloaded), not by the Powertools wrapper
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as EngineUnavailableError).kind).toBe('overloaded');
    expect(retried).toBe('value');
    expect(fetchedIds()).toEqual([ARN, ARN]);
  });

  it('names a missing JSON field', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: login('pw') });

    await expect(createSecretResolver({ client }).resolve(source, 'port')).rejects.toThrow(`secret ${ARN} has no string field 'port'`);
  });
});
