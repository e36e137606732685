/**
 * Bundling of every Lambda handler under `lambdas/handlers/` in ONE esbuild run per synth,
 * instead of one `npx esbuild` process per function as `NodejsFunction` does. This is the one place
 * that says how handlers are bundled: `PatternFunction` is a plain `lambda.Function` whose code is
 * its handler's folder of this build (`handlerCode` in handler-bundles.ts), so there are no
 * `NodejsFunction` bundling props that could be set and silently ignored. To change the bundle,
 * change `HANDLER_BUNDLING` or `esbuildOptions` here; the benchmarks build with the same settings.
 *
 * Why (measured by `npm run bench -- --only synth`, see BENCHMARKS.md): `NodejsFunction` spawned
 * `npx --no-install esbuild` for each of the 8 functions (~0.45 s of npx start-up each) and parsed
 * the AWS SDK again for each: 5.8 s of a 9.7 s synth. One in-process build with every handler as
 * an entry point shares the parsing across entries. (Starting that build in a child process early,
 * to overlap it with loading aws-cdk-lib, was measured too: no gain on 2 cores, so not kept.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BuildOptions } from 'esbuild';
import { DEPLOYED_NODE_TARGET } from '../../lambdas/config/node-version';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const HANDLERS_DIR = path.join(REPO_ROOT, 'lambdas', 'handlers');

/** The bundling settings of the handlers (named as in `NodejsFunction`'s `BundlingOptions`, which they replace). */
export interface HandlerBundlingSettings {
  readonly minify: boolean;
  readonly sourceMap: boolean;
  /** Embed the original sources in the source map. @default true */
  readonly sourcesContent?: boolean;
  readonly target: string;
  readonly externalModules: readonly string[];
  readonly mainFields: readonly string[];
}

/**
 * Bundling of every Lambda handler: local esbuild (never Docker), minified, source maps, AWS SDK v3
 * bundled and tree-shaken (so cold start does not depend on the runtime's SDK copy). The benchmarks
 * build with the same settings, through `esbuildOptions`.
 */
export const HANDLER_BUNDLING = {
  minify: true,
  sourceMap: true,
  // Stack traces need the mappings, not the sources: without them the map is a third of the size
  // and parsing it (NODE_OPTIONS=--enable-source-maps) costs less cold start.
  sourcesContent: false,
  target: DEPLOYED_NODE_TARGET,
  externalModules: ['pg-native'],
  // Prefer ES module builds: the AWS SDK's CommonJS build cannot be tree-shaken (691 KB vs 435 KB for the RDS client).
  mainFields: ['module', 'main'],
} as const satisfies HandlerBundlingSettings;

/**
 * The esbuild options of these settings (CommonJS, platform node, AWS SDK bundled: what
 * `NodejsFunction` would derive from the same `BundlingOptions`).
 *
 * @example
 * esbuild.buildSync({ ...esbuildOptions(HANDLER_BUNDLING), entryPoints: [entry], outfile: 'out/index.js' });
 */
export function esbuildOptions(settings: HandlerBundlingSettings): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: settings.target,
    minify: settings.minify,
    sourcemap: settings.sourceMap,
    sourcesContent: settings.sourcesContent ?? true,
    external: [...settings.externalModules],
    mainFields: [...settings.mainFields],
    logLevel: 'warning',
  };
}

/** Every handler file name (without `.ts`) in `handlersDir`, sorted. */
export function handlerFiles(handlersDir: string): string[] {
  return fs
    .readdirSync(handlersDir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
}

/**
 * Options of the one build: `<name>/index` entry names, so that each handler gets `index.js` (+
 * `index.js.map`), as Lambda's `index.handler` expects. The output folder is inside the assembly
 * folder, like NodejsFunction's bundling folders, so source map paths do not depend on where the
 * repository is.
 */
function buildOptions(handlersDir: string, outdir: string, settings: HandlerBundlingSettings): BuildOptions {
  return {
    ...esbuildOptions(settings),
    entryPoints: Object.fromEntries(handlerFiles(handlersDir).map((name) => [`${name}/index`, path.join(handlersDir, `${name}.ts`)])),
    outdir,
  };
}

/**
 * Builds every handler in `handlersDir` into `outdir` in one esbuild run (whatever `outdir` held
 * before is removed first): `<outdir>/<handler>/index.js` + `index.js.map`.
 *
 * @example
 * buildHandlers(HANDLERS_DIR, 'cdk.out/handler-bundles', HANDLER_BUNDLING);
 */
export function buildHandlers(handlersDir: string, outdir: string, settings: HandlerBundlingSettings): void {
  // Loaded here: apps and tests that never build never load esbuild.
  const esbuild = require('esbuild') as typeof import('esbuild');
  fs.rmSync(outdir, { recursive: true, force: true });
  try {
    esbuild.buildSync(buildOptions(handlersDir, outdir, settings));
  } finally {
    // One build per synth: end esbuild's service now rather than hold its memory through the rest of synth.
    esbuild.stop();
  }
}
