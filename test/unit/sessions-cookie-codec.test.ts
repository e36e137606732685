import { createHmac } from 'node:crypto';
import { ManualClock } from '../../lambdas/core/clock';
import { InvalidSessionError, PayloadTooLargeError } from '../../lambdas/core/errors';
import {
  clearSessionCookie,
  formatSessionCookie,
  MAX_COOKIE_BYTES,
  SessionCookieCodec,
} from '../../lambdas/core/sessions-cookie-codec';

const KEY = Buffer.from('k'.repeat(32));
const OTHER_KEY = Buffer.from('o'.repeat(32));
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Replaces the character at `index` by another base64url character. */
function flipChar(value: string, index: number): string {
  const replacement = value[index] === 'A' ? 'B' : 'A';
  return `${value.slice(0, index)}${replacement}${value.slice(index + 1)}`;
}

function decodeError(codec: SessionCookieCodec, value: string): InvalidSessionError {
  try {
    codec.decode(value);
  } catch (error) {
    if (error instanceof InvalidSessionError) return error;
    throw error;
  }
  throw new Error('expected decode to throw InvalidSessionError');
}

describe('SessionCookieCodec', () => {
  it('returns the data it signed', () => {
    // Prepare
    const codec = new SessionCookieCodec({ keys: [KEY], clock: new ManualClock() });

    // Act
    const value = codec.encode({ visits: 3, cart: [{ sku: 'A-1', quantity: 2 }] }, 60);

    // Assess
    expect(value).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(codec.decode(value)).toEqual({ visits: 3, cart: [{ sku: 'A-1', quantity: 2 }] });
  });

  it('rejects a value with one payload character changed', () => {
    // Prepare
    const codec = new SessionCookieCodec({ keys: [KEY], clock: new ManualClock() });
    const value = codec.encode({ visits: 1 }, 60);

    // Act
    const error = decodeError(codec, flipChar(value, 5));

    // Assess
    expect(error.message).toBe(
      'Session cookie signature does not match: it was altered or signed with another key; it was cleared, start a new session',
    );
  });

  it('rejects a value with any one signature character changed, including the spare bits of the last one', () => {
    // Prepare
    const codec = new SessionCookieCodec({ keys: [KEY], clock: new ManualClock() });
    const value = codec.encode({ visits: 1 }, 60);
    const signatureStart = value.indexOf('.') + 1;

    // Act
    const rejected = Array.from({ length: 43 }, (_, i) => {
      const flipped = flipChar(value, signatureStart + i);
      return decodeError(codec, flipped).code;
    });
    // The last character carries 2 spare bits: flipping one decodes to the very same 32 bytes.
    const last = value.length - 1;
    const spareBitFlipped = BASE64URL[BASE64URL.indexOf(value[last]) ^ 1];
    const sameBytesVariant = `${value.slice(0, last)}${spareBitFlipped}`;

    // Assess
    expect(rejected).toEqual(Array(43).fill('InvalidSession'));
    expect(Buffer.from(sameBytesVariant.slice(signatureStart), 'base64url')).toEqual(
      Buffer.from(value.slice(signatureStart), 'base64url'),
    );
    expect(() => codec.decode(sameBytesVariant)).toThrow(InvalidSessionError);
  });

  it('rejects a value signed with another key', () => {
    // Prepare
    const clock = new ManualClock();
    const signed = new SessionCookieCodec({ keys: [OTHER_KEY], clock }).encode({ visits: 1 }, 60);
    const codec = new SessionCookieCodec({ keys: [KEY], clock });

    // Act / Assess
    expect(() => codec.decode(signed)).toThrow(/signature does not match/);
  });

  it('accepts a value signed with a previous key while signing with the current one', () => {
    // Prepare
    const clock = new ManualClock();
    const signedWithOld = new SessionCookieCodec({ keys: [OTHER_KEY], clock }).encode({ visits: 4 }, 60);
    const rotated = new SessionCookieCodec({ keys: [KEY, OTHER_KEY], clock });
    const currentOnly = new SessionCookieCodec({ keys: [KEY], clock });

    // Act
    const reSigned = rotated.encode({ visits: 5 }, 60);

    // Assess
    expect(rotated.decode(signedWithOld)).toEqual({ visits: 4 });
    expect(currentOnly.decode(reSigned)).toEqual({ visits: 5 });
  });

  it('rejects a value once its expiry has passed, naming the expiry', () => {
    // Prepare
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    const codec = new SessionCookieCodec({ keys: [KEY], clock });
    const value = codec.encode({ visits: 1 }, 60);

    // Act
    clock.advance(59_999);
    const stillValid = codec.decode(value);
    clock.advance(1);
    const error = decodeError(codec, value);

    // Assess
    expect(stillValid).toEqual({ visits: 1 });
    expect(error.message).toBe('Session cookie expired at 2030-01-01T00:01:00.000Z; it was cleared, start a new session');
  });

  it.each([
    ['no separator', 'abcdef'],
    ['empty', ''],
    ['two dots', 'a.b.c'],
    ['non-base64url characters', 'ab+c.' + 'A'.repeat(43)],
    ['a short signature', 'abc.' + 'A'.repeat(42)],
    ['an oversized value', 'A'.repeat(9000) + '.' + 'A'.repeat(43)],
  ])('rejects a malformed value (%s)', (_case, value) => {
    // Prepare
    const codec = new SessionCookieCodec({ keys: [KEY], clock: new ManualClock() });

    // Act
    const error = decodeError(codec, value);

    // Assess
    expect(error.message).toBe(
      'Session cookie is malformed: expected base64url(payload).base64url(signature); it was cleared, start a new session',
    );
  });

  it('rejects a correctly signed value whose payload carries no expiry', () => {
    // Prepare
    const codec = new SessionCookieCodec({ keys: [KEY], clock: new ManualClock() });
    const body = Buffer.from(JSON.stringify({ data: { visits: 1 } })).toString('base64url');
    const value = `${body}.${createHmac('sha256', KEY).update(body).digest('base64url')}`;

    // Act / Assess
    expect(() => codec.decode(value)).toThrow('Session cookie payload is not a session; it was cleared, start a new session');
  });

  it('refuses a signing key shorter than 32 bytes', () => {
    expect(() => new SessionCookieCodec({ keys: [Buffer.from('short')], clock: new ManualClock() })).toThrow(
      'a session signing key must be at least 32 bytes, got 5 bytes',
    );
  });
});

describe('formatSessionCookie', () => {
  it('adds HttpOnly, Secure, SameSite=Lax, Path=/ and Max-Age', () => {
    expect(formatSessionCookie('sid', 'abc', 1800)).toBe('sid=abc; Max-Age=1800; Path=/; HttpOnly; Secure; SameSite=Lax');
  });

  it('accepts a cookie of exactly 4096 bytes', () => {
    // Prepare
    const attributes = '; Max-Age=60; Path=/; HttpOnly; Secure; SameSite=Lax'.length;
    const value = 'v'.repeat(MAX_COOKIE_BYTES - 'sid='.length - attributes);

    // Act / Assess
    expect(Buffer.byteLength(formatSessionCookie('sid', value, 60))).toBe(MAX_COOKIE_BYTES);
  });

  it('refuses a cookie over 4096 bytes with the size and the limit', () => {
    // Prepare
    const attributes = '; Max-Age=60; Path=/; HttpOnly; Secure; SameSite=Lax'.length;
    const value = 'v'.repeat(MAX_COOKIE_BYTES - 'sid='.length - attributes + 1);

    // Act
    const act = () => formatSessionCookie('sid', value, 60);

    // Assess
    expect(act).toThrow(PayloadTooLargeError);
    expect(act).toThrow(
      'Session cookie would be 4097 bytes (name + value + attributes), over the 4096-byte limit of one cookie; ' +
        'the change was not saved. Keep less in the session or use a server-side session store (redis)',
    );
  });
});

describe('clearSessionCookie', () => {
  it('expires the cookie immediately with the same attributes', () => {
    expect(clearSessionCookie('sid')).toBe('sid=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax');
  });
});
