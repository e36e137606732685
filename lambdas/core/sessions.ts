/**
 * Sessions: where a user's state lives decides how the service scales. In one instance's memory
 * (stateful: correct only with sticky routing, lost with the instance), in a shared store such as
 * Redis (stateless replication: any instance serves any request), or in the client itself as a
 * signed cookie (stateless, no shared store, but small). One `SessionStore` port, three adapters,
 * one `SessionService` that behaves identically over all three.
 */
import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import type { Clock } from './clock';
import { InvalidInputError } from './errors';
import { SECURE_COOKIE, type CookieSecurity } from './cookie-security';
import { clearSessionCookie, formatSessionCookie, MAX_DATE_MS } from './sessions-cookie-codec';
// A type only (erased at build): the value set is the configuration vocabulary's, shared with lib/.
import type { SessionStoreKind } from '../config/vocabulary';


export const MAX_CART_ITEMS = 50;
export const MAX_ITEM_QUANTITY = 99;
/** How many distinct instances a session remembers having been served by (keeps cookies small). */
export const MAX_SERVED_BY = 5;

/** One cart line, as the client sends it (`POST /session/cart`) and as sessions store it. */
export const cartItemSchema = z.strictObject({
  sku: z.string().check(z.regex(/^[A-Za-z0-9-]{1,32}$/, 'expected 1-32 characters of A-Z a-z 0-9 -')),
  quantity: z
    .int('expected an integer')
    .check(z.minimum(1, 'must be at least 1'), z.maximum(MAX_ITEM_QUANTITY, `must be at most ${MAX_ITEM_QUANTITY}`)),
});
export type CartItem = z.infer<typeof cartItemSchema>;

/** A time a Date can represent (milliseconds since the epoch). */
export function isRepresentableTime(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS;
}

const sessionRecordSchema = z.strictObject({
  createdAt: z.number().check(z.refine(isRepresentableTime, 'expected a time a Date can hold')),
  visits: z.int().check(z.minimum(0)),
  cart: z.array(cartItemSchema).check(z.maxLength(MAX_CART_ITEMS)),
  servedBy: z.array(z.string()).check(z.maxLength(MAX_SERVED_BY)),
  // Optional so that sessions saved before tags existed stay valid; the next save gives them one.
  visitorTag: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,32}$/))),
});

/** What a session holds, wherever it is kept. */
export type SessionRecord = z.infer<typeof sessionRecordSchema>;

/** Checks data read back from a store or a cookie; anything else is `undefined`, never half-used. */
export function parseSessionRecord(data: unknown): SessionRecord | undefined {
  const result = z.safeParse(sessionRecordSchema, data);
  return result.success ? result.data : undefined;
}

/** A 128-bit random session id, base64url: unguessable, and safe in a cookie and a Redis key. */
export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * A 64-bit random tag for a new session, shown to the client in place of the id: it tells one
 * session from another (a lost session comes back with a new tag) but opens nothing, so a body
 * that leaks it undoes nothing of the cookie's `HttpOnly`.
 */
export function newVisitorTag(): string {
  return randomBytes(8).toString('base64url');
}

/** True for a value `newSessionId` could have made; anything else is ignored (a new session), never looked up. */
export function isSessionId(token: string | undefined): token is string {
  return token !== undefined && /^[A-Za-z0-9_-]{22}$/.test(token);
}

export interface StoredSession {
  /** Server-side id (memory, redis); undefined for a new session and for the cookie strategy. */
  readonly id?: string;
  readonly record: SessionRecord;
}

export interface SavedSession {
  readonly id?: string;
  /** What the session cookie must carry: the id, or the whole signed session. */
  readonly cookieValue: string;
}

export interface SessionStoreStats {
  readonly sessions: number;
  /** Estimate of the bytes the sessions occupy (ids + serialized records), cheap to read. */
  readonly approxBytes: number;
}

/**
 * The port each strategy implements. `load` returns undefined when there is no usable session
 * (no cookie, unknown or expired id) and throws InvalidSessionError only for a cookie that must
 * not be trusted. Stores never adopt an id the client chose: a new session always gets a new id.
 */
export interface SessionStore {
  readonly strategy: SessionStoreKind;
  load(token: string | undefined): Promise<StoredSession | undefined>;
  /** Keeps the session for `ttlSeconds` from now (sliding expiry: every save extends it). */
  save(session: StoredSession, ttlSeconds: number): Promise<SavedSession>;
  /** Forgets the session server-side, if the strategy keeps any. */
  destroy(token: string | undefined): Promise<void>;
  /** Only stores that hold sessions in this process can say what they hold. */
  stats?(): SessionStoreStats;
}

export interface SessionServiceOptions {
  readonly store: SessionStore;
  readonly clock: Clock;
  /** The instance serving requests; recorded in each session's `servedBy`. */
  readonly instanceId: string;
  readonly cookieName: string;
  readonly ttlSeconds: number;
}

/** The session as clients see it. */
export interface SessionView {
  readonly strategy: SessionStoreKind;
  /**
   * Random tag of this session, fixed at its creation. Never the session id: the id is a
   * credential and stays in the `HttpOnly` cookie; the tag lets a client notice a lost session.
   */
  readonly visitorTag: string;
  readonly isNew: boolean;
  readonly visits: number;
  readonly cart: readonly CartItem[];
  readonly createdAt: string;
  readonly expiresAt: string;
  /** Instances that served this session, most recent last: shows whether it survived a switch. */
  readonly servedBy: readonly string[];
}

export interface SessionOutcome {
  readonly session: SessionView;
  /** The `Set-Cookie` line to send back. */
  readonly setCookie: string;
}

export interface EndOutcome {
  readonly ended: boolean;
  readonly setCookie: string;
}

/**
 * The session use cases over any store: count visits, add to a cart, end the session. Every
 * change is saved with a fresh TTL, and yields the `Set-Cookie` line to send back.
 *
 * @example
 * const sessions = new SessionService({ store, clock, instanceId: 'a', cookieName: 'sid', ttlSeconds: 1800 });
 * const { session, setCookie } = await sessions.visit(cookieFromRequest);
 */
export class SessionService {
  constructor(private readonly options: SessionServiceOptions) {}

  get strategy(): SessionStoreKind {
    return this.options.store.strategy;
  }

  get cookieName(): string {
    return this.options.cookieName;
  }

  /**
   * Counts one visit; a missing, unknown or expired session starts a new one. `security` says
   * whether the cookie may be `Secure` (the request came over HTTPS); the strict form by default.
   */
  visit(token: string | undefined, security: CookieSecurity = SECURE_COOKIE): Promise<SessionOutcome> {
    return this.update(token, security, (record) => ({ ...record, visits: record.visits + 1 }));
  }

  /** Adds `item.quantity` of `item.sku` to the cart (merging with an existing line). */
  addToCart(token: string | undefined, item: CartItem, security: CookieSecurity = SECURE_COOKIE): Promise<SessionOutcome> {
    return this.update(token, security, (record) => ({ ...record, cart: addCartLine(record.cart, item) }));
  }

  /** Ends the session: forgets it server-side and clears the cookie. Ending no session is not an error. */
  async end(token: string | undefined, security: CookieSecurity = SECURE_COOKIE): Promise<EndOutcome> {
    await this.options.store.destroy(token);
    return { ended: token !== undefined, setCookie: this.clearCookie(security) };
  }

  /** The `Set-Cookie` line that drops the session cookie (also sent with a rejected cookie). */
  clearCookie(security: CookieSecurity = SECURE_COOKIE): string {
    return clearSessionCookie(this.options.cookieName, security);
  }

  private async update(
    token: string | undefined,
    security: CookieSecurity,
    change: (record: SessionRecord) => SessionRecord,
  ): Promise<SessionOutcome> {
    const { store, clock, instanceId, cookieName, ttlSeconds } = this.options;
    const loaded = await store.load(token);
    const current = loaded?.record ?? {
      createdAt: clock.now(),
      visits: 0,
      cart: [],
      servedBy: [],
      visitorTag: newVisitorTag(),
    };
    const changed = change(current);
    const visitorTag = changed.visitorTag ?? newVisitorTag();
    const servedBy = [...changed.servedBy.filter((id) => id !== instanceId), instanceId].slice(-MAX_SERVED_BY);
    const record = { ...changed, servedBy, visitorTag };
    // Size is only a concern for the cookie strategy, whose save is side-effect free; an id always fits.
    const saved = await store.save({ id: loaded?.id, record }, ttlSeconds);
    const setCookie = formatSessionCookie(cookieName, saved.cookieValue, ttlSeconds, security);
    return {
      setCookie,
      session: {
        strategy: store.strategy,
        visitorTag,
        isNew: loaded === undefined,
        visits: record.visits,
        cart: record.cart,
        createdAt: new Date(record.createdAt).toISOString(),
        expiresAt: new Date(clock.now() + ttlSeconds * 1000).toISOString(),
        servedBy: record.servedBy,
      },
    };
  }
}

function addCartLine(cart: readonly CartItem[], item: CartItem): CartItem[] {
  const existing = cart.find((line) => line.sku === item.sku);
  if (existing === undefined) {
    if (cart.length >= MAX_CART_ITEMS) {
      throw new InvalidInputError(
        `Cart is full: it holds ${cart.length} distinct items, the maximum is ${MAX_CART_ITEMS}; ` +
          `'${item.sku}' was not added`,
      );
    }
    return [...cart, item];
  }
  const quantity = existing.quantity + item.quantity;
  if (quantity > MAX_ITEM_QUANTITY) {
    throw new InvalidInputError(
      `Quantity of '${item.sku}' would become ${quantity}; at most ${MAX_ITEM_QUANTITY} per item`,
    );
  }
  return cart.map((line) => (line === existing ? { sku: line.sku, quantity } : line));
}
