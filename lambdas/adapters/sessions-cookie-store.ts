/**
 * Stateless replication without a shared store: the whole session travels in a signed cookie.
 * Any instance can serve any request and nothing is kept server-side, so there is no store to
 * reach or lose; the costs are the cookie's size limit (about 4 KiB) and the bytes sent with
 * every request. The client can read the payload (it is signed, not encrypted), so keep nothing
 * secret in it.
 */
import type { Clock } from '../core/clock';
import { invalidSessionCookie, SessionCookieCodec } from '../core/sessions-cookie-codec';
import { parseSessionRecord, type SavedSession, type SessionStore, type StoredSession } from '../core/sessions';

export interface CookieSessionStoreOptions {
  /**
   * HMAC keys as text (UTF-8, at least 32 bytes each): the first signs, all verify, so that the
   * previous key can be kept while its cookies expire.
   */
  readonly signingKeys: readonly string[];
  readonly clock: Clock;
}

/**
 * A SessionStore whose "storage" is the cookie value itself. A cookie that fails verification,
 * has expired or does not hold a valid session is refused with InvalidSessionError (401), never used.
 *
 * @example
 * const store = new CookieSessionStore({ signingKeys: [key], clock: systemClock });
 */
export class CookieSessionStore implements SessionStore {
  readonly strategy = 'cookie' as const;
  private readonly codec: SessionCookieCodec;

  constructor(options: CookieSessionStoreOptions) {
    this.codec = new SessionCookieCodec({
      keys: options.signingKeys.map((key) => Buffer.from(key, 'utf8')),
      clock: options.clock,
    });
  }

  async load(token: string | undefined): Promise<StoredSession | undefined> {
    if (token === undefined) return undefined;
    const record = parseSessionRecord(this.codec.decode(token));
    if (record === undefined) {
      throw invalidSessionCookie('Session cookie does not hold a valid session');
    }
    return { record };
  }

  async save(session: StoredSession, ttlSeconds: number): Promise<SavedSession> {
    return { cookieValue: this.codec.encode(session.record, ttlSeconds) };
  }

  /**
   * Nothing is kept server-side: clearing the cookie (done by the service) ends the session. A copy
   * of the cookie kept elsewhere stays valid until it expires; that is the price of keeping no state.
   */
  async destroy(): Promise<void> {}
}
