/**
 * The container server's protocol edges: what happens before a request reaches the app. Every
 * rejection here (a request line or Host the URL parser refuses, bytes that are not HTTP, CONNECT)
 * is a 4xx in the app's JSON error shape with a request id, never a dropped socket (which the load
 * balancer turns into a 502) or an empty body. Also the server's timeouts, which must fit behind
 * the ALB.
 */
import type { IncomingMessage, RequestListener, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { RequestError } from '@hono/node-server';
import { errorBody } from '../http/error-response';
import { logger } from '../observability/logger';
import { REQUEST_ID_HEADER, chooseRequestId } from '../http/request-id';

/** The ALB's idle timeout (its default, and what `lib/` leaves it at). */
export const ALB_IDLE_TIMEOUT_MS = 60_000;

export interface ServerTimeouts {
  /**
   * How long an idle keep-alive connection is kept. Longer than the ALB's idle timeout, so that the
   * ALB always closes an idle connection first: if the server closed it first, a request the ALB
   * sends at that moment would meet a closed socket and the client would get a 502.
   * @default 65000
   */
  readonly keepAliveTimeoutMs: number;
  /**
   * Time allowed to receive a request's headers, counted from its first byte (an idle keep-alive
   * connection is not affected). The ALB sends complete headers at once; only a trickling client
   * needs more than a fraction of a second. @default 10000
   */
  readonly headersTimeoutMs: number;
  /**
   * Time allowed to receive a whole request, body included: a trickled body may not hold a
   * connection for Node's default 300 s. Every route answers within a few seconds (bounded engine
   * timeouts) and bodies are at most 16 KiB. Must be at least `headersTimeoutMs` (Node refuses less).
   * @default 30000
   */
  readonly requestTimeoutMs: number;
  /** How often Node checks the two limits above (its default, 30 s, would let them overrun). @default 1000 */
  readonly checkIntervalMs: number;
}

export const CONTAINER_SERVER_TIMEOUTS: ServerTimeouts = {
  keepAliveTimeoutMs: ALB_IDLE_TIMEOUT_MS + 5_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  checkIntervalMs: 1_000,
};

/** Options for `http.createServer`: the checking interval can only be set there. */
export function serverOptions(timeouts: ServerTimeouts) {
  return {
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    connectionsCheckingInterval: timeouts.checkIntervalMs,
    // Node's own answer to a missing Host is an empty 400; `requireHost` answers it in JSON instead.
    requireHostHeader: false,
  };
}

/** What the URL parser refused, said in the error shape's terms (where, then the rule). */
const REQUEST_ERRORS: Record<string, string> = {
  'Backslash in request path': 'path: must not contain a backslash',
  'Invalid host header': 'header.host: expected a host name with an optional port',
  'Missing host header': 'header.host: required',
  'Invalid URL': "path: expected an absolute path starting with '/' (not '*' or a relative form)",
  'Invalid absolute URL': 'path: expected an absolute path or an http(s) URL',
  'Unsupported scheme': 'path: only http and https URLs are accepted',
};

/**
 * The node-server `errorHandler`: called with a RequestError when no Request could be built from
 * the incoming message. (The app itself never throws: its own errors are mapped by `onError`.)
 */
export function rejectUnparsableRequest(error: unknown): Response {
  const requestId = chooseRequestId(undefined);
  const headers = { 'content-type': 'application/json', [REQUEST_ID_HEADER]: requestId };
  if (error instanceof RequestError) {
    const message = REQUEST_ERRORS[error.message] ?? 'request: the request line or Host header cannot be parsed';
    return new Response(JSON.stringify(errorBody('BadRequest', message, { requestId })), { status: 400, headers });
  }
  logger.error('unhandled error before routing', { requestId, error: error as Error });
  return new Response(JSON.stringify(errorBody('InternalError', 'Internal error; see the logs for this request id', { requestId })), {
    status: 500,
    headers,
  });
}

/** Stands in for the Host of an HTTP/1.0 request without one (health checks send none); never routed on. */
export const DEFAULT_HOST = 'localhost';

/**
 * HTTP/1.1 requires a Host header (RFC 9112 §3.2), HTTP/1.0 does not (HAProxy's health checks, for
 * one, send none): an HTTP/1.1 request without it gets a JSON 400, an HTTP/1.0 one is served with
 * DEFAULT_HOST (pass it as the listener's `hostname`).
 */
export function requireHost(listener: RequestListener): RequestListener {
  return (request, response) => {
    const http11 = request.httpVersionMajor > 1 || (request.httpVersionMajor === 1 && request.httpVersionMinor >= 1);
    if (!http11 || request.headers.host !== undefined) return listener(request, response);
    const requestId = chooseRequestId(undefined);
    const body = JSON.stringify(errorBody('BadRequest', 'header.host: required in HTTP/1.1', { requestId }));
    response.writeHead(400, { 'content-type': 'application/json', [REQUEST_ID_HEADER]: requestId, connection: 'close' });
    response.end(body);
  };
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 405: 'Method Not Allowed', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/** A complete HTTP/1.1 response in the error shape, written on a socket the HTTP parser gave up on. */
export function rawErrorResponse(status: number, error: string, message: string, extraHeaders = ''): string {
  const requestId = chooseRequestId(undefined);
  const body = JSON.stringify(errorBody(error, message, { requestId }));
  return (
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
    `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
    `${REQUEST_ID_HEADER}: ${requestId}\r\n${extraHeaders}connection: close\r\n\r\n${body}`
  );
}

function clientErrorResponse(code: string | undefined): string {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return rawErrorResponse(431, 'HeadersTooLarge', 'header: the request headers exceed the server limit');
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return rawErrorResponse(408, 'RequestTimeout', 'request: not received completely within the time allowed');
  }
  return rawErrorResponse(400, 'BadRequest', 'request: not a valid HTTP/1.1 request');
}

/**
 * Installs the edges on a Node HTTP server: JSON answers for parser errors (instead of Node's empty
 * 400), a 405 for CONNECT (instead of a dropped socket), and the timeouts.
 */
export function installHttpEdges(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(error.code));
  });
  // Without a listener Node drops a CONNECT socket; with one, it is ours: answer, then close.
  server.on('connect', (_request: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy()); // a client gone mid-answer must not crash the process
    socket.end(rawErrorResponse(405, 'MethodNotAllowed', 'method: CONNECT is not supported (this is not a proxy)', 'allow: GET, POST, PUT, DELETE\r\n'));
  });
}
