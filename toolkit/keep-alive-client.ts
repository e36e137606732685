/**
 * A keep-alive HTTP client with one user's cookie jar, for latency series against the container
 * server. It uses `node:http` with one persistent connection rather than `fetch`, whose per-request
 * overhead (undici, abort signals, streams) would add noise to sub-millisecond paths.
 */
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';
import { CookieJar, parseBody } from './cookie-jar';

export interface KeepAliveResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
  /** End-to-end time seen by this client. */
  readonly ms: number;
}

export class KeepAliveHttpClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly jar = new CookieJar();

  constructor(private readonly baseUrl: string) {}

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<KeepAliveResponse<T>> {
    const url = new URL(path, this.baseUrl);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {};
    const cookie = this.jar.header();
    if (cookie !== undefined) headers.cookie = cookie;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(url, { method, headers, agent: this.agent, timeout: 5000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const ms = performance.now() - started;
          this.jar.store(res.headers['set-cookie'] ?? [], url);
          resolve({ status: res.statusCode ?? 0, body: parseBody(Buffer.concat(chunks).toString('utf8')) as T, ms });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 5 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Like `request`, but a status other than `expected` is an error (counted as a failure by runLoad). */
  async expect<T = unknown>(expected: number | readonly number[], method: string, path: string, body?: unknown): Promise<KeepAliveResponse<T>> {
    const response = await this.request<T>(method, path, body);
    const allowed = typeof expected === 'number' ? [expected] : expected;
    if (!allowed.includes(response.status)) throw new Error(`${method} ${path}: HTTP ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
    return response;
  }

  /** The value of a cookie the server set, if any. */
  cookie(name: string): string | undefined {
    return this.jar.entries().get(name);
  }

  forgetCookies(): void {
    this.jar.clear();
  }

  close(): void {
    this.agent.destroy();
  }
}
