import { MemorySessionStore, SessionCapacityError } from '../../lambdas/adapters/sessions-memory-store';
import { ManualClock } from '../../lambdas/core/clock';
import type { SessionRecord } from '../../lambdas/core/sessions';

const TTL_SECONDS = 60;

function record(visits: number): SessionRecord {
  return { createdAt: 0, visits, cart: [], servedBy: ['a'] };
}

describe('MemorySessionStore', () => {
  it('returns a saved session by its id until the TTL passes, then forgets it', async () => {
    // Prepare
    const clock = new ManualClock();
    const store = new MemorySessionStore({ limit: 10, clock });
    const { id } = await store.save({ record: record(1) }, TTL_SECONDS);

    // Act
    clock.advance(TTL_SECONDS * 1000 - 1);
    const before = await store.load(id);
    clock.advance(1);
    const after = await store.load(id);

    // Assess
    expect(before).toEqual({ id, record: record(1) });
    expect(after).toBeUndefined();
    expect(store.stats().sessions).toBe(0);
  });

  it('extends the TTL on every save (sliding expiry)', async () => {
    // Prepare
    const clock = new ManualClock();
    const store = new MemorySessionStore({ limit: 10, clock });
    const { id } = await store.save({ record: record(1) }, TTL_SECONDS);
    clock.advance(50_000);

    // Act
    await store.save({ id, record: record(2) }, TTL_SECONDS);
    clock.advance(50_000);

    // Assess
    expect(await store.load(id)).toEqual({ id, record: record(2) });
  });

  it('gives new sessions 128-bit random base64url ids that are never reused', async () => {
    // Prepare
    const store = new MemorySessionStore({ limit: 100, clock: new ManualClock() });

    // Act
    const ids = await Promise.all(Array.from({ length: 50 }, () => store.save({ record: record(0) }, TTL_SECONDS)));

    // Assess
    for (const { id, cookieValue } of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(cookieValue).toBe(id);
      expect(Buffer.from(id as string, 'base64url')).toHaveLength(16);
    }
    expect(new Set(ids.map((saved) => saved.id)).size).toBe(50);
  });

  it('ignores malformed and unknown ids (no session, no error)', async () => {
    // Prepare
    const store = new MemorySessionStore({ limit: 10, clock: new ManualClock() });
    await store.save({ record: record(1) }, TTL_SECONDS);

    // Act / Assess
    expect(await store.load(undefined)).toBeUndefined();
    expect(await store.load('not an id')).toBeUndefined();
    expect(await store.load('A'.repeat(22))).toBeUndefined();
  });

  it('hands out copies: changing a loaded record does not change the stored one', async () => {
    // Prepare
    const store = new MemorySessionStore({ limit: 10, clock: new ManualClock() });
    const { id } = await store.save({ record: record(1) }, TTL_SECONDS);
    const loaded = await store.load(id);

    // Act
    (loaded?.record as { visits: number }).visits = 99;

    // Assess
    expect((await store.load(id))?.record.visits).toBe(1);
  });

  it('refuses a new session when full, with a 503 that names the limit, but still saves existing ones', async () => {
    // Prepare
    const clock = new ManualClock();
    const store = new MemorySessionStore({ limit: 2, clock });
    const first = await store.save({ record: record(1) }, TTL_SECONDS);
    await store.save({ record: record(1) }, TTL_SECONDS);

    // Act
    const refused = store.save({ record: record(1) }, TTL_SECONDS);
    const updated = await store.save({ id: first.id, record: record(2) }, TTL_SECONDS);

    // Assess
    await expect(refused).rejects.toThrow(SessionCapacityError);
    await expect(refused).rejects.toMatchObject({
      code: 'EngineUnavailable',
      message:
        'memory-session-store is unavailable: this instance holds 2 sessions, its limit is 2 (MEMORY_SESSION_LIMIT); ' +
        'new sessions are refused to protect its memory, existing sessions still work',
    });
    expect(updated.id).toBe(first.id);
    expect(store.stats().sessions).toBe(2);
  });

  it('makes room again once sessions expire', async () => {
    // Prepare
    const clock = new ManualClock();
    const store = new MemorySessionStore({ limit: 1, clock });
    await store.save({ record: record(1) }, TTL_SECONDS);
    clock.advance(TTL_SECONDS * 1000);

    // Act
    const saved = await store.save({ record: record(1) }, TTL_SECONDS);

    // Assess
    expect(await store.load(saved.id)).toBeDefined();
    expect(store.stats().sessions).toBe(1);
  });

  it('counts sessions and estimates their bytes, and gives the bytes back on destroy', async () => {
    // Prepare
    const store = new MemorySessionStore({ limit: 10, clock: new ManualClock() });
    const small = await store.save({ record: record(1) }, TTL_SECONDS);
    const afterOne = store.stats();
    const bigRecord = { ...record(1), cart: Array.from({ length: 20 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1 })) };
    const big = await store.save({ record: bigRecord }, TTL_SECONDS);
    const afterTwo = store.stats();

    // Act
    await store.destroy(big.id);
    await store.destroy(small.id);

    // Assess
    expect(afterOne.sessions).toBe(1);
    expect(afterOne.approxBytes).toBeGreaterThan(JSON.stringify(record(1)).length);
    expect(afterTwo.sessions).toBe(2);
    expect(afterTwo.approxBytes - afterOne.approxBytes).toBeGreaterThan(JSON.stringify(bigRecord).length);
    expect(store.stats()).toEqual({ sessions: 0, approxBytes: 0 });
    expect(await store.load(small.id)).toBeUndefined();
  });

  it('keeps the byte estimate exact across updates and expiry', async () => {
    // Prepare
    const clock = new ManualClock();
    const store = new MemorySessionStore({ limit: 10, clock });
    const { id } = await store.save({ record: record(1) }, TTL_SECONDS);

    // Act
    for (let visits = 2; visits <= 20; visits += 1) await store.save({ id, record: record(visits) }, TTL_SECONDS);
    const live = store.stats();
    clock.advance(TTL_SECONDS * 1000);

    // Assess
    expect(live.sessions).toBe(1);
    expect(store.stats()).toEqual({ sessions: 0, approxBytes: 0 });
  });
});
