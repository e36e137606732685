import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { systemClock } from '../../lambdas/core/clock';
import { InstanceIdentity } from '../../lambdas/core/reverse-proxy-identity';
import { createPatternApp } from '../../lambdas/http/app';
import { MAX_BODY_BYTES } from '../../lambdas/http/validation';

/** One raw HTTP/1.1 request; `chunks` are written one by one (chunked encoding when no content-length is given). */
function send(port: number, method: string, headers: Record<string, string>, chunks: readonly Buffer[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: '/echo', headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('body limit on the container host (@hono/node-server)', () => {
  let server: ServerType;
  let port: number;

  beforeAll(async () => {
    const identity = new InstanceIdentity({ tier: 'local', region: 'local', instanceId: 'body-limit' }, systemClock);
    const app = createPatternApp(identity, [(a) => a.post('/echo', async (c) => c.json({ bytes: (await c.req.text()).length }))]);
    server = await new Promise<ServerType>((resolve) => {
      const s: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('answers 413 to a chunked body without Content-Length that outgrows the limit', async () => {
    const chunks = Array.from({ length: 5 }, () => Buffer.alloc(MAX_BODY_BYTES / 4, 97));
    const res = await send(port, 'POST', { 'content-type': 'text/plain' }, chunks);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ error: 'PayloadTooLarge', message: `body: exceeds the limit of ${MAX_BODY_BYTES} bytes`, requestId: expect.any(String) });
  });

  it('answers 413 from a declared Content-Length', async () => {
    const body = Buffer.alloc(MAX_BODY_BYTES + 1, 97);
    const res = await send(port, 'POST', { 'content-length': String(body.length) }, [body]);
    expect(res.status).toBe(413);
  });

  it('reads a chunked body within the limit in full', async () => {
    const chunks = Array.from({ length: 4 }, () => Buffer.alloc(MAX_BODY_BYTES / 4, 97));
    const res = await send(port, 'POST', { 'content-type': 'text/plain' }, chunks);
    expect([res.status, JSON.parse(res.body)]).toEqual([200, { bytes: MAX_BODY_BYTES }]);
  });
});
