import * as path from 'node:path';
import { DEPLOYED_NODE_TARGET } from '../../lambdas/config/node-version';
import { bundleConsoleScript } from '../../lambdas/console/console-bundle';
import { esbuildOptions, HANDLER_BUNDLING, handlerFiles, REPO_ROOT } from '../../lib/function/handler-build';
import { LAMBDA_PATTERNS } from '../../lib/compute/lambda-tier';

describe('handler build', () => {
  it('turns HANDLER_BUNDLING into the esbuild options of the one build (handler-bundle.test.ts runs it)', () => {
    expect(esbuildOptions(HANDLER_BUNDLING)).toEqual({
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: DEPLOYED_NODE_TARGET,
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      external: ['pg-native'],
      mainFields: ['module', 'main'],
      logLevel: 'warning',
      // The console's script, bundled at build time (test/unit/console-bundle.test.ts).
      define: { PATTERNS_CONSOLE_JS: JSON.stringify(bundleConsoleScript(REPO_ROOT)) },
    });
  });

  it('finds every handler the app deploys among the files it bundles', () => {
    // Prepare
    const deployed = [...LAMBDA_PATTERNS.map((p) => p.handlerFile), 'multi-master-handler', 'failover-operations-handler'];

    // Act
    const bundled = handlerFiles(path.join(REPO_ROOT, 'lambdas', 'handlers'));

    // Assess
    expect(bundled).toEqual([...bundled].sort());
    expect(bundled).toEqual(expect.arrayContaining(deployed));
  });

});
