/**
 * An HTTP client with one user's cookie jar (see `CookieJar`), as one browser would be: the lab's
 * experiments and e2e's checks speak to the app through it. Built on `fetch`; for sub-millisecond
 * latency series use `KeepAliveHttpClient`, whose one persistent `node:http` connection adds less noise.
 *
 * @example
 * const client = new HttpClient('http://127.0.0.1:8080');
 * const { status, body } = await client.request('POST', '/session/cart', { item: 'a' });
 */
import { performance } from 'node:perf_hooks';
import { CookieJar, parseBody } from './cookie-jar';

export interface HttpResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly ms: number;
  /** The `x-served-by` header: which instance answered. */
  readonly servedBy: string | undefined;
}

export class HttpClient {
  private readonly jar = new CookieJar();

  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 5000,
  ) {}

  /** Cookies currently held, by name. */
  cookieJar(): ReadonlyMap<string, string> {
    return this.jar.entries();
  }

  forgetCookies(): void {
    this.jar.clear();
  }

  /** `headers.cookie`, when given, replaces what the jar would send. */
  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResponse<T>> {
    const url = new URL(path, this.baseUrl);
    const cookie = this.jar.header();
    const t0 = performance.now();
    const response = await fetch(url, {
      method,
      headers: {
        ...(cookie === undefined ? {} : { cookie }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    const ms = performance.now() - t0;
    this.jar.store(response.headers.getSetCookie(), url);
    return { status: response.status, headers: response.headers, body: parseBody(text) as T, ms, servedBy: response.headers.get('x-served-by') ?? undefined };
  }

  get<T = unknown>(path: string): Promise<HttpResponse<T>> {
    return this.request<T>('GET', path);
  }
}
