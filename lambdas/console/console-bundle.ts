/**
 * The console's script (`console/app.js`): the TypeScript under `browser/` (checked with DOM types
 * by `npm run typecheck`, through browser/tsconfig.json), bundled by esbuild into one script for the
 * browser. The one source of truth is `browser/`; this module says how it is bundled and where the
 * text comes from:
 *
 * - Deployed builds bundle it at build time and hand the text to esbuild as the `define` of
 *   `PATTERNS_CONSOLE_JS`, so the Lambda zip and the container image carry the script as a string
 *   literal and never bundle at run time: lib/function/handler-build.ts (the one build of every
 *   handler) and the Dockerfile (`npm run build:server` with the argument console-define.ts prints).
 * - Code that runs from the TypeScript sources (tsx: `npm start`, the lab; ts-jest) or from a bundle
 *   built without that define (the harness's and the benchmarks' app bundles) bundles it once per
 *   process, on the first request for it, with the same esbuild arguments.
 *
 * The esbuild CLI rather than its JS API: the API refuses to run inside jest's VM context.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Replaced by esbuild's `define` in deployed builds; undefined when running from sources. */
declare const PATTERNS_CONSOLE_JS: string | undefined;

/** The name esbuild's `define` gives the bundled script (see above). */
export const CONSOLE_SCRIPT_DEFINE = 'PATTERNS_CONSOLE_JS';

/** The bundle's entry, relative to the repository root. */
export const CONSOLE_BROWSER_ENTRY = path.join('lambdas', 'console', 'browser', 'console-main.ts');

/**
 * The esbuild arguments of the browser bundle: one classic script (an IIFE: the page loads it with
 * `<script src defer>`, no module loader), for the browser platform (a Node import fails the
 * build), minified, no source map (the CSP's `'self'` would allow one; the bundle stays readable
 * enough through its names).
 */
export const CONSOLE_BUNDLE_ARGS: readonly string[] = ['--bundle', '--format=iife', '--platform=browser', '--target=es2022', '--minify', '--log-level=warning'];

/**
 * Bundles the console's script from the sources under `repoRoot` (synchronously: esbuild's CLI
 * writes the bundle to stdout).
 *
 * @example
 * const js = bundleConsoleScript(REPO_ROOT); // what GET /console/app.js serves
 */
export function bundleConsoleScript(repoRoot: string): string {
  const esbuild = path.join(repoRoot, 'node_modules', '.bin', 'esbuild');
  return execFileSync(esbuild, [CONSOLE_BROWSER_ENTRY, ...CONSOLE_BUNDLE_ARGS], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
}

/**
 * Where the sources are when the script was not bundled at build time: beside this file when it
 * runs from sources, else the working directory (the harness starts its app bundles, built outside
 * the repository, from the repository root).
 */
function sourceRoot(): string {
  const candidates = [path.resolve(__dirname, '..', '..'), process.cwd()];
  const root = candidates.find((dir) => fs.existsSync(path.join(dir, CONSOLE_BROWSER_ENTRY)));
  if (root === undefined) {
    throw new Error(`The console's script was not bundled at build time (esbuild define ${CONSOLE_SCRIPT_DEFINE}) and ${CONSOLE_BROWSER_ENTRY} is not under ${candidates.join(' or ')}`);
  }
  return root;
}

let script: string | undefined;

/** The console's script: the build's copy, or bundled from the sources on first use (see above). */
export function consoleScript(): string {
  script ??= typeof PATTERNS_CONSOLE_JS === 'string' ? PATTERNS_CONSOLE_JS : bundleConsoleScript(sourceRoot());
  return script;
}
