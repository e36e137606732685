/**
 * Fuzz suite: property-based hostile requests on every route's path, query, headers,
 * cookies and body, sent as raw bytes to real container-server instances on the harness's engines,
 * and as generated ALB events to the Lambda entry. Every answer must hold the contract:
 * - no 5xx, except a 503 while an outage is injected (Redis killed in the second phase);
 * - answered within 2 s;
 * - no stack frame, server path, SQL, driver text, engine address or secret value;
 * - every 4xx in the JSON error shape `{ error, message, requestId }`, the id matching `x-request-id`;
 * - every instance alive at the end.
 *
 * The seed is fixed in CI and printed, so a failure reproduces: `FUZZ_SEED=<seed> npx jest <this file>`.
 * A larger run: `FUZZ_RUNS=2000 npx jest test/integration/fuzz-hostile-input.test.ts --runInBand`.
 */
import type { ALBResult } from 'aws-lambda';
import fc from 'fast-check';
import { pollUntil } from '../../harness/ports';
import { isAlive } from '../../harness/processes';
import { lambdaHandler } from '../../lambdas/http/lambda-entry';
import { buildContainerApp, type ContainerApp } from '../../lambdas/server/container-server';
import { albEvent, lambdaContext } from '../../toolkit/alb-event';
import { leakIn, rawRequest, startHostileStack, type HostileStack, type RawResponse } from '../fixtures/hostile-stack';
import { readRuntimeConfig } from '../../lambdas/config/runtime-sections';

const SEED = Number(process.env.FUZZ_SEED ?? 1414);
const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const MAX_ANSWER_MS = 2000;

/** A route template: `{id}` is replaced by a generated path segment. */
const ROUTES = [
  '/whoami', '/healthz', '/work', '/session', '/session/cart', '/session/stats', '/profiles/{id}', '/notes',
  '/notes/{id}', '/replication/lag', '/counters/{id}', '/counters/{id}/hot', '/counters/{id}/sharded', '/items/{id}',
] as const;

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    "'; DROP TABLE notes; --", '1 OR 1=1', '../../../etc/passwd', '%00', '\u0000', 'a\u0000b', '${7*7}', '{{7*7}}',
    '<script>alert(1)</script>', '\\', '..%2f..%2f', 'x'.repeat(3000), '1e300', '-1', '1.5', 'NaN', '__proto__', 'constructor',
    '0/0', 'FFFFFFFF/FFFFFFFF', '\uD800', '\uFEFF', 'null', 'true', '[]', '{}',
  ),
);
const validId = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);

/** Percent-encodes every byte outside the unreserved set (lone surrogates too, which encodeURIComponent refuses). */
const percentEncode = (text: string) =>
  [...Buffer.from(text, 'utf8')].map((byte) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

const pathArb = fc.record({
  route: fc.constantFrom(...ROUTES),
  id: fc.oneof({ weight: 2, arbitrary: validId }, { weight: 3, arbitrary: hostileText.map(percentEncode) }, {
    weight: 1,
    arbitrary: fc.constantFrom('..', '.', '%2e%2e', 'a/b', 'a%2Fb', '%', '%zz', 'a;b', 'a?b'),
  }),
  suffix: fc.constantFrom('', '', '', '/', '//', '/extra', '?', '#frag'),
});

const queryArb = fc.dictionary(
  fc.constantFrom('consistency', 'ioMs', 'cpuMs', 'id', 'x', '__proto__'),
  fc.oneof(fc.constantFrom('eventual', 'strong', 'bogus', '5', '99999', '-1', ''), hostileText),
  { maxKeys: 3 },
);

const jsonValue = fc.oneof(
  hostileText,
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, -1, 1.5, 1e300, Number.MAX_SAFE_INTEGER + 2, 'A-1'),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
);
const bodyArb = fc.oneof(
  fc.record(
    { text: jsonValue, name: jsonValue, email: jsonValue, sku: jsonValue, quantity: jsonValue, value: jsonValue, expectedVersion: jsonValue, admin: jsonValue },
    { requiredKeys: [] },
  ).map((object) => JSON.stringify(object)),
  fc.constantFrom('null', '[]', '"text"', '{', '{"text":"a\\u0000b"}', '{"name":"n","email":"a@b"}', '{"sku":"A-1","quantity":2}', '{"value":"v"}', ''),
  fc.string({ maxLength: 200 }),
);

const headerValue = fc.oneof(hostileText, fc.constantFrom('')).map((text) => text.replace(/[\r\n\u0000-\u001f\u007f-\uffff]/g, '')); // framing-safe
const headersArb = fc.record({
  contentType: fc.oneof(
    { weight: 4, arbitrary: fc.constant('application/json') },
    { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'text/plain', 'application/xml', '', 'application/json;;', 'APPLICATION/JSON') },
  ),
  sid: fc.option(fc.oneof(headerValue, fc.stringMatching(/^[A-Za-z0-9_-]{22}$/)), { nil: undefined }),
  rwLsn: fc.option(fc.oneof(headerValue, fc.constantFrom('0/0', 'FFFFFFFF/FFFFFFFF', '16/B374D848', '1/')), { nil: undefined }),
  requestId: fc.option(headerValue, { nil: undefined }),
  host: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('app.example', 'app.example:8080') },
    { weight: 1, arbitrary: fc.constantFrom('app.example/path', 'user@app.example', '', '[::1]', 'app.example:99999', 'a b') },
  ),
  extra: fc.option(fc.tuple(fc.constantFrom('x-forwarded-for', 'origin', 'accept', 'x-amzn-trace-id', 'range'), headerValue), { nil: undefined }),
});

const requestArb = fc.record({
  method: fc.constantFrom('GET', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
  path: pathArb,
  query: queryArb,
  headers: headersArb,
  body: fc.option(bodyArb, { nil: undefined }),
});
type HostileRequest = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

function pathOf(request: HostileRequest): string {
  const base = request.path.route.replace('{id}', request.path.id) + request.path.suffix;
  const query = Object.entries(request.query).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
  return query === '' ? base : `${base}${base.includes('?') ? '&' : '?'}${query}`;
}

function cookieOf(request: HostileRequest): string | undefined {
  const parts = [request.headers.sid === undefined ? undefined : `sid=${request.headers.sid}`, request.headers.rwLsn === undefined ? undefined : `rw_lsn=${request.headers.rwLsn}`];
  const cookie = parts.filter((part) => part !== undefined).join('; ');
  return cookie === '' ? undefined : cookie;
}

function rawBytes(request: HostileRequest): Buffer {
  const body = Buffer.from(request.body ?? '', 'utf8');
  const lines = [`${request.method} ${pathOf(request)} HTTP/1.1`];
  if (request.headers.host !== '') lines.push(`host: ${request.headers.host}`);
  if (request.headers.contentType !== '') lines.push(`content-type: ${request.headers.contentType}`);
  const cookie = cookieOf(request);
  if (cookie !== undefined) lines.push(`cookie: ${cookie}`);
  if (request.headers.requestId !== undefined) lines.push(`x-request-id: ${request.headers.requestId}`);
  if (request.headers.extra !== undefined) lines.push(`${request.headers.extra[0]}: ${request.headers.extra[1]}`);
  if (request.body !== undefined) lines.push(`content-length: ${body.length}`);
  lines.push('connection: close', '', '');
  return Buffer.concat([Buffer.from(lines.join('\r\n'), 'utf8'), body]);
}

interface Verdict {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
  readonly elapsedMs: number;
}

/** Every rule of the contract; returns the broken ones (empty when the answer holds). */
function brokenRules(answer: Verdict, stack: HostileStack, outage: boolean, isHead: boolean): string[] {
  const broken: string[] = [];
  if (answer.status === 0) broken.push('no HTTP answer');
  if (answer.status >= 500 && !(answer.status === 503 && outage)) broken.push(`status ${answer.status}`);
  if (answer.elapsedMs > MAX_ANSWER_MS) broken.push(`answered in ${Math.round(answer.elapsedMs)} ms`);
  const leak = leakIn(answer.body, stack, answer.status >= 400);
  if (leak !== undefined) broken.push(`leaks ${leak}`);
  if (answer.status >= 400 && !isHead) {
    try {
      const body = JSON.parse(answer.body) as Record<string, unknown>;
      if (typeof body.error !== 'string' || typeof body.message !== 'string' || typeof body.requestId !== 'string') broken.push('not the error shape');
      else if (answer.headers['x-request-id'] !== body.requestId) broken.push('requestId differs from x-request-id');
    } catch {
      broken.push('4xx body is not JSON');
    }
  }
  return broken;
}

describe('fuzz: hostile requests against the container server and the Lambda entry', () => {
  let stack: HostileStack;
  let container: ContainerApp;
  const counts = { container: 0, lambda: 0, statuses: new Map<number, number>() };
  const started = performance.now();

  const savedCredentials = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

  beforeAll(async () => {
    stack = await startHostileStack(2);
    // The SDK reads credentials from the process environment (dynalite checks a signature exists).
    process.env.AWS_ACCESS_KEY_ID = stack.env.AWS_ACCESS_KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY = stack.env.AWS_SECRET_ACCESS_KEY;
    container = await buildContainerApp(readRuntimeConfig(stack.env));
    // eslint-disable-next-line no-console
    console.log(`fuzz seed ${SEED}, ${RUNS} runs per property (FUZZ_SEED / FUZZ_RUNS to change)`);
  }, 90_000);

  afterAll(async () => {
    for (const [name, value] of [['AWS_ACCESS_KEY_ID', savedCredentials.id], ['AWS_SECRET_ACCESS_KEY', savedCredentials.secret]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await container?.clients.close();
    await stack?.stop();
    const statuses = [...counts.statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`).join(' ');
    // eslint-disable-next-line no-console
    console.log(`fuzz: ${counts.container} raw requests to instances, ${counts.lambda} ALB events; statuses ${statuses}; ${Math.round(performance.now() - started)} ms`);
  });

  const sendRaw = async (request: HostileRequest, outage: boolean): Promise<string[]> => {
    const app = stack.apps[counts.container % stack.apps.length];
    counts.container += 1;
    const answer: RawResponse = await rawRequest(app.port, rawBytes(request), MAX_ANSWER_MS + 1000);
    counts.statuses.set(answer.status, (counts.statuses.get(answer.status) ?? 0) + 1);
    return brokenRules(answer, stack, outage, request.method === 'HEAD');
  };

  const property = (outage: boolean) =>
    fc.asyncProperty(requestArb, async (request) => {
      const broken = await sendRaw(request, outage);
      if (broken.length > 0) throw new Error(`${broken.join('; ')} for ${JSON.stringify(rawBytes(request).toString('utf8').slice(0, 400))}`);
    });

  it('keeps the contract on every route, engines healthy', async () => {
    await fc.assert(property(false), { seed: SEED, numRuns: RUNS, endOnFailure: true });
  }, 120_000);

  it('keeps the contract while Redis is down (503 allowed), and the instances stay alive', async () => {
    await stack.redis.kill();
    try {
      await fc.assert(property(true), { seed: SEED + 1, numRuns: Math.ceil(RUNS / 3), endOnFailure: true });
    } finally {
      await stack.redis.restart();
    }
    // Recovery is the fault suite's subject; here the next phase starts only once every client is back.
    await pollUntil(
      async () => (await Promise.all([
        ...stack.apps.map((app) => rawRequest(app.port, 'GET /session HTTP/1.1\r\nhost: app.example\r\nconnection: close\r\n\r\n')),
        container.app.request('/session'),
      ])).every((answer) => answer.status === 200),
      15_000,
      'Redis sessions answering again after the restart',
      200,
    );
    expect(stack.apps.filter((app) => !isAlive(app.pid)).map((app) => app.name)).toEqual([]);
  }, 120_000);

  it('keeps the contract through the Lambda entry with generated ALB events', async () => {
    const handler = lambdaHandler(() => container.app);
    await fc.assert(
      fc.asyncProperty(requestArb, async (request) => {
        counts.lambda += 1;
        const started = performance.now();
        const queryEntries = Object.entries(request.query);
        const cookie = cookieOf(request);
        const event = albEvent({
          method: request.method,
          path: `/lambda${request.path.route.replace('{id}', request.path.id)}${request.path.suffix.replace(/[?#].*$/, '')}`,
          headers: {
            ...(request.headers.host === '' ? {} : { host: request.headers.host }),
            ...(request.headers.contentType === '' ? {} : { 'content-type': request.headers.contentType }),
            ...(cookie === undefined ? {} : { cookie }),
            ...(request.headers.requestId === undefined ? {} : { 'x-request-id': request.headers.requestId }),
          },
          query: Object.fromEntries(queryEntries.map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('utf8')])), // well-formed for the fixture's encoder
          body: request.body,
        });
        const result = (await handler(event, lambdaContext())) as ALBResult;
        const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
        const broken = brokenRules(
          { status: result.statusCode, headers, body: result.body ?? '', elapsedMs: performance.now() - started },
          stack,
          false,
          request.method === 'HEAD',
        );
        if (broken.length > 0) throw new Error(`${broken.join('; ')} for ${JSON.stringify(event).slice(0, 600)}`);
      }),
      { seed: SEED + 2, numRuns: RUNS, endOnFailure: true },
    );
  }, 120_000);
});
