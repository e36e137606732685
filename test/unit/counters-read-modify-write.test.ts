/**
 * Counters with `workMs`: each increment becomes a read-modify-write that holds its row while the
 * worker works (what the lab's `counters` experiment measures).
 */
import { readCounterConfig } from '../../lambdas/config/runtime-config';
import { Counters, HOT_SHARD, type CounterStore } from '../../lambdas/core/counters';

/** Rows keyed `name/shard`; `update` records what it was asked and when the work ran. */
class FakeLockingStore implements CounterStore {
  readonly values = new Map<string, number>();
  readonly events: string[] = [];
  async increment(name: string, shard: number) {
    this.events.push(`increment ${name}/${shard}`);
    const value = (this.values.get(`${name}/${shard}`) ?? 0) + 1;
    this.values.set(`${name}/${shard}`, value);
    return value;
  }
  async update(name: string, shard: number, compute: (current: number) => Promise<number>) {
    this.events.push(`lock ${name}/${shard}`);
    const value = await compute(this.values.get(`${name}/${shard}`) ?? 0);
    this.values.set(`${name}/${shard}`, value);
    this.events.push(`write ${name}/${shard}=${value}`);
    return value;
  }
  async rows() {
    return [];
  }
}

describe('Counters with workMs', () => {
  it('works between reading and writing the hot row, inside the store update', async () => {
    // Prepare
    const store = new FakeLockingStore();
    const sleep = jest.fn(async (ms: number) => {
      store.events.push(`work ${ms}`);
    });
    const counters = new Counters({ store, shards: 4, workMs: 20, sleep });

    // Act
    await counters.incrementHot('likes');
    const second = await counters.incrementHot('likes');

    // Assess
    expect(second).toEqual({ name: 'likes', kind: 'hot', value: 2 });
    expect(store.events.slice(0, 3)).toEqual([`lock likes/${HOT_SHARD}`, 'work 20', `write likes/${HOT_SHARD}=1`]);
    expect(sleep).toHaveBeenCalledTimes(2);
  });

  it('uses the read-modify-write on the chosen shard for sharded increments', async () => {
    // Prepare
    const store = new FakeLockingStore();
    const counters = new Counters({ store, shards: 4, workMs: 5, sleep: async () => undefined, random: () => 0.6 });

    // Act
    const increment = await counters.incrementSharded('likes');

    // Assess
    expect(increment).toEqual({ name: 'likes', kind: 'sharded', shard: 2, shardValue: 1 });
    expect(store.events).toEqual(['lock likes/2', 'write likes/2=1']);
  });

  it('keeps the atomic upsert when workMs is 0', async () => {
    // Prepare
    const store = new FakeLockingStore();
    const counters = new Counters({ store, shards: 4, workMs: 0 });

    // Act
    await counters.incrementHot('likes');

    // Assess
    expect(store.events).toEqual([`increment likes/${HOT_SHARD}`]);
  });

  it('refuses work with a store that cannot hold a row, and a negative or fractional workMs', () => {
    // Prepare
    const store: CounterStore = { increment: async () => 1, rows: async () => [] };

    // Act & Assess
    expect(() => new Counters({ store, shards: 4, workMs: 10 })).toThrow(
      'Counters: workMs=10 needs a store that supports read-modify-write (update)',
    );
    expect(() => new Counters({ store, shards: 4, workMs: -1 })).toThrow('Counters: workMs must be an integer >= 0, got -1');
    expect(() => new Counters({ store, shards: 4, workMs: 1.5 })).toThrow('Counters: workMs must be an integer >= 0, got 1.5');
  });
});

describe('readCounterConfig', () => {
  it('reads COUNTER_WORK_MS, 0 by default, and names a bad value', () => {
    // Act & Assess
    expect(readCounterConfig({})).toEqual({ shards: 8, workMs: 0 });
    expect(readCounterConfig({ COUNTER_SHARDS: '16', COUNTER_WORK_MS: '20' })).toEqual({ shards: 16, workMs: 20 });
    expect(() => readCounterConfig({ COUNTER_WORK_MS: '5000' })).toThrow(
      'COUNTER_WORK_MS: got "5000"; allowed: an integer from 0 to 1000',
    );
  });
});
