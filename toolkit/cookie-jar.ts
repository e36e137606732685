/**
 * One user's cookies, kept as a browser keeps them: every cookie the server (or the load
 * balancer) set is replayed, one with `Max-Age=0` or an empty value is forgotten, and a `Secure`
 * cookie that arrives over plain HTTP from anywhere but the loopback host is refused (browsers
 * treat loopback as a secure origin). So a deployment that marks cookies `Secure` on an HTTP
 * listener loses its sessions here as it would in a browser, instead of passing unnoticed.
 */

export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Cookies currently held, by name. */
  entries(): ReadonlyMap<string, string> {
    return this.cookies;
  }

  /** The `cookie` request header, or undefined when the jar is empty. */
  header(): string | undefined {
    return this.cookies.size === 0 ? undefined : [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Keeps what the `Set-Cookie` lines of a response from `url` say. */
  store(setCookieLines: readonly string[], url: URL): void {
    const acceptsSecure = secureCookiesAllowed(url);
    for (const line of setCookieLines) {
      const [pair, ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      if (index <= 0) continue;
      if (!acceptsSecure && attributes.some((a) => /^\s*secure\s*$/i.test(a))) continue; // RFC 6265bis §5.7 step 8
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  clear(): void {
    this.cookies.clear();
  }
}

/** Where a browser keeps `Secure` cookies: HTTPS, and the loopback host (a potentially trustworthy origin). */
export function secureCookiesAllowed(url: URL): boolean {
  return url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** A response body as JSON when it parses, else the text (undefined when empty). */
export function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text; // not JSON: keep the text
  }
}
