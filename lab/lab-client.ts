/**
 * An HTTP client for the lab with its own cookie jar, as one user's browser would have: it
 * replays every cookie the server (or HAProxy) set, and, as browsers do, refuses a `Secure`
 * cookie that arrives over plain HTTP from anywhere but the loopback host (which browsers treat
 * as a secure origin). So a deployment that marks cookies `Secure` on an HTTP listener loses its
 * sessions here as it would in a browser, instead of passing unnoticed.
 */
import { performance } from 'node:perf_hooks';

export interface LabResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly ms: number;
  /** The `x-served-by` header: which instance answered. */
  readonly servedBy: string | undefined;
}

export class LabClient {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 5000,
  ) {}

  /** Cookies currently held, by name. */
  cookieJar(): ReadonlyMap<string, string> {
    return this.cookies;
  }

  forgetCookies(): void {
    this.cookies.clear();
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<LabResponse<T>> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const t0 = performance.now();
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: {
        ...(cookie === '' ? {} : { cookie }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    const ms = performance.now() - t0;
    const acceptsSecure = secureCookiesAllowed(new URL(path, this.baseUrl));
    for (const line of response.headers.getSetCookie()) this.storeCookie(line, acceptsSecure);
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T, ms, servedBy: response.headers.get('x-served-by') ?? undefined };
  }

  get<T = unknown>(path: string): Promise<LabResponse<T>> {
    return this.request<T>('GET', path);
  }

  private storeCookie(line: string, acceptsSecure: boolean): void {
    const [pair, ...attributes] = line.split(';');
    const index = pair.indexOf('=');
    if (index <= 0) return;
    if (!acceptsSecure && attributes.some((a) => /^\s*secure\s*$/i.test(a))) return; // RFC 6265bis §5.7 step 8
    const name = pair.slice(0, index).trim();
    const value = pair.slice(index + 1).trim();
    const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
    if (expired) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

/** Where a browser keeps `Secure` cookies: HTTPS, and the loopback host (a potentially trustworthy origin). */
export function secureCookiesAllowed(url: URL): boolean {
  return url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}
