/**
 * The regional writers' client against an in-process HTTP server on 127.0.0.1 (no other network):
 * SigV4 for Function URLs, the LocalStack Host-header routing, and a bounded wait.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RegionalClient } from '../../e2e/http/regional-client';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const FUNCTION_URL = 'http://abc123.lambda-url.us-east-1.localhost.localstack.cloud:4566/';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('RegionalClient', () => {
  let server: http.Server;
  let gateway: string;
  const seen: Seen[] = [];
  let silent = false;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (silent) return; // never answers
        res.writeHead(201, { 'content-type': 'application/json', 'x-served-by': 'writer-1' });
        res.end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    gateway = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    seen.length = 0;
    silent = false;
  });

  it('signs for the lambda service and sends the Function URL host through the LocalStack gateway', async () => {
    // Prepare
    const client = new RegionalClient({ url: FUNCTION_URL, region: 'us-east-1', credentials: CREDENTIALS, connectTo: gateway, timeoutMs: 2000 });

    // Act
    const response = await client.request('PUT', '/items/a1', { value: 'x' });

    // Assess: the answer, and what the "gateway" received
    expect([response.status, response.body, response.servedBy]).toEqual([201, { ok: true }, 'writer-1']);
    const [request] = seen;
    expect([request.method, request.url, request.headers.host, request.body]).toEqual([
      'PUT',
      '/items/a1',
      'abc123.lambda-url.us-east-1.localhost.localstack.cloud:4566',
      '{"value":"x"}',
    ]);
    expect(request.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/lambda\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
  });

  it('produces a signature AWS would compute for the same request (body included)', async () => {
    // Prepare
    const client = new RegionalClient({ url: FUNCTION_URL, region: 'us-east-1', credentials: CREDENTIALS, connectTo: gateway, timeoutMs: 2000 });
    await client.request('PUT', '/items/a1', { value: 'x' });
    const [request] = seen;
    const date = String(request.headers['x-amz-date']);
    const signingDate = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);

    // Act: sign independently, as the service does on receipt
    const expected = await new SignatureV4({ credentials: CREDENTIALS, region: 'us-east-1', service: 'lambda', sha256: Sha256 }).sign(
      {
        method: 'PUT',
        protocol: 'http:',
        hostname: 'abc123.lambda-url.us-east-1.localhost.localstack.cloud',
        port: 4566,
        path: '/items/a1',
        query: {},
        headers: { host: String(request.headers.host), accept: 'application/json', 'content-type': 'application/json' },
        body: request.body,
      },
      { signingDate },
    );

    // Assess
    expect(request.headers.authorization).toBe(expected.headers.authorization);
  });

  it('sends no signature to an endpoint without IAM auth (the lab)', async () => {
    const client = new RegionalClient({ url: gateway, region: 'us-east-1', timeoutMs: 2000 });
    await client.request('GET', '/items/a1');
    expect(seen[0].headers.authorization).toBeUndefined();
  });

  it('gives up on an endpoint that does not answer, within its timeout', async () => {
    // Prepare
    silent = true;
    const client = new RegionalClient({ url: gateway, region: 'us-east-1', timeoutMs: 200 });

    // Act + Assess
    await expect(client.request('GET', '/items/a1')).rejects.toThrow(`GET ${gateway}/items/a1 timed out after 200 ms`);
  });
});
