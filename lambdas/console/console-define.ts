/**
 * Prints the esbuild argument that carries the console's bundled script into a build
 * (`--define:PATTERNS_CONSOLE_JS=<the script as a JSON string>`). The Dockerfile passes it to
 * `npm run build:server`, so the image's server has the script built in (see console-bundle.ts).
 *
 * Run: `npx tsx lambdas/console/console-define.ts` from the repository root.
 */
import * as path from 'node:path';
import { bundleConsoleScript, CONSOLE_SCRIPT_DEFINE } from './console-bundle';

/** The `--define` argument of esbuild's CLI for this script text. */
export function consoleDefineArg(script: string): string {
  return `--define:${CONSOLE_SCRIPT_DEFINE}=${JSON.stringify(script)}`;
}

if (require.main === module) process.stdout.write(consoleDefineArg(bundleConsoleScript(path.resolve(__dirname, '..', '..'))));
