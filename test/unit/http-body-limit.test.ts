import { Hono } from 'hono';
import { createPatternApp, SERVED_BY_HEADER } from '../../lambdas/http/app';
import { systemClock } from '../../lambdas/core/clock';
import { InstanceIdentity } from '../../lambdas/core/reverse-proxy-identity';
import { MAX_BODY_BYTES } from '../../lambdas/http/validation';

/** An app with one route per method that echoes the size of the body it read. */
function echoApp(): Hono {
  const identity = new InstanceIdentity({ tier: 'local', region: 'local', instanceId: 'test-1' }, systemClock);
  return createPatternApp(identity, [
    (app) => {
      app.post('/echo', async (c) => c.json({ bytes: (await c.req.text()).length }));
      app.get('/echo', (c) => c.json({ read: false }));
    },
  ]);
}

/** A body that arrives as a stream, so the Request has no Content-Length (chunked on the wire). */
function streamOf(bytes: number): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (let sent = 0; sent < bytes; sent += 1024) controller.enqueue(new Uint8Array(Math.min(1024, bytes - sent)).fill(97));
      controller.close();
    },
  });
}

describe('createPatternApp body limit', () => {
  const tooLarge = { error: 'PayloadTooLarge', message: `body: exceeds the limit of ${MAX_BODY_BYTES} bytes`, requestId: expect.any(String) };

  it('answers 413 from the Content-Length alone, with the instance header', async () => {
    // Prepare
    const app = echoApp();
    // Act
    const res = await app.request('/echo', { method: 'POST', body: 'a'.repeat(MAX_BODY_BYTES + 1), headers: { 'content-type': 'text/plain' } });
    // Assess
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(tooLarge);
    expect(res.headers.get(SERVED_BY_HEADER)).toBe('test-1');
  });

  it('answers 413 for a streamed body without Content-Length once it passes the limit', async () => {
    const app = echoApp();
    const res = await app.request('/echo', { method: 'POST', body: streamOf(MAX_BODY_BYTES + 1), duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(tooLarge);
  });

  it('lets a body at the limit through, declared or streamed, and the route reads all of it', async () => {
    const app = echoApp();
    const declared = await app.request('/echo', { method: 'POST', body: 'a'.repeat(MAX_BODY_BYTES) });
    const streamed = await app.request('/echo', { method: 'POST', body: streamOf(MAX_BODY_BYTES), duplex: 'half' } as RequestInit);
    expect([declared.status, await declared.json()]).toEqual([200, { bytes: MAX_BODY_BYTES }]);
    expect([streamed.status, await streamed.json()]).toEqual([200, { bytes: MAX_BODY_BYTES }]);
  });

  it('does not look at GET requests, whatever they declare', async () => {
    const app = echoApp();
    const res = await app.request('/echo', { headers: { 'content-length': String(MAX_BODY_BYTES * 10) } });
    expect(res.status).toBe(200);
    expect(res.headers.get(SERVED_BY_HEADER)).toBe('test-1');
  });

  it('names the instance on a 404 and on an error mapped by onError', async () => {
    const identity = new InstanceIdentity({ tier: 'local', region: 'local', instanceId: 'test-2' }, systemClock);
    const app = createPatternApp(identity, [(a) => a.get('/boom', () => { throw new Error('boom'); })]);
    const [missing, failed] = [await app.request('/nope'), await app.request('/boom')];
    expect([missing.status, missing.headers.get(SERVED_BY_HEADER)]).toEqual([404, 'test-2']);
    expect([failed.status, failed.headers.get(SERVED_BY_HEADER)]).toEqual([500, 'test-2']);
  });
});
