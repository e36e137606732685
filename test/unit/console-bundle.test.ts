/**
 * The console's script is the esbuild bundle of lambdas/console/browser/ (TypeScript, type-checked
 * with DOM types by `npm run typecheck`): what the app serves is that bundle, and a build that
 * defines the script (the Lambda build, the image's server build) serves the defined text without
 * bundling at run time. test/infra/handler-bundle.test.ts checks the real Lambda build.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { systemClock } from '../../lambdas/core/clock';
import { InstanceIdentity } from '../../lambdas/core/reverse-proxy-identity';
import { createPatternApp } from '../../lambdas/http/app';
import { consoleRoutes } from '../../lambdas/http/console-routes';
import { bundleConsoleScript, CONSOLE_BROWSER_ENTRY, CONSOLE_BUNDLE_ARGS, CONSOLE_SCRIPT_DEFINE } from '../../lambdas/console/console-bundle';
import { consoleDefineArg } from '../../lambdas/console/console-define';
import type { PlaygroundStateView } from '../../lambdas/console/browser/api-types';
import type { PlaygroundState } from '../../harness/playground-state';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const identity = new InstanceIdentity({ instanceId: 'test-1', tier: 'local', region: 'eu-west-1' }, systemClock);

// Compile-time check (npm run typecheck): the harness's control state still has what the console reads.
const stateFits = (state: PlaygroundState): PlaygroundStateView => state;
void stateFits;

describe('console bundle', () => {
  it('serves at console/app.js the bundle of lambdas/console/browser, built from the sources once per process', async () => {
    // Prepare
    const app = createPatternApp(identity, [consoleRoutes()]);

    // Act
    const first = await (await app.request('/console/app.js')).text();
    const second = await (await app.request('/console/app.js')).text();

    // Assess
    expect(first).toBe(bundleConsoleScript(REPO_ROOT));
    expect(second).toBe(first);
    // Each former script is in the one bundle: the panels, the diagram, the controls.
    for (const excerpt of ['whoami', 'diagram-svg', '/_playground/']) expect(first).toContain(excerpt);
    expect(() => new Function(first)).not.toThrow();
  });

  it('bundles for the browser: one classic script, no module syntax, no Node import', () => {
    const script = bundleConsoleScript(REPO_ROOT);
    expect(CONSOLE_BUNDLE_ARGS).toEqual(expect.arrayContaining(['--bundle', '--format=iife', '--platform=browser']));
    expect(script).not.toMatch(/\brequire\(|\bimport\s*[{(*"']|\bexport\s/);
    expect(script).not.toContain('process.env');
  });

  it('type-checks the browser code with DOM types as part of npm run typecheck', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const browserConfig = path.dirname(CONSOLE_BROWSER_ENTRY);
    expect(pkg.scripts.typecheck).toContain(`tsc --noEmit -p ${browserConfig}`);
    expect(fs.readFileSync(path.join(REPO_ROOT, browserConfig, 'tsconfig.json'), 'utf8')).toMatch(/"lib": \[[^\]]*"DOM"/);
  });

  it('serves the text a build defined, without bundling at run time', () => {
    // Prepare: an entry that prints the served script, bundled with the define as the image's build does.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-define-'));
    try {
      const entry = path.join(dir, 'entry.ts');
      fs.writeFileSync(entry, `import { consoleScript } from ${JSON.stringify(path.join(REPO_ROOT, 'lambdas', 'console', 'console-bundle'))};\nprocess.stdout.write(consoleScript());\n`);
      const outfile = path.join(dir, 'out.js');
      execFileSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'esbuild'), [entry, '--bundle', '--platform=node', '--minify', '--log-level=warning', consoleDefineArg('/* defined */ 1;'), `--outfile=${outfile}`]);

      // Act: run it from a folder without the sources, where bundling at run time would fail.
      const served = execFileSync(process.execPath, [outfile], { cwd: dir, encoding: 'utf8' });

      // Assess
      expect(served).toBe('/* defined */ 1;');
      expect(fs.readFileSync(outfile, 'utf8')).not.toContain('execFileSync');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the define argument within the 128 KiB a single command-line argument may have on Linux', () => {
    const arg = consoleDefineArg(bundleConsoleScript(REPO_ROOT));
    expect(arg.startsWith(`--define:${CONSOLE_SCRIPT_DEFINE}="`)).toBe(true);
    expect(Buffer.byteLength(arg)).toBeLessThan(100 * 1024);
  });
});
