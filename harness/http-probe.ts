/**
 * A bare HTTP/1.1 GET over a fresh connection (no agent, no keep-alive), bounded by a timeout.
 * Readiness probes and balancing experiments need exactly that: every request is routed on its
 * own, and nothing lingers in a connection pool after a test.
 */
import * as http from 'node:http';

export interface ProbeResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/**
 * GET `url` with optional request headers; rejects on connection errors and after `timeoutMs`.
 *
 * @example
 * const res = await httpGet(`${haproxy.url}/whoami`, { cookie: 'SERVERID=app-1' });
 */
export function httpGet(url: string, headers: Record<string, string> = {}, timeoutMs = 2000): Promise<ProbeResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, headers: { connection: 'close', ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', reject);
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}

/** The `name=value` pairs of a response's Set-Cookie headers, ready to send back as a Cookie header. */
export function cookiesFrom(response: ProbeResponse): string | undefined {
  const setCookie = response.headers['set-cookie'];
  if (setCookie === undefined || setCookie.length === 0) return undefined;
  return setCookie.map((c) => c.split(';')[0].trim()).join('; ');
}
