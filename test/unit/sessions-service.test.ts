import { CookieSessionStore } from '../../lambdas/adapters/sessions-cookie-store';
import { ManualClock } from '../../lambdas/core/clock';
import { InvalidInputError, InvalidSessionError, PayloadTooLargeError } from '../../lambdas/core/errors';
import {
  MAX_CART_ITEMS,
  SessionService,
  type SavedSession,
  type SessionRecord,
  type SessionStore,
  type StoredSession,
} from '../../lambdas/core/sessions';

const TTL_SECONDS = 600;

/** A server-side store kept in a Map, recording what the service asked of it. */
class FakeSessionStore implements SessionStore {
  readonly strategy = 'redis' as const;
  readonly records = new Map<string, SessionRecord>();
  readonly saves: Array<{ id?: string; ttlSeconds: number }> = [];
  readonly destroyed: Array<string | undefined> = [];
  private nextId = 0;

  async load(token: string | undefined): Promise<StoredSession | undefined> {
    const record = token === undefined ? undefined : this.records.get(token);
    return record === undefined ? undefined : { id: token, record };
  }

  async save(session: StoredSession, ttlSeconds: number): Promise<SavedSession> {
    this.saves.push({ id: session.id, ttlSeconds });
    const id = session.id ?? `id-${(this.nextId += 1)}`;
    this.records.set(id, session.record);
    return { id, cookieValue: id };
  }

  async destroy(token: string | undefined): Promise<void> {
    this.destroyed.push(token);
    if (token !== undefined) this.records.delete(token);
  }
}

/** The session token the client would send back: the value of the Set-Cookie line. */
function tokenOf(outcome: { readonly setCookie: string }): string {
  return outcome.setCookie.slice(outcome.setCookie.indexOf('=') + 1, outcome.setCookie.indexOf(';'));
}

function serviceFor(store: SessionStore, clock = new ManualClock(), instanceId = 'instance-a'): SessionService {
  return new SessionService({ store, clock, instanceId, cookieName: 'sid', ttlSeconds: TTL_SECONDS });
}

describe('SessionService', () => {
  it('starts a new session on the first visit and counts each following visit', async () => {
    // Prepare
    const store = new FakeSessionStore();
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    const service = serviceFor(store, clock);

    // Act
    const first = await service.visit(undefined);
    clock.advance(1000);
    const second = await service.visit(tokenOf(first));
    const third = await service.visit(tokenOf(second));

    // Assess
    expect(first.session).toEqual({
      strategy: 'redis',
      visitorTag: expect.stringMatching(/^[A-Za-z0-9_-]{11}$/),
      isNew: true,
      visits: 1,
      cart: [],
      createdAt: '2030-01-01T00:00:00.000Z',
      expiresAt: '2030-01-01T00:10:00.000Z',
      servedBy: ['instance-a'],
    });
    expect(first.setCookie).toBe('sid=id-1; Max-Age=600; Path=/; HttpOnly; Secure; SameSite=Lax');
    expect(first.session).not.toHaveProperty('sessionId');
    expect(second.session).toMatchObject({
      visitorTag: first.session.visitorTag,
      isNew: false,
      visits: 2,
      expiresAt: '2030-01-01T00:10:01.000Z',
    });
    expect(third.session.visits).toBe(3);
    expect(store.saves).toEqual([
      { id: undefined, ttlSeconds: TTL_SECONDS },
      { id: 'id-1', ttlSeconds: TTL_SECONDS },
      { id: 'id-1', ttlSeconds: TTL_SECONDS },
    ]);
  });

  it('treats an unknown token as a new session, without adopting the id the client chose', async () => {
    // Prepare
    const store = new FakeSessionStore();
    const service = serviceFor(store);

    // Act
    const outcome = await service.visit('chosen-by-attacker');

    // Assess
    expect(outcome.session).toMatchObject({ isNew: true, visits: 1 });
    expect(tokenOf(outcome)).toBe('id-1');
    expect(store.records.has('chosen-by-attacker')).toBe(false);
  });

  it('records the instances that served the session, most recent last, at most 5', async () => {
    // Prepare
    const store = new FakeSessionStore();
    const clock = new ManualClock();
    let token: string | undefined;
    const served: string[][] = [];

    // Act
    for (const instance of ['a', 'b', 'a', 'c', 'd', 'e', 'f']) {
      const outcome = await serviceFor(store, clock, instance).visit(token);
      token = tokenOf(outcome);
      served.push([...outcome.session.servedBy]);
    }

    // Assess
    expect(served[2]).toEqual(['b', 'a']);
    expect(served[6]).toEqual(['a', 'c', 'd', 'e', 'f']);
  });

  it('adds items to the cart and merges quantities of the same sku', async () => {
    // Prepare
    const service = serviceFor(new FakeSessionStore());
    const token = tokenOf(await service.visit(undefined));

    // Act
    await service.addToCart(token, { sku: 'A-1', quantity: 2 });
    await service.addToCart(token, { sku: 'B-2', quantity: 1 });
    const after = await service.addToCart(token, { sku: 'A-1', quantity: 3 });

    // Assess
    expect(after.session.cart).toEqual([
      { sku: 'A-1', quantity: 5 },
      { sku: 'B-2', quantity: 1 },
    ]);
    expect(after.session.visits).toBe(1);
  });

  it('refuses a 51st distinct item with a clear message and keeps the cart as it was', async () => {
    // Prepare
    const store = new FakeSessionStore();
    const service = serviceFor(store);
    let token: string | undefined;
    for (let i = 0; i < MAX_CART_ITEMS; i += 1) {
      token = tokenOf(await service.addToCart(token, { sku: `SKU-${i}`, quantity: 1 }));
    }

    // Act
    const refused = service.addToCart(token, { sku: 'ONE-MORE', quantity: 1 });

    // Assess
    await expect(refused).rejects.toThrow(InvalidInputError);
    await expect(refused).rejects.toThrow(
      "Cart is full: it holds 50 distinct items, the maximum is 50; 'ONE-MORE' was not added",
    );
    expect(store.records.get(token as string)?.cart).toHaveLength(50);
  });

  it('refuses a quantity that would exceed 99 for one sku', async () => {
    // Prepare
    const service = serviceFor(new FakeSessionStore());
    const token = tokenOf(await service.addToCart(undefined, { sku: 'A-1', quantity: 60 }));

    // Act / Assess
    await expect(service.addToCart(token, { sku: 'A-1', quantity: 40 })).rejects.toThrow(
      "Quantity of 'A-1' would become 100; at most 99 per item",
    );
  });

  it('ends a session: destroys it server-side and clears the cookie', async () => {
    // Prepare
    const store = new FakeSessionStore();
    const service = serviceFor(store);
    const token = tokenOf(await service.visit(undefined));

    // Act
    const ended = await service.end(token);
    const none = await service.end(undefined);
    const next = await service.visit(token);

    // Assess
    expect(ended).toEqual({ ended: true, setCookie: 'sid=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax' });
    expect(none.ended).toBe(false);
    expect(store.destroyed).toEqual([token, undefined]);
    expect(next.session).toMatchObject({ isNew: true, visits: 1 });
  });
});

describe('SessionService cookie security', () => {
  it('leaves Secure off the session and clearing cookies when the request came over plain HTTP', async () => {
    // Prepare
    const service = serviceFor(new FakeSessionStore());

    // Act
    const visited = await service.visit(undefined, { secure: false });
    const ended = await service.end(tokenOf(visited), { secure: false });

    // Assess
    expect(visited.setCookie).toBe('sid=id-1; Max-Age=600; Path=/; HttpOnly; SameSite=Lax');
    expect(ended.setCookie).toBe('sid=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax');
  });

  it('keeps one visitor tag for the life of a session and gives a new session a new one', async () => {
    // Prepare
    const service = serviceFor(new FakeSessionStore());
    const first = await service.visit(undefined);

    // Act
    const again = await service.addToCart(tokenOf(first), { sku: 'A-1', quantity: 1 });
    const other = await service.visit(undefined);

    // Assess
    expect(again.session.visitorTag).toBe(first.session.visitorTag);
    expect(other.session.visitorTag).not.toBe(first.session.visitorTag);
  });
});

describe('SessionService with the cookie store', () => {
  const KEY = 'a-signing-key-of-at-least-32-bytes!!';

  it('carries the session in the cookie and never reports a session id', async () => {
    // Prepare
    const clock = new ManualClock();
    const service = serviceFor(new CookieSessionStore({ signingKeys: [KEY], clock }), clock);
    const first = await service.visit(undefined);
    const token = first.setCookie.slice('sid='.length, first.setCookie.indexOf(';'));

    // Act
    const second = await service.visit(token);

    // Assess
    expect(first.session).not.toHaveProperty('sessionId');
    expect(second.session).toMatchObject({ strategy: 'cookie', isNew: false, visits: 2 });
  });

  it('rejects an expired cookie rather than starting over silently', async () => {
    // Prepare
    const clock = new ManualClock();
    const service = serviceFor(new CookieSessionStore({ signingKeys: [KEY], clock }), clock);
    const { setCookie } = await service.visit(undefined);
    const token = setCookie.slice('sid='.length, setCookie.indexOf(';'));
    clock.advance(TTL_SECONDS * 1000);

    // Act / Assess
    await expect(service.visit(token)).rejects.toThrow(InvalidSessionError);
  });

  it('rejects a correctly signed cookie that does not hold a session', async () => {
    // Prepare
    const clock = new ManualClock();
    const store = new CookieSessionStore({ signingKeys: [KEY], clock });
    const { cookieValue } = await store.save({ record: { visits: 'many' } as unknown as SessionRecord }, 60);

    // Act / Assess
    await expect(store.load(cookieValue)).rejects.toThrow(
      'Session cookie does not hold a valid session; it was cleared, start a new session',
    );
  });

  it('refuses (413) a change whose cookie would exceed 4096 bytes, naming the size', async () => {
    // Prepare: a long cookie name (ALB app-cookie stickiness allows 64 characters) and a full cart.
    const clock = new ManualClock();
    const store = new CookieSessionStore({ signingKeys: [KEY], clock });
    const cookieName = 'c'.repeat(64);
    const service = new SessionService({ store, clock, instanceId: 'lambda-0a1b2c3d', cookieName, ttlSeconds: 600 });
    let token: string | undefined;
    let refused: unknown;

    // Act
    for (let i = 0; i < MAX_CART_ITEMS && refused === undefined; i += 1) {
      try {
        const sku = `SKU-${'X'.repeat(24)}-${String(i).padStart(3, '0')}`;
        const { setCookie } = await service.addToCart(token, { sku, quantity: 99 });
        token = setCookie.slice(cookieName.length + 1, setCookie.indexOf(';'));
      } catch (error) {
        refused = error;
      }
    }

    // Assess
    expect(refused).toBeInstanceOf(PayloadTooLargeError);
    expect((refused as Error).message).toMatch(
      /^Session cookie would be 4\d{3} bytes \(name \+ value \+ attributes\), over the 4096-byte limit of one cookie; the change was not saved/,
    );
    // The last cookie that fitted still works.
    expect((await service.visit(token)).session.visits).toBe(1);
  });
});
