/**
 * The container server's protocol edges and timeouts, on a real server
 * (in this process, no engines needed: only the identity routes are configured). Raw bytes on a
 * socket, because a well-behaved HTTP client would refuse to send most of these.
 */
import * as net from 'node:net';
import { freePort } from '../../harness/ports';
import { startContainerServer, type RunningServer } from '../../lambdas/server/container-server';
import { ALB_IDLE_TIMEOUT_MS, CONTAINER_SERVER_TIMEOUTS } from '../../lambdas/server/http-edges';
import { rawRequest } from '../fixtures/hostile-stack';

/** Scaled-down timeouts with the same relations as the real ones. */
const SCALED = { keepAliveTimeoutMs: 1500, headersTimeoutMs: 400, requestTimeoutMs: 800, checkIntervalMs: 50 };

describe('container server protocol edges', () => {
  let server: RunningServer;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    server = await startContainerServer({ PORT: String(port), INSTANCE_ID: 'edges-1', SESSION_STORE: 'memory' }, { timeouts: SCALED });
  });

  afterAll(async () => {
    await server?.close();
  });

  const expectErrorShape = (answer: { status: number; headers: Record<string, string>; body: string }, status: number) => {
    expect(answer.status).toBe(status);
    const body = JSON.parse(answer.body);
    expect(body).toEqual(expect.objectContaining({ error: expect.any(String), message: expect.any(String), requestId: answer.headers['x-request-id'] }));
    return body as { error: string; message: string };
  };

  it.each([
    ['a backslash in the path', 'GET /a\\b HTTP/1.1\r\nhost: app.example\r\n\r\n', 'path: must not contain a backslash'],
    ['a Host with a path', 'GET /whoami HTTP/1.1\r\nhost: app.example/admin\r\n\r\n', 'header.host: expected a host name with an optional port'],
    ['a Host with user info', 'GET /whoami HTTP/1.1\r\nhost: user@app.example\r\n\r\n', 'header.host: expected a host name with an optional port'],
    ['no Host in HTTP/1.1', 'GET /whoami HTTP/1.1\r\n\r\n', 'header.host: required in HTTP/1.1'],
    ['OPTIONS *', 'OPTIONS * HTTP/1.1\r\nhost: app.example\r\n\r\n', "path: expected an absolute path starting with '/' (not '*' or a relative form)"],
  ])('answers %s with a JSON 400 naming where and the rule', async (_case, request, message) => {
    // Act
    const answer = await rawRequest(port, request);

    // Assess
    expect(expectErrorShape(answer, 400)).toMatchObject({ error: 'BadRequest', message });
  });

  it.each([
    ['a route', 'GET /whoami HTTP/1.1\r\nhost: app.example\r\n\r\n', 200],
    ['a session route (memory store)', 'GET /session HTTP/1.1\r\nhost: app.example\r\n\r\n', 200],
    ['no route', 'GET /nowhere HTTP/1.1\r\nhost: app.example\r\n\r\n', 404],
    ['a body over the limit', `POST /session/cart HTTP/1.1\r\nhost: app.example\r\ncontent-type: application/json\r\ncontent-length: ${64 * 1024}\r\n\r\n`, 413],
  ])('names the instance and the request on %s, once each, from the Node response', async (_case, request, status) => {
    // Act
    const answer = await rawRequest(port, request);
    const raw = answer.rawHead;

    // Assess
    expect(answer.status).toBe(status);
    expect(answer.headers['x-served-by']).toBe('edges-1');
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    for (const name of ['x-served-by', 'x-request-id']) expect(raw.toLowerCase().split(`\r\n${name}:`)).toHaveLength(2);
    if (request.includes('/session')) expect(answer.headers['x-session-strategy']).toBe('memory');
  });

  it('serves an HTTP/1.0 request without Host (a load balancer health check)', async () => {
    // Act
    const answer = await rawRequest(port, 'GET /healthz HTTP/1.0\r\n\r\n');

    // Assess
    expect(answer.status).toBe(200);
  });

  it('answers bytes that are not HTTP with a JSON 400', async () => {
    // Act
    const answer = await rawRequest(port, 'HELLO THERE\r\n\r\n');

    // Assess
    expectErrorShape(answer, 400);
  });

  it('answers CONNECT with a JSON 405 instead of dropping the socket, and keeps serving', async () => {
    // Act
    const answer = await rawRequest(port, 'CONNECT example.com:443 HTTP/1.1\r\nhost: example.com:443\r\n\r\n');
    const after = await rawRequest(port, 'GET /healthz HTTP/1.1\r\nhost: app.example\r\nconnection: close\r\n\r\n');

    // Assess
    expect(expectErrorShape(answer, 405)).toMatchObject({ error: 'MethodNotAllowed' });
    expect(after.status).toBe(200);
  });

  it('cuts a trickled body at the request timeout with a JSON 408', async () => {
    // Prepare
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('POST /session/cart HTTP/1.1\r\nhost: app.example\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{');
    const trickle = setInterval(() => socket.write(' '), 100);
    const started = performance.now();

    // Act
    await closed;
    clearInterval(trickle);
    const elapsed = performance.now() - started;

    // Assess
    expect(elapsed).toBeLessThan(SCALED.requestTimeoutMs + 1000);
    expect(Buffer.concat(chunks).toString()).toMatch(/^HTTP\/1\.1 408 [\s\S]*"error":"RequestTimeout"/);
  });

  it('keeps an idle keep-alive connection past the headers timeout, and closes it after the keep-alive timeout', async () => {
    // Prepare
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(performance.now())));
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    socket.write('GET /healthz HTTP/1.1\r\nhost: app.example\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, SCALED.headersTimeoutMs * 2)); // idle longer than headersTimeout
    const idleSince = performance.now();

    // Act
    socket.write('GET /healthz HTTP/1.1\r\nhost: app.example\r\n\r\n');
    const closedAt = await closed;

    // Assess
    expect(received.match(/HTTP\/1\.1 200/g)).toHaveLength(2);
    expect(closedAt - idleSince).toBeGreaterThan(SCALED.keepAliveTimeoutMs - 200);
  });

  it('outlives the ALB idle timeout with its keep-alive, and bounds headers and requests well under Node defaults', () => {
    expect(CONTAINER_SERVER_TIMEOUTS.keepAliveTimeoutMs).toBeGreaterThan(ALB_IDLE_TIMEOUT_MS);
    expect(CONTAINER_SERVER_TIMEOUTS.headersTimeoutMs).toBeLessThanOrEqual(CONTAINER_SERVER_TIMEOUTS.requestTimeoutMs);
    expect(CONTAINER_SERVER_TIMEOUTS.requestTimeoutMs).toBeLessThan(300_000);
  });
});
