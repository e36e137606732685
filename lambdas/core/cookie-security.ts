/**
 * When may a cookie be `Secure`? Exactly when the client reached the edge over HTTPS. A browser
 * drops a `Secure` cookie that arrives over plain HTTP (on any origin but localhost), so a cookie
 * marked `Secure` on an HTTP deployment silently loses every session; a cookie left unmarked on
 * HTTPS could later be sent in clear. The decision is one pure function, so its edges are provable.
 */

/** What the HTTP layer knows about one request, read without interpretation. */
export interface RequestTransport {
  /**
   * Lower-case name of the header a trusted proxy sets to the client's protocol
   * (`x-forwarded-proto`, `cloudfront-forwarded-proto`).
   * @default - no proxy is trusted: only the request URL counts
   */
  readonly trustedProtoHeader?: string;
  /** Value of that header on this request (undefined when absent or when no header is trusted). */
  readonly forwardedProto?: string;
  /** Protocol of the URL this process received, as `URL.protocol` gives it (`http:`, `https:`). */
  readonly urlProtocol: string;
}

/**
 * True when the request reached the edge over HTTPS.
 *
 * - No trusted header: the request URL decides; a forwarded-proto header sent by the client is
 *   ignored, since nothing in front vouches for it.
 * - Trusted header present: its first entry decides. Proxies that append (`https,http`) put the
 *   protocol the client used at the edge first; later entries are hops inside the network.
 * - Trusted header absent (a health check or a request that bypassed the proxy): the URL decides.
 *
 * A forged value can at worst change the forger's own cookie, never another client's.
 *
 * @example
 * reachedEdgeOverHttps({ trustedProtoHeader: 'x-forwarded-proto', forwardedProto: 'https', urlProtocol: 'http:' }); // true
 * reachedEdgeOverHttps({ forwardedProto: 'https', urlProtocol: 'http:' }); // false: nothing trusted
 */
export function reachedEdgeOverHttps(transport: RequestTransport): boolean {
  if (transport.trustedProtoHeader !== undefined && transport.forwardedProto !== undefined) {
    const first = transport.forwardedProto.split(',')[0].trim().toLowerCase();
    if (first !== '') return first === 'https';
  }
  return transport.urlProtocol.toLowerCase() === 'https:';
}

/** How a cookie is sent on one response. */
export interface CookieSecurity {
  /** `Secure` attribute: true only when the request came over HTTPS (see `reachedEdgeOverHttps`). */
  readonly secure: boolean;
}

/** What a caller that cannot tell (no request at hand) must assume: the strict form. */
export const SECURE_COOKIE: CookieSecurity = { secure: true };

/**
 * The attributes of every cookie the app sets: never readable by scripts, sent on top-level
 * navigation from other sites (a link to the app keeps the session) but not on cross-site
 * subrequests, valid for the whole site, and `Secure` when the transport allows it.
 *
 * @example
 * cookieAttributes({ secure: false }); // 'Path=/; HttpOnly; SameSite=Lax'
 */
export function cookieAttributes(security: CookieSecurity): string {
  return security.secure ? 'Path=/; HttpOnly; Secure; SameSite=Lax' : 'Path=/; HttpOnly; SameSite=Lax';
}
