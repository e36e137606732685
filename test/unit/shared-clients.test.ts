import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createSecretResolver } from '../../lambdas/adapters/secrets';
import { EngineUnavailableError } from '../../lambdas/core/errors';
import { createSharedClients, type SharedClientSpec } from '../../lambdas/wiring/shared-clients';

/** A spec whose clients are numbered, with a log of builds and closes. */
function countingSpec(name: string, failFirst = false) {
  const log: string[] = [];
  let builds = 0;
  const spec: SharedClientSpec<{ id: number }> = {
    name,
    build: async () => {
      builds += 1;
      log.push(`build ${builds}`);
      if (failFirst && builds === 1) throw new Error(`${name} unreachable`);
      return { id: builds };
    },
    close: async (client) => log.push(`close ${client.id}`),
  };
  return { spec, log };
}

describe('createSharedClients', () => {
  it('builds a client once and shares it, concurrent first calls included', async () => {
    // Prepare
    const clients = createSharedClients({});
    const { spec, log } = countingSpec('redis');

    // Act
    const [a, b] = await Promise.all([clients.use(spec), clients.use(spec)]);
    const c = await clients.use(spec);

    // Assess
    expect([a.id, b.id, c.id]).toEqual([1, 1, 1]);
    expect(log).toEqual(['build 1']);
  });

  it('keeps one client per spec', async () => {
    const clients = createSharedClients({});
    const redis = countingSpec('redis');
    const database = countingSpec('database');

    await clients.use(redis.spec);
    await clients.use(database.spec);

    expect([redis.log, database.log]).toEqual([['build 1'], ['build 1']]);
  });

  it('retries a failed build on the next call instead of keeping the failure', async () => {
    const clients = createSharedClients({});
    const { spec } = countingSpec('database', true);

    await expect(clients.use(spec)).rejects.toThrow('database unreachable');
    await expect(clients.use(spec)).resolves.toEqual({ id: 2 });
  });

  it('closes every client it built, once, and none it did not', async () => {
    // Prepare
    const clients = createSharedClients({});
    const used = countingSpec('redis');
    const unused = countingSpec('database');
    await clients.use(used.spec);

    // Act
    await clients.close();
    await clients.close();

    // Assess
    expect(used.log).toEqual(['build 1', 'close 1']);
    expect(unused.log).toEqual([]);
  });

  it('passes its environment and secret resolver to the builds', async () => {
    const secrets = createSecretResolver();
    const clients = createSharedClients({ REDIS_HOST: 'cache.local' }, secrets);
    const spec: SharedClientSpec<string> = {
      name: 'probe',
      build: async (env, given) => `${env.REDIS_HOST} ${given === secrets}`,
      close: async () => undefined,
    };

    await expect(clients.use(spec)).resolves.toBe('cache.local true');
  });
});

describe('createSecretResolver', () => {
  const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-abc123';
  /** A Secrets Manager client double that answers from a map and counts calls. */
  const fakeClient = (answers: Array<string | Error>) => {
    const calls: string[] = [];
    const client = {
      send: async (command: { input: { SecretId: string } }) => {
        calls.push(command.input.SecretId);
        const answer = answers.shift();
        if (answer instanceof Error) throw answer;
        return { SecretString: answer };
      },
    } as unknown as SecretsManagerClient;
    return { client, calls };
  };

  it('returns a plain value as is, without any client', async () => {
    await expect(createSecretResolver().resolve({ kind: 'value', value: 'pw' })).resolves.toBe('pw');
  });

  it('fetches a secret ARN once per process and reads JSON fields from it', async () => {
    // Prepare
    const { client, calls } = fakeClient([JSON.stringify({ username: 'app', password: 's3cret' })]);
    const secrets = createSecretResolver({ client });
    const source = { kind: 'secretsManager' as const, arn: ARN };

    // Act
    const user = await secrets.resolve(source, 'username');
    const password = await secrets.resolve(source, 'password');

    // Assess
    expect([user, password]).toEqual(['app', 's3cret']);
    expect(calls).toEqual([ARN]);
  });

  it('does not cache a failed fetch (an engine outage), so the next resolution retries', async () => {
    const { client, calls } = fakeClient([new Error('throttled'), 'value']);
    const secrets = createSecretResolver({ client });
    const source = { kind: 'secretsManager' as const, arn: ARN };

    await expect(secrets.resolve(source)).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(secrets.resolve(source)).resolves.toBe('value');
    expect(calls).toEqual([ARN, ARN]);
  });
});
