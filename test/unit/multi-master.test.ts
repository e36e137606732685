import { ManualClock } from '../../lambdas/core/clock';
import { ConflictError, NotFoundError } from '../../lambdas/core/errors';
import { detectLostWrite, type ItemVersion, MultiMasterStore, nextItemVersion } from '../../lambdas/core/multi-master';
import { FakeRegionalTable } from './multi-master-fakes';

const EAST = 'us-east-1';
const WEST = 'us-west-2';
const T0 = 1_700_000_000_000;

function version(writerRegion: string, versionNumber: number, lineage: Record<string, number>, value = 'v'): ItemVersion {
  return { value, version: versionNumber, writerRegion, writtenAt: new Date(T0).toISOString(), lineage };
}

describe('detectLostWrite', () => {
  it('reports no conflict when this region never wrote the item', () => {
    // Prepare
    const item = version(WEST, 1, { [WEST]: 1 });
    // Act
    const report = detectLostWrite(EAST, item, undefined);
    // Assess
    expect(report).toEqual({ lost: false });
  });

  it('reports no conflict when the item shows our own write', () => {
    const ours = version(EAST, 1, { [EAST]: 1 });
    expect(detectLostWrite(EAST, ours, ours)).toEqual({ lost: false });
  });

  it('reports a lost write when a concurrent write of another region won with the same version', () => {
    // Prepare: both regions wrote version 1 without seeing each other; west's write won.
    const ours = version(EAST, 1, { [EAST]: 1 }, 'east');
    const winner = version(WEST, 1, { [WEST]: 1 }, 'west');
    // Act
    const report = detectLostWrite(EAST, winner, ours);
    // Assess
    expect(report).toMatchObject({ lost: true, ourWrite: ours, winner });
    expect(report.lost && report.message).toContain("another region's concurrent write won");
  });

  it('reports no conflict for a later update by another region built on our write', () => {
    const ours = version(EAST, 1, { [EAST]: 1 });
    const later = version(WEST, 2, { [EAST]: 1, [WEST]: 1 });
    expect(detectLostWrite(EAST, later, ours)).toEqual({ lost: false });
  });

  it('reports a lost write when a higher version descends from the concurrent winner, not from ours', () => {
    // Prepare: west won the race at version 1, then updated its own item to version 2.
    const ours = version(EAST, 1, { [EAST]: 1 });
    const higher = version(WEST, 2, { [WEST]: 2 });
    // Act / Assess: a bigger version number alone would wrongly hide the loss.
    expect(detectLostWrite(EAST, higher, ours).lost).toBe(true);
  });

  it('reports a lost write when our update of a shared history lost to a concurrent update', () => {
    // Prepare: both built version 3 on the same version 2; west's won.
    const ours = version(EAST, 3, { [EAST]: 2, [WEST]: 1 });
    const winner = version(WEST, 3, { [EAST]: 1, [WEST]: 2 });
    expect(detectLostWrite(EAST, winner, ours).lost).toBe(true);
  });

  it('reports a lost write with a null winner when the item is gone', () => {
    const ours = version(EAST, 1, { [EAST]: 1 });
    expect(detectLostWrite(EAST, undefined, ours)).toMatchObject({ lost: true, winner: null });
  });
});

describe('nextItemVersion', () => {
  it('raises our counter past both the base and our last recorded write', () => {
    // Prepare: our write with counter 3 was lost; the base (west's winner) includes only our counter 2.
    const base = version(WEST, 4, { [EAST]: 2, [WEST]: 2 });
    const ourLastWrite = version(EAST, 4, { [EAST]: 3, [WEST]: 1 });
    // Act
    const next = nextItemVersion(EAST, 'new', base, ourLastWrite, T0 + 5);
    // Assess: (east, 4) names a write never used before, and the base's history is kept.
    expect(next).toEqual({
      value: 'new',
      version: 5,
      writerRegion: EAST,
      writtenAt: new Date(T0 + 5).toISOString(),
      lineage: { [EAST]: 4, [WEST]: 2 },
    });
  });
});

describe('MultiMasterStore', () => {
  let clock: ManualClock;
  let table: FakeRegionalTable;
  let store: MultiMasterStore;

  beforeEach(() => {
    clock = new ManualClock(T0);
    table = new FakeRegionalTable(EAST);
    store = new MultiMasterStore({ region: EAST, table, clock });
  });

  it('creates an item at version 1 stamped with this region and the clock time', async () => {
    // Act
    const result = await store.put('cart-1', 'apples');
    // Assess
    expect(result).toEqual({
      id: 'cart-1',
      servedByRegion: EAST,
      consistency: 'eventual',
      item: { value: 'apples', version: 1, writerRegion: EAST, writtenAt: new Date(T0).toISOString(), lineage: { [EAST]: 1 } },
    });
    expect(table.lastWrites.get('cart-1')).toEqual(result.item);
  });

  it('increments the version on each update and accepts a matching expectedVersion', async () => {
    await store.put('cart-1', 'a');
    clock.advance(10);
    await store.put('cart-1', 'b', 1);
    const { item } = await store.get('cart-1');
    expect(item).toMatchObject({ value: 'b', version: 2, lineage: { [EAST]: 2 } });
  });

  it('refuses a stale expectedVersion with a 409 that names both versions', async () => {
    // Prepare
    await store.put('cart-1', 'a');
    await store.put('cart-1', 'b');
    // Act
    const attempt = store.put('cart-1', 'c', 1);
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    await expect(attempt).rejects.toMatchObject({
      details: { id: 'cart-1', reason: 'version-mismatch', expectedVersion: 1, currentVersion: 2 },
    });
    expect(table.items.get('cart-1')?.value).toBe('b');
  });

  it('treats expectedVersion 0 as create-only', async () => {
    await store.put('cart-1', 'a', 0);
    await expect(store.put('cart-1', 'b', 0)).rejects.toMatchObject({ details: { reason: 'version-mismatch', currentVersion: 1 } });
  });

  it('turns an item changed between read and write into a 409 and records nothing', async () => {
    table.nextOutcome = 'changed';
    await expect(store.put('cart-1', 'a')).rejects.toMatchObject({ details: { reason: 'concurrent-update', readVersion: 0 } });
    expect(table.lastWrites.size).toBe(0);
  });

  it('turns a strong-mode refusal into a 409 saying the write was refused, not lost', async () => {
    // Prepare
    const strong = new MultiMasterStore({ region: EAST, table, clock, consistency: 'strong' });
    table.nextOutcome = 'refused';
    // Act
    const attempt = strong.put('cart-1', 'a');
    // Assess
    await expect(attempt).rejects.toThrow(/refused: another region is writing this item.*no write was lost/);
    await expect(attempt).rejects.toMatchObject({ details: { reason: 'replicated-write-conflict', refused: true, lost: false } });
    expect(table.items.size).toBe(0);
    expect(table.lastWrites.size).toBe(0);
  });

  it('answers 404 for an unknown item', async () => {
    await expect(store.get('nope')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reports the loss when replication overwrote our write with a concurrent one', async () => {
    // Prepare: east wrote version 1, then west's concurrent version 1 replicated in and won.
    const ours = (await store.put('cart-1', 'east')).item;
    const winner = version(WEST, 1, { [WEST]: 1 }, 'west');
    table.items.set('cart-1', winner);
    // Act
    const result = await store.get('cart-1');
    // Assess
    expect(result.item).toEqual(winner);
    expect(result.conflict).toMatchObject({ lost: true, ourWrite: ours, winner });
  });

  it('stops reporting an old loss once this region writes again on top of the winner', async () => {
    await store.put('cart-1', 'east');
    table.items.set('cart-1', version(WEST, 1, { [WEST]: 1 }, 'west'));
    await store.put('cart-1', 'east again');
    const result = await store.get('cart-1');
    expect(result.item).toMatchObject({ version: 2, lineage: { [EAST]: 2, [WEST]: 1 } });
    expect(result.conflict).toEqual({ lost: false });
  });
});
