/**
 * The local Lambda tier: an HTTP server that does what the ALB and the Lambda service do for the
 * stack's Lambda target groups. A request whose path matches a function's ALB path patterns (under
 * `/lambda`, lib/compute/lambda-tier.ts) becomes the event the target group sends (toolkit/alb-event.ts:
 * single-value headers unless `multiValueHeaders`, as the target group is configured), is invoked in
 * one of that function's execution environments (lambda-environments.ts: one invocation at a time
 * each, a cold start when all are busy), and the result becomes the HTTP response. A failed
 * invocation is a 502, as the ALB answers; a path no function serves is a 404 here (on AWS the
 * listener's default action would take it to the Fargate tier).
 *
 * `GET /healthz` (outside `/lambda`) is the shim's own liveness, for the harness and HAProxy: Lambda
 * target groups run no health checks by default, so no function is invoked for it.
 *
 * In `functionUrl` mode the shim is a Lambda Function URL instead (the regional multi-master
 * writers, lib/multi-master/multi-master-regional-stack.ts): its one function gets every path (but
 * the shim's own `/healthz`), as a payload-format-2.0 event (toolkit/function-url-event.ts).
 *
 * @example
 * const shim = await startLambdaShim({ functions: await prepareLambdaBundles(), env: { ... }, instanceName: 'lambda-1' });
 * await fetch(`${shim.url}/lambda/whoami`);
 * await shim.stop();
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { albEventOf, httpResponseOf } from '../toolkit/alb-event';
import { functionUrlEventOf, functionUrlResponseOf } from '../toolkit/function-url-event';
import { ENV } from '../lambdas/config/env-names';
import { FunctionEnvironments } from './lambda-environments';
import type { LambdaFunctionBundle } from './lambda-bundles';

export const FUNCTIONS_VAR = 'LAMBDA_SHIM_FUNCTIONS';
export const MULTI_VALUE_VAR = 'LAMBDA_SHIM_MULTI_VALUE_HEADERS';
export const MODE_VAR = 'LAMBDA_SHIM_MODE';

/** What stands in front of the functions: the ALB's Lambda target groups, or one Function URL. */
export type LambdaShimMode = 'alb' | 'functionUrl';

/** The entry of a shim process (lambda-shim-main.ts), which the harness bundles and runs as an app instance. */
export const LAMBDA_SHIM_ENTRY = path.join(__dirname, 'lambda-shim-main.ts');

/** A shim process's own variables for `functions` (added to the functions' configuration). */
export function lambdaShimEnv(
  functions: readonly LambdaFunctionBundle[],
  options: { readonly multiValueHeaders?: boolean; readonly mode?: LambdaShimMode } = {},
): Record<string, string> {
  return { [FUNCTIONS_VAR]: JSON.stringify(functions), [MULTI_VALUE_VAR]: options.multiValueHeaders === true ? '1' : '0', [MODE_VAR]: options.mode ?? 'alb' };
}

export interface LambdaShimOptions {
  readonly functions: readonly Pick<LambdaFunctionBundle, 'name' | 'pathPatterns' | 'bundle'>[];
  /** Every function's environment variables (the shim adds the instance id). */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Name of this Lambda "instance" (a server slot of the local ALB): each function's first
   * environment reports it as its INSTANCE_ID, the n-th one `<name>.<n>`. @default 'lambda'
   */
  readonly instanceName?: string;
  /** Shape of the target groups' events: `lambda.multi_value_headers.enabled`. @default false (as deployed) */
  readonly multiValueHeaders?: boolean;
  /** `functionUrl`: exactly one function, given every path in the Function URL event shape. @default 'alb' */
  readonly mode?: LambdaShimMode;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  readonly log?: (line: string) => void;
}

export interface LambdaShim {
  readonly url: string;
  readonly port: number;
  /** Cold starts and live environments per function. */
  counts(): Record<string, { readonly coldStarts: number; readonly environments: number }>;
  stop(): Promise<void>;
}

interface Route {
  readonly patterns: readonly RegExp[];
  readonly environments: FunctionEnvironments;
}

/** An ALB path pattern as a regular expression: case-sensitive, `*` any run of characters, `?` one. */
export function albPathPattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

const TEXT_BODY = /^(text\/|application\/(json|x-www-form-urlencoded|javascript|xml)|[^;]*\+json)/i;

export async function startLambdaShim(options: LambdaShimOptions): Promise<LambdaShim> {
  const instance = options.instanceName ?? 'lambda';
  const log = options.log ?? (() => undefined);
  const mode = options.mode ?? 'alb';
  if (mode === 'functionUrl' && options.functions.length !== 1) throw new Error(`a Function URL invokes one function, got ${options.functions.length}`);
  const routes: Route[] = options.functions.map((fn) => ({
    patterns: mode === 'functionUrl' ? [/^/] : fn.pathPatterns.map(albPathPattern),
    environments: new FunctionEnvironments({
      name: fn.name,
      bundle: fn.bundle,
      env: (n) => ({ ...options.env, [ENV.instanceId]: n === 1 ? instance : `${instance}.${n}` }),
      onColdStart: (id, ms) => log(`cold start: ${id} answered its first invocation ${ms} ms after it started`),
    }),
  }));
  const server = http.createServer((req, res) => {
    serve(req, routes, mode, options.multiValueHeaders ?? false).then(
      ({ status, headers, body }) => {
        res.writeHead(status, headers.flat());
        res.end(body);
      },
      (error: Error) => {
        log(`shim failure: ${error.stack ?? error.message}`);
        res.writeHead(502, { 'content-type': 'text/plain' }).end('502 Bad Gateway');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    counts: () => Object.fromEntries(routes.map((r, i) => [options.functions[i].name, r.environments.counts()])),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(routes.map((r) => r.environments.stop()));
    },
  };
}

type Reply = { readonly status: number; readonly headers: Array<[string, string]>; readonly body: Buffer | string };

async function serve(req: http.IncomingMessage, routes: readonly Route[], mode: LambdaShimMode, multiValue: boolean): Promise<Reply> {
  const target = req.url ?? '/';
  const queryAt = target.indexOf('?');
  const path = queryAt < 0 ? target : target.slice(0, queryAt);
  if (path === '/healthz' && req.method === 'GET') return { status: 200, headers: [['content-type', 'text/plain']], body: 'lambda shim up' };
  const route = routes.find((r) => r.patterns.some((p) => p.test(path)));
  if (route === undefined) {
    return { status: 404, headers: [['content-type', 'text/plain']], body: `no Lambda function serves ${path} (on the ALB the default action would take it to the Fargate tier)` };
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const text = TEXT_BODY.test(req.headers['content-type'] ?? 'text/plain');
  const body = raw.length === 0 ? null : raw.toString(text ? 'utf8' : 'base64');
  const isBase64Encoded = raw.length > 0 && !text;
  const method = req.method ?? 'GET';
  const rawQuery = queryAt < 0 ? '' : target.slice(queryAt + 1);
  const event =
    mode === 'functionUrl'
      ? functionUrlEventOf({ method, path, rawQuery, headers: forwardedHeaders(req), body, isBase64Encoded, sourceIp: req.socket.remoteAddress ?? '127.0.0.1' })
      : albEventOf({ method, path, headers: forwardedHeaders(req), query: queryPairs(rawQuery), body, isBase64Encoded, multiValue });
  const outcome = await route.environments.invoke(event);
  if (!outcome.ok || outcome.result === undefined) {
    return { status: 502, headers: [['content-type', 'text/plain'], ['x-lambda-shim-error', oneLine(outcome.error ?? 'no result')]], body: '502 Bad Gateway' };
  }
  // The environments pass back whatever the handler returned: its shape follows the event's.
  return mode === 'functionUrl' ? functionUrlResponseOf(outcome.result as APIGatewayProxyStructuredResultV2) : httpResponseOf(outcome.result);
}

/** The client's header lines, lower-case, with what the ALB (or a Function URL) adds: the client address, port and a trace id. */
function forwardedHeaders(req: http.IncomingMessage): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i].toLowerCase(), req.rawHeaders[i + 1]]);
  const client = req.socket.remoteAddress ?? '127.0.0.1';
  const forwardedFor = pairs.find(([name]) => name === 'x-forwarded-for');
  if (forwardedFor === undefined) pairs.push(['x-forwarded-for', client]);
  else forwardedFor[1] = `${forwardedFor[1]}, ${client}`;
  if (!pairs.some(([name]) => name === 'x-forwarded-port')) pairs.push(['x-forwarded-port', String(req.socket.localPort ?? 80)]);
  if (!pairs.some(([name]) => name === 'x-forwarded-proto')) pairs.push(['x-forwarded-proto', 'http']);
  const epoch = Math.floor(Date.now() / 1000).toString(16);
  pairs.push(['x-amzn-trace-id', `Root=1-${epoch}-${randomBytes(12).toString('hex')}`]);
  return pairs;
}

/** `a=1&b=2&a=3` as pairs, still percent-encoded, as the ALB passes them. */
function queryPairs(query: string): Array<[string, string]> {
  return query
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
    });
}

const oneLine = (text: string) => text.split('\n')[0].slice(0, 200);
