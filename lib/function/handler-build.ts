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
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BuildOptions, Metafile } from 'esbuild';
import { DEPLOYED_NODE_TARGET } from '../../lambdas/config/node-version';
import { bundleConsoleScript, CONSOLE_SCRIPT_DEFINE } from '../../lambdas/console/console-bundle';

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
 * `NodejsFunction` would derive from the same `BundlingOptions`), and the console's browser script,
 * bundled now and built in as a string (lambdas/console/console-bundle.ts), so that no handler
 * bundles it at run time; being part of the options, it is part of the build cache's key too.
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
    define: { [CONSOLE_SCRIPT_DEFINE]: JSON.stringify(bundleConsoleScript(REPO_ROOT)) },
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

/** Where finished builds are kept between synths (ignored by git with node_modules). */
export const HANDLER_BUILD_CACHE = path.join(REPO_ROOT, 'node_modules', '.cache', 'patterns-handler-build');
/** Set to `off` to build every time. */
export const HANDLER_BUILD_CACHE_ENV = 'PATTERNS_HANDLER_BUILD_CACHE';

/** What a finished build read: every input file esbuild reported, plus the files that steer resolution, each with its size and mtime. */
type InputStamps = Record<string, readonly [size: number, mtimeMs: number]>;

function stampsOf(files: readonly string[]): InputStamps | undefined {
  const stamps: InputStamps = {};
  for (const file of files) {
    try {
      const stat = fs.statSync(file);
      stamps[file] = [stat.size, stat.mtimeMs];
    } catch {
      return undefined;
    }
  }
  return stamps;
}

const sameStamps = (a: InputStamps, b: InputStamps | undefined) =>
  b !== undefined && Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([file, [size, mtime]]) => b[file]?.[0] === size && b[file]?.[1] === mtime);

/**
 * The cache entry of one build: the settings, esbuild's version, the handler files and where the
 * output sits relative to the sources (source maps hold relative paths), hashed.
 */
function cacheEntry(options: BuildOptions, outdir: string): string {
  const version = (require('esbuild/package.json') as { version: string }).version;
  const key = JSON.stringify({ options: { ...options, outdir: undefined }, version, relative: path.relative(outdir, process.cwd()) });
  return path.join(HANDLER_BUILD_CACHE, createHash('sha256').update(key).digest('hex').slice(0, 32));
}

/**
 * Builds every handler in `handlersDir` into `outdir` in one esbuild run (whatever `outdir` held
 * before is removed first): `<outdir>/<handler>/index.js` + `index.js.map`.
 *
 * A build whose inputs have not changed since the last one (same settings, same handler files,
 * every file esbuild read with the same size and mtime, and the same tsconfig.json and
 * package-lock.json) is copied from `HANDLER_BUILD_CACHE` instead of rebuilt: the output is that
 * build's, byte for byte. `PATTERNS_HANDLER_BUILD_CACHE=off` always builds.
 *
 * @example
 * buildHandlers(HANDLERS_DIR, 'cdk.out/handler-bundles', HANDLER_BUNDLING);
 */
export function buildHandlers(handlersDir: string, outdir: string, settings: HandlerBundlingSettings): void {
  const options = buildOptions(handlersDir, outdir, settings);
  const useCache = process.env[HANDLER_BUILD_CACHE_ENV] !== 'off';
  const entry = cacheEntry(options, outdir);
  const steering = [path.join(REPO_ROOT, 'tsconfig.json'), path.join(REPO_ROOT, 'package-lock.json')];
  fs.rmSync(outdir, { recursive: true, force: true });
  if (useCache) {
    try {
      const recorded = JSON.parse(fs.readFileSync(path.join(entry, 'inputs.json'), 'utf8')) as InputStamps;
      if (sameStamps(recorded, stampsOf(Object.keys(recorded)))) {
        fs.cpSync(path.join(entry, 'out'), outdir, { recursive: true });
        return;
      }
    } catch {
      // No entry yet, or an unreadable one: build.
    }
  }
  // Loaded here: apps and tests that never build never load esbuild.
  const esbuild = require('esbuild') as typeof import('esbuild');
  let metafile: Metafile | undefined;
  try {
    metafile = esbuild.buildSync({ ...options, metafile: useCache }).metafile;
  } finally {
    // One build per synth: end esbuild's service now rather than hold its memory through the rest of synth.
    esbuild.stop();
  }
  if (metafile === undefined) return;
  const stamps = stampsOf([...Object.keys(metafile.inputs).map((input) => path.resolve(input)), ...steering]);
  if (stamps === undefined) return;
  // Staged, then renamed: a synth that stops half-way, or a parallel one, never leaves half an entry.
  const staging = `${entry}.${process.pid}.tmp`;
  try {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.cpSync(outdir, path.join(staging, 'out'), { recursive: true });
    fs.writeFileSync(path.join(staging, 'inputs.json'), JSON.stringify(stamps));
    fs.rmSync(entry, { recursive: true, force: true });
    fs.renameSync(staging, entry);
  } catch {
    // The cache is an optimization: a read-only node_modules only means the next synth builds again.
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
