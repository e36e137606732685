/**
 * HTTP client of a Region's multi-master writer: a Lambda Function URL with IAM auth on AWS and
 * LocalStack (requests signed with SigV4, service `lambda`), a plain local app in the lab. Built on
 * `node:http` rather than `fetch` because LocalStack routes Function URLs by the `Host` header
 * (`<id>.lambda-url.<region>.localhost.localstack.cloud`), which `fetch` does not let a caller set:
 * with `connectTo`, the request goes to the LocalStack gateway while naming the Function URL's host,
 * so no DNS lookup of `localhost.localstack.cloud` is needed.
 *
 * @example
 * const client = new RegionalClient({ url, region: 'us-east-1', credentials: defaultProvider(), timeoutMs: 10_000 });
 * const { status, body } = await client.request('PUT', '/items/a1', { value: 'x' });
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import * as http from 'node:http';
import * as https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { HttpResponse } from '../../toolkit';

/** Static credentials or a provider, as SigV4 takes them (the SDK's `AwsCredentialIdentity[Provider]`). */
export type SigningCredentials = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

export interface RegionalClientOptions {
  /** The writer's base URL (Function URL, or the lab app's address). */
  readonly url: string;
  /** Region the request is signed for. */
  readonly region: string;
  /** Sign with SigV4 (service `lambda`) using these credentials. @default - unsigned */
  readonly credentials?: SigningCredentials;
  /** Connect here instead of the URL's host, keeping the URL's host in `Host` (LocalStack). @default - the URL's host */
  readonly connectTo?: string;
  readonly timeoutMs: number;
}

export class RegionalClient {
  private readonly signer?: SignatureV4;

  constructor(private readonly options: RegionalClientOptions) {
    if (options.credentials !== undefined) {
      this.signer = new SignatureV4({ credentials: options.credentials, region: options.region, service: 'lambda', sha256: Sha256 });
    }
  }

  get region(): string {
    return this.options.region;
  }

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<HttpResponse<T>> {
    const url = new URL(path, this.options.url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let headers: Record<string, string> = {
      host: url.host,
      accept: 'application/json',
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    };
    if (this.signer !== undefined) {
      const signed = await this.signer.sign({
        method,
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port === '' ? undefined : Number(url.port),
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body: payload,
      });
      headers = signed.headers;
    }
    const via = new URL(this.options.connectTo ?? url.origin);
    const t0 = performance.now();
    const { status, responseHeaders, text } = await send(via, `${url.pathname}${url.search}`, method, headers, payload, this.options.timeoutMs);
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return {
      status,
      headers: responseHeaders,
      body: parsed as T,
      ms: performance.now() - t0,
      servedBy: responseHeaders.get('x-served-by') ?? undefined,
    };
  }
}

function send(
  via: URL,
  path: string,
  method: string,
  headers: Record<string, string>,
  payload: string | undefined,
  timeoutMs: number,
): Promise<{ status: number; responseHeaders: Headers; text: string }> {
  const transport = via.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      { protocol: via.protocol, hostname: via.hostname, port: via.port, method, path, headers, servername: headers.host?.split(':')[0] },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, one);
          }
          resolve({ status: response.statusCode ?? 0, responseHeaders, text: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    // One deadline for the whole exchange: a silent endpoint fails the request, it never hangs.
    const timer = setTimeout(() => request.destroy(new Error(`${method} ${via.origin}${path} timed out after ${timeoutMs} ms`)), timeoutMs);
    request.on('close', () => clearTimeout(timer));
    request.on('error', reject);
    request.end(payload);
  });
}
