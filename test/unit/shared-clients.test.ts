import { createSecretResolver } from '../../lambdas/adapters/secrets';
import { createSharedClients, type SharedClientSpec } from '../../lambdas/wiring/shared-clients';
import { readRuntimeConfig } from '../../lambdas/config/runtime-sections';

/** A spec whose clients are numbered, with a log of builds and closes. */
function countingSpec(name: string, failFirst = false) {
  const log: string[] = [];
  let builds = 0;
  const spec: SharedClientSpec<{ id: number }> = {
    name,
    sections: [],
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
    const clients = createSharedClients(readRuntimeConfig({}));
    const { spec, log } = countingSpec('redis');

    // Act
    const [a, b] = await Promise.all([clients.use(spec), clients.use(spec)]);
    const c = await clients.use(spec);

    // Assess
    expect([a.id, b.id, c.id]).toEqual([1, 1, 1]);
    expect(log).toEqual(['build 1']);
  });

  it('keeps one client per spec', async () => {
    const clients = createSharedClients(readRuntimeConfig({}));
    const redis = countingSpec('redis');
    const database = countingSpec('database');

    await clients.use(redis.spec);
    await clients.use(database.spec);

    expect([redis.log, database.log]).toEqual([['build 1'], ['build 1']]);
  });

  it('retries a failed build on the next call instead of keeping the failure', async () => {
    const clients = createSharedClients(readRuntimeConfig({}));
    const { spec } = countingSpec('database', true);

    await expect(clients.use(spec)).rejects.toThrow('database unreachable');
    await expect(clients.use(spec)).resolves.toEqual({ id: 2 });
  });

  it('closes every client it built, once, and none it did not', async () => {
    // Prepare
    const clients = createSharedClients(readRuntimeConfig({}));
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

  it('passes its parsed configuration and secret resolver to the builds', async () => {
    const secrets = createSecretResolver();
    const clients = createSharedClients(readRuntimeConfig({ REDIS_HOST: 'cache.local' }), secrets);
    const spec: SharedClientSpec<string> = {
      name: 'probe',
      sections: ['redis'],
      build: async (config, given) => `${config.section('redis').host} ${given === secrets}`,
      close: async () => undefined,
    };

    await expect(clients.use(spec)).resolves.toBe('cache.local true');
  });

  it('checks a client\'s sections when a wiring asks for it, and builds it only on first use', async () => {
    // Prepare
    const { spec, log } = countingSpec('redis');
    const needsRedis = { ...spec, sections: ['redis'] as const };
    const configured = createSharedClients(readRuntimeConfig({ REDIS_HOST: 'cache.local' }));
    const unconfigured = createSharedClients(readRuntimeConfig({ REDIS_PORT: '0x10' }));

    // Act
    const later = configured.configured(needsRedis);

    // Assess
    expect(log).toEqual([]);
    await expect(later()).resolves.toEqual({ id: 1 });
    expect(() => unconfigured.configured(needsRedis)).toThrow(
      'Invalid runtime configuration:\n - REDIS_HOST: got undefined; allowed: a value (required)\n - REDIS_PORT: got "0x10"; allowed: an integer from 1 to 65535',
    );
  });
});
