/**
 * An HTTP client for the lab with its own cookie jar, as one user's browser would have: it
 * replays every cookie the server (or HAProxy) set. It is not a browser: it sends cookies marked
 * `Secure` over plain HTTP too, since the lab runs without TLS on 127.0.0.1.
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
    for (const line of response.headers.getSetCookie()) this.storeCookie(line);
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

  private storeCookie(line: string): void {
    const [pair, ...attributes] = line.split(';');
    const index = pair.indexOf('=');
    if (index <= 0) return;
    const name = pair.slice(0, index).trim();
    const value = pair.slice(index + 1).trim();
    const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
    if (expired) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}
