/**
 * The playground's control API: a node:http server on its own port, bound to 127.0.0.1, never part
 * of the deployed app. The page reaches it through the playground's HAProxy at `/_playground/`
 * (same origin, so no CORS is granted to anyone):
 * - `GET /_playground/state`: stickiness, instances and their health, engines, the action log;
 * - `POST /_playground/actions` `{"action":"kill","tier":"fargate","instance":"fargate-1"}`: one
 *   action (see playground-actions.ts), answered `{ ok, message }` or `{ ok: false, problems }`.
 *
 * A POST must carry `x-playground-control: 1` and a JSON content type: a cross-site page can only
 * send those after a CORS preflight, which this server never grants, so another site open in the
 * same browser cannot kill instances through it.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseControlAction, type ControlAction } from './playground-actions';
import type { PlaygroundState } from './playground-state';
import { PlaygroundActionError } from './playground-pool';

export const CONTROL_PREFIX = '/_playground/';
export const CONTROL_HEADER = 'x-playground-control';
const MAX_BODY_BYTES = 4096;

/** What the control API drives (the Playground; a fake in unit tests). */
export interface PlaygroundControls {
  state(): Promise<PlaygroundState>;
  perform(action: ControlAction): Promise<string>;
  record(action: string, ok: boolean, message: string): unknown;
}

export interface ControlServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(JSON.stringify(body));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new PlaygroundActionError(`body: got more than ${MAX_BODY_BYTES} bytes; allowed: at most ${MAX_BODY_BYTES}`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Why a POST is refused before its body is read, or undefined when it may proceed. */
export function refusal(headers: http.IncomingHttpHeaders): { status: number; message: string } | undefined {
  if (headers[CONTROL_HEADER] !== '1') return { status: 403, message: `${CONTROL_HEADER}: got ${JSON.stringify(headers[CONTROL_HEADER] ?? null)}; allowed: "1"` };
  if (!/^application\/json\b/i.test(headers['content-type'] ?? '')) {
    return { status: 415, message: `content-type: got ${JSON.stringify(headers['content-type'] ?? null)}; allowed: application/json` };
  }
  const origin = headers.origin;
  if (origin !== undefined && origin !== 'null' && new URL(origin).host !== headers.host) {
    return { status: 403, message: `origin: got ${JSON.stringify(origin)}; allowed: the playground's own address` };
  }
  return undefined;
}

async function handle(controls: PlaygroundControls, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  if (req.method === 'GET' && path === `${CONTROL_PREFIX}state`) return send(res, 200, await controls.state());
  if (path !== `${CONTROL_PREFIX}actions`) return send(res, 404, { error: 'NotFound', message: `No control route for ${req.method} ${path}` });
  if (req.method !== 'POST') return send(res, 405, { error: 'MethodNotAllowed', message: 'actions: POST only' });
  const refused = refusal(req.headers);
  if (refused !== undefined) return send(res, refused.status, { ok: false, message: refused.message });
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch (error) {
    const message = error instanceof PlaygroundActionError ? error.message : 'body: got malformed JSON; allowed: a JSON object';
    controls.record('invalid', false, message);
    return send(res, 400, { ok: false, message, problems: [message] });
  }
  const parsed = parseControlAction(body);
  if (!parsed.ok) {
    const message = parsed.problems.join('; ');
    controls.record(String((body as { action?: unknown } | null)?.action ?? 'invalid'), false, message);
    return send(res, 400, { ok: false, message, problems: parsed.problems });
  }
  try {
    return send(res, 200, { ok: true, message: await controls.perform(parsed.value) });
  } catch (error) {
    return send(res, error instanceof PlaygroundActionError ? 409 : 500, { ok: false, message: (error as Error).message });
  }
}

/** Starts the control API on a free port of 127.0.0.1. */
export async function startControlServer(controls: PlaygroundControls, port = 0): Promise<ControlServer> {
  const server = http.createServer((req, res) => {
    handle(controls, req, res).catch((error: Error) => {
      if (!res.headersSent) send(res, 500, { ok: false, message: error.message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
