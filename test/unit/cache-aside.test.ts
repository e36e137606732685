import { CacheAside, type Cache } from '../../lambdas/core/cache-aside';
import { ManualClock } from '../../lambdas/core/clock';
import { EngineUnavailableError } from '../../lambdas/core/errors';

interface Profile {
  id: string;
  name: string;
}

/** A Map-backed cache that remembers TTLs and can be switched off like a dead Redis. */
class FakeCache implements Cache {
  readonly entries = new Map<string, { value: string; ttlSeconds: number }>();
  down = false;

  private check(): void {
    if (this.down) throw new EngineUnavailableError('redis', 'connection is reconnecting');
  }
  async get(key: string) {
    this.check();
    return this.entries.get(key)?.value;
  }
  async set(key: string, value: string, ttlSeconds: number) {
    this.check();
    this.entries.set(key, { value, ttlSeconds });
  }
  async del(key: string) {
    this.check();
    this.entries.delete(key);
  }
}

function setup() {
  const clock = new ManualClock();
  const cache = new FakeCache();
  const database = new Map<string, Profile>([['alice', { id: 'alice', name: 'Alice' }]]);
  const loads: string[] = [];
  const outages: EngineUnavailableError[] = [];
  const profiles = new CacheAside<Profile>({
    cache,
    keyPrefix: 'profile:',
    ttlSeconds: 60,
    clock,
    load: async (id) => {
      loads.push(id);
      clock.advance(4); // the database is slower than the cache
      return database.get(id);
    },
    onCacheUnavailable: (error) => outages.push(error),
  });
  return { clock, cache, database, loads, outages, profiles };
}

describe('CacheAside', () => {
  it('misses, loads from the database and fills the cache with the TTL', async () => {
    // Prepare
    const { profiles, cache, loads } = setup();

    // Act
    const read = await profiles.get('alice');

    // Assess
    expect(read).toEqual({ value: { id: 'alice', name: 'Alice' }, cache: 'miss', elapsedMs: 4 });
    expect(loads).toEqual(['alice']);
    expect(cache.entries.get('profile:alice')).toEqual({ value: '{"id":"alice","name":"Alice"}', ttlSeconds: 60 });
  });

  it('hits the cache on the next read without touching the database', async () => {
    // Prepare
    const { profiles, loads } = setup();
    await profiles.get('alice');

    // Act
    const read = await profiles.get('alice');

    // Assess
    expect(read).toEqual({ value: { id: 'alice', name: 'Alice' }, cache: 'hit', elapsedMs: 0 });
    expect(loads).toEqual(['alice']);
  });

  it('does not cache a record that does not exist', async () => {
    // Prepare
    const { profiles, cache, loads } = setup();

    // Act
    const first = await profiles.get('bob');
    const second = await profiles.get('bob');

    // Assess
    expect([first.value, first.cache, second.cache]).toEqual([undefined, 'miss', 'miss']);
    expect(cache.entries.size).toBe(0);
    expect(loads).toEqual(['bob', 'bob']);
  });

  it('invalidates on write so that the next read misses and sees the new value', async () => {
    // Prepare
    const { profiles, database, cache } = setup();
    await profiles.get('alice');

    // Act
    const write = await profiles.update('alice', async () => {
      database.set('alice', { id: 'alice', name: 'Alice B.' });
      return 'saved';
    });
    const read = await profiles.get('alice');

    // Assess
    expect(write).toEqual({ value: 'saved', invalidated: true });
    expect(read).toMatchObject({ value: { name: 'Alice B.' }, cache: 'miss' });
    expect(cache.entries.get('profile:alice')?.value).toContain('Alice B.');
  });

  it('deletes only after the database write succeeded', async () => {
    // Prepare
    const { profiles, cache } = setup();
    await profiles.get('alice');

    // Act
    const failing = profiles.update('alice', async () => {
      throw new EngineUnavailableError('postgres', 'down');
    });

    // Assess
    await expect(failing).rejects.toThrow('postgres is unavailable');
    expect(cache.entries.has('profile:alice')).toBe(true);
  });

  it('serves reads from the database when the cache is down, saying bypass', async () => {
    // Prepare
    const { profiles, cache, outages } = setup();
    cache.down = true;

    // Act
    const read = await profiles.get('alice');

    // Assess
    expect(read).toMatchObject({ value: { name: 'Alice' }, cache: 'bypass' });
    expect(outages).toHaveLength(1);
  });

  it('still writes when the cache is down, reporting that nothing was invalidated', async () => {
    // Prepare
    const { profiles, cache, database } = setup();
    cache.down = true;

    // Act
    const write = await profiles.update('alice', async () => database.set('alice', { id: 'alice', name: 'New' }));

    // Assess
    expect(write.invalidated).toBe(false);
    expect(database.get('alice')?.name).toBe('New');
  });

  it('answers a miss when the cache fails only while being filled', async () => {
    // Prepare
    const { profiles, cache } = setup();
    cache.set = async () => {
      throw new EngineUnavailableError('redis', 'timeout');
    };

    // Act & Assess
    expect((await profiles.get('alice')).cache).toBe('miss');
  });

  it('treats a corrupt entry as a miss and overwrites it', async () => {
    // Prepare
    const { profiles, cache } = setup();
    cache.entries.set('profile:alice', { value: '{not json', ttlSeconds: 60 });

    // Act
    const read = await profiles.get('alice');

    // Assess
    expect(read.cache).toBe('miss');
    expect(cache.entries.get('profile:alice')?.value).toBe('{"id":"alice","name":"Alice"}');
  });

  it('lets a cache error that is not an outage through', async () => {
    // Prepare
    const { profiles, cache } = setup();
    cache.get = async () => {
      throw new TypeError('bug');
    };

    // Act & Assess
    await expect(profiles.get('alice')).rejects.toThrow(TypeError);
  });
});
