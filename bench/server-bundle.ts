/**
 * Builds a server entry the way production builds the container server: the esbuild flags of
 * `npm run build:server` (read from package.json, so the benchmark follows the Dockerfile's build
 * instead of keeping its own copy), with another entry and output file.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

export const BUILD_SERVER_SCRIPT = 'build:server';

/**
 * The esbuild arguments of a `build:server` script line, for `entry` into `outfile`: the script's
 * own entry and `--outfile` replaced, every other flag kept in order.
 *
 * @example
 * serverBuildArgs('esbuild lambdas/server/x.ts --bundle --minify --outfile=dist/x.js', 'a.ts', '/tmp/a.js');
 * // ['a.ts', '--bundle', '--minify', '--outfile=/tmp/a.js']
 */
export function serverBuildArgs(script: string, entry: string, outfile: string): string[] {
  const [command, ...args] = script.trim().split(/\s+/);
  if (command !== 'esbuild') throw new Error(`${BUILD_SERVER_SCRIPT}: expected an esbuild command, got ${JSON.stringify(script)}`);
  const flags = args.filter((a) => a.startsWith('-') && !a.startsWith('--outfile'));
  const entries = args.filter((a) => !a.startsWith('-'));
  if (entries.length !== 1) throw new Error(`${BUILD_SERVER_SCRIPT}: expected one entry point, got ${entries.length === 0 ? 'none' : entries.join(', ')}`);
  return [entry, ...flags, `--outfile=${outfile}`];
}

/** Bundles `entry` into `<outDir>/<name>.js` with production's flags; returns the file. */
export async function buildLikeServer(repoRoot: string, entry: string, outDir: string): Promise<string> {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const script = pkg.scripts[BUILD_SERVER_SCRIPT];
  if (script === undefined) throw new Error(`package.json has no ${BUILD_SERVER_SCRIPT} script`);
  const outfile = path.join(outDir, `${path.basename(entry, '.ts')}.js`);
  await promisify(execFile)(path.join(repoRoot, 'node_modules', '.bin', 'esbuild'), serverBuildArgs(script, entry, outfile), { cwd: repoRoot });
  return outfile;
}
