/**
 * A JSON-over-HTTP client for the `sessions-memory` experiment that keeps a fixed set of keep-alive
 * connections open for the whole run. Why not `fetch`/HttpClient: its pool closes idle connections
 * after 4 s, and the server then frees ~1 MiB of per-connection objects, a step in the heap readings
 * as large as thousands of sessions. Requests carry no cookie jar: a request without a cookie is a
 * new user, and the caller keeps the cookie it wants to replay.
 */
import * as http from 'node:http';

export interface JsonResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
  /** The `name=value` of the first Set-Cookie, if any. */
  readonly cookie: string | undefined;
}

export class KeepAliveJsonClient {
  private readonly agent: http.Agent;

  /** At most `connections` sockets, kept open between requests until `close()`. */
  constructor(
    private readonly baseUrl: string,
    connections: number,
    private readonly timeoutMs = 5000,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  }

  request<T = unknown>(method: string, path: string, options: { body?: unknown; cookie?: string } = {}): Promise<JsonResponse<T>> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string | number> = {};
    if (payload !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    if (options.cookie !== undefined) headers.cookie = options.cookie;
    return new Promise((resolve, reject) => {
      const request = http.request(new URL(path, this.baseUrl), { method, agent: this.agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text === '' ? undefined : JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          const cookie = response.headers['set-cookie']?.[0]?.split(';')[0];
          resolve({ status: response.statusCode ?? 0, body: body as T, cookie });
        });
      });
      request.setTimeout(this.timeoutMs, () => request.destroy(new Error(`${method} ${path} timed out after ${this.timeoutMs} ms`)));
      request.on('error', reject);
      request.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
