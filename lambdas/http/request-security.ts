/**
 * Reads what `reachedEdgeOverHttps` needs from a Hono request. Only the header named in the
 * configuration is read; any other forwarded-proto header a client sends is never looked at.
 *
 * The request URL's protocol is what the host saw: `http:` in the container server behind a load
 * balancer, but always `https:` on Lambda (Hono's adapter builds every event's URL with https). So a
 * Lambda function needs FORWARDED_PROTO_HEADER to leave `Secure` off on a plain HTTP listener; without
 * it, it errs on the strict side.
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
