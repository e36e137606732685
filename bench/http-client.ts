/**
 * A small keep-alive HTTP client with one user's cookie jar, for latency series against the
 * container server. It uses `node:http` with one persistent connection rather than `fetch`, whose
 * per-request overhead (undici, abort signals, streams) would add noise to sub-millisecond paths.
 */
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface BenchResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
  /** End-to-end time seen by this client. */
  readonly ms: number;
}

export class BenchHttpClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly cookies = new Map<string, string>();

  constructor(private readonly baseUrl: string) {}

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<BenchResponse<T>> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(new URL(path, this.baseUrl), { method, headers, agent: this.agent, timeout: 5000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const ms = performance.now() - started;
          this.storeCookies(res.headers['set-cookie'] ?? []);
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text === '' ? undefined : JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed as T, ms });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 5 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Like `request`, but a status other than `expected` is an error (counted as a failure by runLoad). */
  async expect<T = unknown>(expected: number | readonly number[], method: string, path: string, body?: unknown): Promise<BenchResponse<T>> {
    const response = await this.request<T>(method, path, body);
    const allowed = typeof expected === 'number' ? [expected] : expected;
    if (!allowed.includes(response.status)) throw new Error(`${method} ${path}: HTTP ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
    return response;
  }

  /** The value of a cookie the server set, if any. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  forgetCookies(): void {
    this.cookies.clear();
  }

  close(): void {
    this.agent.destroy();
  }

  private storeCookies(lines: readonly string[]): void {
    for (const line of lines) {
      const [pair, ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      if (at <= 0) continue;
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}
