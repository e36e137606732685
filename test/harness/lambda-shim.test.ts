/**
 * The local Lambda tier runs the deployed bundles through the ALB event shape the stack's target
 * groups produce. Today they do not enable `lambda.multi_value_headers.enabled`, and in that
 * shape Hono's ALB adapter keeps only the first of two `Set-Cookie` lines: these tests show the loss
 * with a handler that sends two, and keep every session route of the app at one cookie per response.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENV } from '../../lambdas/config/env-names';
import { prepareLambdaBundles, type LambdaFunctionBundle } from '../../harness/lambda-bundles';
import { startLambdaShim, type LambdaShim } from '../../harness/lambda-shim';

jest.setTimeout(60_000);

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const TWO_COOKIES = { name: 'TwoCookies', pathPatterns: ['/lambda/two-cookies'], bundle: path.join(__dirname, 'fixtures', 'two-cookies-handler.cjs') };
const BASE_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', [ENV.tier]: 'lambda' };

const shims: LambdaShim[] = [];
async function shim(options: Parameters<typeof startLambdaShim>[0]): Promise<LambdaShim> {
  const started = await startLambdaShim(options);
  shims.push(started);
  return started;
}
afterAll(async () => {
  await Promise.all(shims.map((s) => s.stop()));
});

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('the ALB event shape of the local Lambda tier', () => {
  it('is the deployed one: no target group of the stack enables multi-value headers', () => {
    // If lib/ ever sets the attribute, the shim's default (single-value) must follow, and the
    // one-cookie rule below may go.
    const setting = sources(path.join(REPO_ROOT, 'lib')).filter((file) => fs.readFileSync(file, 'utf8').includes('multi_value_headers'));
    expect(setting).toEqual([]);
  });

  it('drops the second Set-Cookie line in the single-value shape, and keeps both in the multi-value shape', async () => {
    const single = await shim({ functions: [TWO_COOKIES], env: BASE_ENV });
    const multi = await shim({ functions: [TWO_COOKIES], env: BASE_ENV, multiValueHeaders: true });

    const [singleResponse, multiResponse] = await Promise.all([fetch(`${single.url}/lambda/two-cookies`), fetch(`${multi.url}/lambda/two-cookies`)]);

    expect(singleResponse.status).toBe(200);
    expect(singleResponse.headers.getSetCookie()).toEqual(['first=1; Path=/']);
    expect(multiResponse.headers.getSetCookie()).toEqual(['first=1; Path=/', 'second=2; Path=/']);
  });
});

describe('execution environments of the local Lambda tier', () => {
  it('serve one invocation at a time: a concurrent request cold-starts a new environment, an idle one is reused', async () => {
    const slow = { name: 'Slow', pathPatterns: ['/lambda/slow'], bundle: path.join(__dirname, 'fixtures', 'slow-handler.cjs') };
    const lambda = await shim({ functions: [slow], env: BASE_ENV, instanceName: 'lambda-7' });
    type Answer = { loadedAs: string; invocations: number; instance: string };
    const call = async () => (await (await fetch(`${lambda.url}/lambda/slow`)).json()) as Answer;

    const concurrent = await Promise.all([call(), call()]);
    const later = [await call(), await call()];

    expect(new Set(concurrent.map((a) => a.loadedAs)).size).toBe(2);
    expect(concurrent.map((a) => a.instance).sort()).toEqual(['lambda-7', 'lambda-7.2']);
    expect(later.every((a) => concurrent.some((c) => c.loadedAs === a.loadedAs))).toBe(true);
    expect(lambda.counts()).toEqual({ Slow: { coldStarts: 2, environments: 2 } });
  });

  it('answers 502 when the handler fails, as the ALB does, and 404 for a path no function serves', async () => {
    const broken = { name: 'Broken', pathPatterns: ['/lambda/broken/*'], bundle: path.join(__dirname, 'fixtures', 'no-such-bundle.cjs') };
    const lambda = await shim({ functions: [broken], env: BASE_ENV });

    expect((await fetch(`${lambda.url}/lambda/broken/x`)).status).toBe(502);
    expect((await fetch(`${lambda.url}/lambda/other`)).status).toBe(404);
    expect((await fetch(`${lambda.url}/healthz`)).status).toBe(200);
  });
});

describe('the session routes on the local Lambda tier', () => {
  let functions: LambdaFunctionBundle[];

  beforeAll(async () => {
    functions = await prepareLambdaBundles();
  }, 60_000);

  // Memory and signed-cookie sessions need no engine; Redis sessions set the same one cookie.
  it.each(['memory', 'cookie'] as const)('send at most one Set-Cookie per response (%s sessions), in the shape that would keep a second', async (store) => {
    // The multi-value shape, so that a second cookie the app sent would arrive and fail the test.
    const lambda = await shim({
      functions,
      env: { ...BASE_ENV, [ENV.sessionStore]: store, [ENV.sessionSigningKey]: 'k'.repeat(48), [ENV.forwardedProtoHeader]: 'x-forwarded-proto' },
      multiValueHeaders: true,
    });
    let cookie = '';
    const counts: Record<string, number> = {};
    const send = async (method: string, route: string, body?: unknown) => {
      const response = await fetch(`${lambda.url}/lambda${route}`, {
        method,
        headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(response.status).toBeLessThan(400);
      const set = response.headers.getSetCookie();
      counts[`${method} ${route}`] = Math.max(counts[`${method} ${route}`] ?? 0, set.length);
      if (set.length > 0) cookie = set[0].split(';')[0];
    };

    await send('GET', '/session');
    await send('POST', '/session/cart', { sku: 'A-1', quantity: 2 });
    await send('GET', '/session');
    await send('DELETE', '/session');
    await send('GET', '/whoami');
    await send('GET', '/');

    expect(counts['GET /session']).toBe(1);
    expect(Object.entries(counts).filter(([, n]) => n > 1)).toEqual([]);
  });
});
