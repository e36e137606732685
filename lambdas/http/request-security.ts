/**
 * Reads what `reachedEdgeOverHttps` needs from a Hono request. Only the header named in the
 * configuration is read; any other forwarded-proto header a client sends is never looked at.
 */
import type { Context } from 'hono';
import { reachedEdgeOverHttps, type CookieSecurity } from '../core/cookie-security';

/**
 * The cookie security of this request's response.
 *
 * @example
 * const security = cookieSecurityOf(c, 'x-forwarded-proto'); // { secure: true } behind an HTTPS listener
 */
export function cookieSecurityOf(c: Context, trustedProtoHeader: string | undefined): CookieSecurity {
  return {
    secure: reachedEdgeOverHttps({
      trustedProtoHeader,
      forwardedProto: trustedProtoHeader === undefined ? undefined : c.req.header(trustedProtoHeader),
      urlProtocol: new URL(c.req.url).protocol,
    }),
  };
}
