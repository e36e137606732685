import { chooseShard, Counters, HOT_SHARD, type CounterStore } from '../../lambdas/core/counters';

/** Rows keyed `name/shard`, incremented like the SQL upsert does. */
class FakeCounterStore implements CounterStore {
  readonly rowsByKey = new Map<string, { name: string; shard: number; value: number }>();
  async increment(name: string, shard: number) {
    const key = `${name}/${shard}`;
    const row = this.rowsByKey.get(key) ?? { name, shard, value: 0 };
    row.value += 1;
    this.rowsByKey.set(key, row);
    return row.value;
  }
  async rows(name: string) {
    return [...this.rowsByKey.values()].filter((row) => row.name === name).map(({ shard, value }) => ({ shard, value }));
  }
}

/** Returns the given numbers in turn. */
const sequence = (...values: number[]) => {
  let index = 0;
  return () => values[index++ % values.length];
};

describe('chooseShard', () => {
  it.each([
    [0, 0],
    [0.124, 0],
    [0.125, 1],
    [0.5, 4],
    [0.999999, 7],
    [1, 7], // out-of-contract input is clamped, never an extra shard
  ])('maps random %p to shard %p of 8', (random, shard) => {
    // Act & Assess
    expect(chooseShard(8, () => random)).toBe(shard);
  });
});

describe('Counters', () => {
  it('increments the single shared row for a hot counter and returns its total', async () => {
    // Prepare
    const store = new FakeCounterStore();
    const counters = new Counters({ store, shards: 4 });

    // Act
    await counters.incrementHot('likes');
    const second = await counters.incrementHot('likes');

    // Assess
    expect(second).toEqual({ name: 'likes', kind: 'hot', value: 2 });
    expect([...store.rowsByKey.keys()]).toEqual([`likes/${HOT_SHARD}`]);
  });

  it('spreads sharded increments over the shard the random source picks', async () => {
    // Prepare
    const store = new FakeCounterStore();
    const counters = new Counters({ store, shards: 4, random: sequence(0.1, 0.9, 0.1) });

    // Act
    const increments = [
      await counters.incrementSharded('likes'),
      await counters.incrementSharded('likes'),
      await counters.incrementSharded('likes'),
    ];

    // Assess
    expect(increments.map((i) => [i.shard, i.shardValue])).toEqual([
      [0, 1],
      [3, 1],
      [0, 2],
    ]);
  });

  it('sums sharded rows and reports the hot row apart', async () => {
    // Prepare
    const store = new FakeCounterStore();
    const counters = new Counters({ store, shards: 4, random: sequence(0.6, 0.1, 0.6, 0.3) });
    for (let i = 0; i < 4; i += 1) await counters.incrementSharded('likes');
    await counters.incrementHot('likes');
    await counters.incrementSharded('other');

    // Act
    const reading = await counters.read('likes');

    // Assess
    expect(reading).toEqual({
      name: 'likes',
      hot: { total: 1 },
      sharded: {
        total: 4,
        shards: [
          { shard: 0, value: 1 },
          { shard: 1, value: 1 },
          { shard: 2, value: 2 },
        ],
      },
    });
  });

  it('reads a counter never incremented as zero', async () => {
    // Prepare
    const counters = new Counters({ store: new FakeCounterStore(), shards: 4 });

    // Act & Assess
    expect(await counters.read('nothing')).toEqual({ name: 'nothing', hot: { total: 0 }, sharded: { total: 0, shards: [] } });
  });

  it.each([0, -1, 1.5])('refuses %p shards', (shards) => {
    // Act & Assess
    expect(() => new Counters({ store: new FakeCounterStore(), shards })).toThrow(
      `Counters: shards must be a positive integer, got ${shards}`,
    );
  });
});
