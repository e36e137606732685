/**
 * The session cookie, byte for byte: the signed value that carries a whole session in the client
 * (stateless replication without a shared store) and the `Set-Cookie` line every session strategy
 * sends. Pure functions and a small class, so that signing, tampering, expiry and the 4 KiB limit
 * are provable without HTTP.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from './clock';
import { cookieAttributes, SECURE_COOKIE, type CookieSecurity } from './cookie-security';
import { InvalidSessionError, PayloadTooLargeError } from './errors';

/**
 * The largest distance from the epoch a JavaScript Date holds (ECMA-262 §21.4.1.22): a stored time
 * beyond it would make `toISOString()` throw, so stored state carrying one is no session at all.
 */
export const MAX_DATE_MS = 8.64e15;

/** Largest `Set-Cookie` (name + value + attributes) that browsers must keep (RFC 6265 §6.1). */
export const MAX_COOKIE_BYTES = 4096;

/** HMAC-SHA256 wants a key at least as long as its output to keep its full strength. */
export const MIN_SIGNING_KEY_BYTES = 32;

/** A signed value longer than this cannot come from us (it would not fit in a cookie); not worth hashing. */
const MAX_SIGNED_VALUE_CHARS = 2 * MAX_COOKIE_BYTES;
const SIGNATURE_CHARS = 43; // base64url of 32 bytes, unpadded
const SIGNED_VALUE = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

export interface SessionCookieCodecOptions {
  /**
   * Signing keys, each at least 32 bytes. The first signs; every key verifies, so that a key
   * rotated out keeps its cookies valid until they expire.
   */
  readonly keys: readonly Uint8Array[];
  readonly clock: Clock;
}

interface SignedPayload {
  /** Expiry, milliseconds since the epoch: the cookie is its own authority on when it ends. */
  readonly exp: number;
  readonly data: unknown;
}

/**
 * Signs and verifies self-contained session values: `base64url(JSON payload).base64url(HMAC-SHA256)`.
 * A value that is malformed, signed with an unknown key, altered by one bit, or expired is refused
 * as a whole with an InvalidSessionError (401): nothing of it is ever used.
 *
 * @example
 * const codec = new SessionCookieCodec({ keys: [Buffer.from(secret)], clock: systemClock });
 * const value = codec.encode({ visits: 1 }, 1800);
 * codec.decode(value); // { visits: 1 }
 */
export class SessionCookieCodec {
  private readonly keys: readonly Uint8Array[];

  constructor(private readonly options: SessionCookieCodecOptions) {
    if (options.keys.length === 0) throw new RangeError('a session signing key is required');
    for (const key of options.keys) {
      if (key.byteLength < MIN_SIGNING_KEY_BYTES) {
        throw new RangeError(
          `a session signing key must be at least ${MIN_SIGNING_KEY_BYTES} bytes, got ${key.byteLength} bytes`,
        );
      }
    }
    this.keys = options.keys;
  }

  /** Signs `data` with the current key; the payload expires `ttlSeconds` from now. */
  encode(data: unknown, ttlSeconds: number): string {
    const payload: SignedPayload = { exp: this.options.clock.now() + ttlSeconds * 1000, data };
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `${body}.${sign(this.keys[0], body).toString('base64url')}`;
  }

  /** Returns the data of a value this codec signed and that has not expired; throws InvalidSessionError otherwise. */
  decode(value: string): unknown {
    const match = value.length <= MAX_SIGNED_VALUE_CHARS ? SIGNED_VALUE.exec(value) : null;
    if (!match) {
      throw invalidSessionCookie('Session cookie is malformed: expected base64url(payload).base64url(signature)');
    }
    const [, body, signatureText] = match;
    const given = Buffer.from(signatureText, 'base64url');
    // base64url ignores the spare low bits of the last character: insist on the one canonical form.
    const canonical = signatureText.length === SIGNATURE_CHARS && given.toString('base64url') === signatureText;
    if (!canonical || !this.keys.some((key) => timingSafeEqual(given, sign(key, body)))) {
      throw invalidSessionCookie('Session cookie signature does not match: it was altered or signed with another key');
    }
    const payload = parsePayload(body);
    if (payload === undefined) {
      throw invalidSessionCookie('Session cookie payload is not a session');
    }
    if (payload.exp <= this.options.clock.now()) {
      throw invalidSessionCookie(`Session cookie expired at ${new Date(payload.exp).toISOString()}`);
    }
    return payload.data;
  }
}

/** A 401 for a session cookie that must not be used; the HTTP layer clears it, and the message says so. */
export function invalidSessionCookie(reason: string): InvalidSessionError {
  return new InvalidSessionError(`${reason}; it was cleared, start a new session`);
}

function sign(key: Uint8Array, body: string): Buffer {
  return createHmac('sha256', key).update(body).digest();
}

function parsePayload(body: string): SignedPayload | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { exp, data } = parsed as Record<string, unknown>;
    // An expiry no Date can hold is not ours (we sign only real times): not a session.
    return typeof exp === 'number' && Number.isFinite(exp) && Math.abs(exp) <= MAX_DATE_MS ? { exp, data } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `Set-Cookie` line for a session cookie (attributes from `cookieAttributes`: `Secure` only when
 * `security.secure`). Refuses (413 PayloadTooLargeError) a cookie that a browser may drop, rather
 * than sending it and losing the session silently.
 *
 * @example
 * formatSessionCookie('sid', 'abc', 1800, { secure: true }); // 'sid=abc; Max-Age=1800; Path=/; HttpOnly; Secure; SameSite=Lax'
 */
export function formatSessionCookie(
  name: string,
  value: string,
  maxAgeSeconds: number,
  security: CookieSecurity = SECURE_COOKIE,
): string {
  const line = `${name}=${value}; Max-Age=${maxAgeSeconds}; ${cookieAttributes(security)}`;
  const bytes = Buffer.byteLength(line, 'utf8');
  if (bytes > MAX_COOKIE_BYTES) {
    throw new PayloadTooLargeError(
      `Session cookie would be ${bytes} bytes (name + value + attributes), over the ${MAX_COOKIE_BYTES}-byte limit ` +
        'of one cookie; the change was not saved. Keep less in the session or use a server-side session store (redis)',
    );
  }
  return line;
}

/** The `Set-Cookie` line that makes the client drop the session cookie (same attributes, so it matches). */
export function clearSessionCookie(name: string, security: CookieSecurity = SECURE_COOKIE): string {
  return `${name}=; Max-Age=0; ${cookieAttributes(security)}`;
}
