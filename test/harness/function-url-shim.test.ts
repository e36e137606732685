/**
 * The regional multi-master writers run locally as on AWS: the deployed bundle behind a Function
 * URL, i.e. the shim in `functionUrl` mode (payload format 2.0 events, every path to the one function).
 */
import * as path from 'node:path';
import { ENV } from '../../lambdas/config/env-names';
import { prepareMultiMasterBundle } from '../../harness/lambda-bundles';
import { startLambdaShim, type LambdaShim } from '../../harness/lambda-shim';
import { startDynamoRegions, type DynamoRegions } from '../../harness/dynamo-regions';
import { multiMasterRegionEnv } from '../../harness/local-engines';
import { createGlobalTable } from '../../harness/multi-master-setup';

jest.setTimeout(90_000);

const BASE_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', [ENV.tier]: 'lambda' };
const ECHO = { name: 'Echo', pathPatterns: ['/*'], bundle: path.join(__dirname, 'fixtures', 'echo-url-handler.cjs') };

const shims: LambdaShim[] = [];
let dynamo: DynamoRegions | undefined;
afterAll(async () => {
  await Promise.all(shims.map((s) => s.stop()));
  await dynamo?.stop();
});

describe('the Function URL shape of the local shim', () => {
  it('hands the function method, path, query, body and cookies intact, in a version 2.0 event, and returns every Set-Cookie', async () => {
    const shim = await startLambdaShim({ functions: [ECHO], env: BASE_ENV, mode: 'functionUrl' });
    shims.push(shim);

    const response = await fetch(`${shim.url}/items/a%20b?x=1&x=2&y=%C3%A9`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'sid=abc; theme=dark' },
      body: '{"value":"v"}',
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ method: 'POST', path: '/items/a%20b', query: '?x=1&x=2&y=%C3%A9', body: '{"value":"v"}', cookie: 'sid=abc; theme=dark' });
    expect(response.headers.getSetCookie()).toEqual(['first=1; Path=/', 'second=2; Path=/']);
    expect(JSON.parse(response.headers.get('x-event') ?? '{}')).toMatchObject({
      version: '2.0',
      rawPath: '/items/a%20b',
      rawQueryString: 'x=1&x=2&y=%C3%A9',
      cookies: ['sid=abc', 'theme=dark'],
      isBase64Encoded: false,
      http: { method: 'POST', path: '/items/a%20b', sourceIp: '127.0.0.1' },
    });
    // Every path goes to the one function; the shim's own liveness invokes nothing.
    expect((await fetch(`${shim.url}/anything/else`)).status).toBe(200);
    expect(await (await fetch(`${shim.url}/healthz`)).text()).toBe('lambda shim up');
  });

  it('refuses more than one function: a Function URL invokes one', async () => {
    await expect(startLambdaShim({ functions: [ECHO, ECHO], env: BASE_ENV, mode: 'functionUrl' })).rejects.toThrow('a Function URL invokes one function, got 2');
  });
});

describe('the regional multi-master writer on the local Function URL', () => {
  it('runs the deployed bundle: a PUT then a GET of an item in its Region of dynalite', async () => {
    const region = 'us-east-1';
    const tableName = 'patterns-function-url';
    const [started, multiMaster] = await Promise.all([startDynamoRegions([region]), prepareMultiMasterBundle()]);
    dynamo = started;
    await createGlobalTable(dynamo.endpoints, tableName);
    const writer = await startLambdaShim({
      functions: [multiMaster],
      mode: 'functionUrl',
      instanceName: `writer-${region}-1`,
      env: {
        ...BASE_ENV,
        ...multiMasterRegionEnv(region, tableName, dynamo.endpoints[region]),
      },
    });
    shims.push(writer);

    const put = await fetch(`${writer.url}/items/alpha`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value: 'v1' }) });
    expect(put.status).toBe(201);
    const read = await fetch(`${writer.url}/items/alpha`);

    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ item: { value: 'v1', version: 1 } });
    expect(writer.counts()).toEqual({ MultiMaster: { coldStarts: 1, environments: 1 } });
  });
});
