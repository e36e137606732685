/**
 * Runs the real handler build (esbuild, in process) through `PatternFunction`, then loads the
 * bundle CDK staged for one handler and invokes it: proof that what synth packages is what runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { ALBResult } from 'aws-lambda';
import { bundleConsoleScript } from '../../lambdas/console/console-bundle';
import { PatternFunction } from '../../lib/function/pattern-function';
import { albEvent, lambdaContext } from '../../toolkit/alb-event';

type Handler = (event: unknown, context: unknown) => Promise<ALBResult>;

/** The staged asset folder of each Lambda function in `stack`, by logical id. */
function assetDirs(app: App, stack: Stack): Map<string, string> {
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  return new Map(
    Object.entries(functions).map(([id, resource]) => {
      const key = (resource as { Properties: { Code: { S3Key: string } } }).Properties.Code.S3Key;
      return [id, path.join(app.outdir, `asset.${key.replace(/\.zip$/, '')}`)];
    }),
  );
}

describe('PatternFunction bundling', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'handler-bundle-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it('builds every handler once and stages the one it deploys as a loadable bundle with a source map', async () => {
    // Prepare
    const app = new App({ outdir });
    const stack = new Stack(app, 'Bundles');
    new PatternFunction(stack, 'Whoami', { handlerFile: 'reverse-proxy-handler', description: 'whoami' });
    new PatternFunction(stack, 'Counter', { handlerFile: 'counters-handler', description: 'counters' });

    // Act
    const dirs = [...assetDirs(app, stack).values()];
    const whoami = dirs.find((dir) => fs.readFileSync(path.join(dir, 'index.js'), 'utf8').includes('whoami'));
    if (whoami === undefined) throw new Error(`no staged whoami bundle among ${dirs.join(', ')}`);
    const { handler } = require(path.join(whoami, 'index.js')) as { handler: Handler };
    const result = await handler(albEvent({ path: '/lambda/whoami' }), lambdaContext());
    const consoleScript = await handler(albEvent({ path: '/lambda/console/app.js' }), lambdaContext());

    // Assess
    expect(dirs).toHaveLength(2);
    expect(new Set(dirs).size).toBe(2);
    for (const dir of dirs) expect(fs.readdirSync(dir).sort()).toEqual(['index.js', 'index.js.map']);
    // One build for the app: every handler is in it, not only the two this stack deploys.
    expect(fs.readdirSync(path.join(outdir, 'handler-bundles')).sort()).toEqual(
      fs.readdirSync(path.join(__dirname, '..', '..', 'lambdas', 'handlers')).map((f) => f.replace(/\.ts$/, '')).sort(),
    );
    const code = fs.readFileSync(path.join(whoami, 'index.js'), 'utf8');
    expect(code).toContain('sourceMappingURL=index.js.map');
    expect(result.statusCode).toBe(200);
    // The console's script is in the bundle, bundled at build time: no run-time bundling left in it.
    expect(consoleScript.body).toBe(bundleConsoleScript(path.resolve(__dirname, '..', '..')));
    expect(code).not.toContain('was not bundled at build time');
  });

  it('skips the build for stacks left out of bundling, as CDK does for its own bundled assets', () => {
    // Prepare
    const app = new App({ outdir: fs.mkdtempSync(path.join(outdir, 'skipped-')), context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Skipped');

    // Act
    new PatternFunction(stack, 'Whoami', { handlerFile: 'reverse-proxy-handler', description: 'whoami' });

    // Assess
    expect(fs.existsSync(path.join(app.outdir, 'handler-bundles'))).toBe(false);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler' });
  });

  it('names the missing source when a handler file does not exist', () => {
    const stack = new Stack(new App({ outdir: fs.mkdtempSync(path.join(outdir, 'missing-')) }), 'Missing');
    expect(() => new PatternFunction(stack, 'Nope', { handlerFile: 'nope-handler', description: 'nope' })).toThrow(
      `No bundle for handler nope-handler: expected ${path.resolve(__dirname, '..', '..', 'lambdas', 'handlers', 'nope-handler.ts')}`,
    );
  });
});
