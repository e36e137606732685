/**
 * The context `cdk synth` reads from the repository: `cdk.json`'s `context` (the defaults) and
 * `cdk.context.json` (the cached lookups, such as Availability Zone names), in that order. Tools that
 * build the app outside the CDK CLI (the cost, impact and bootstrap-command scripts, the tests) start
 * from it, so they see what synth sees.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

function readJson(file: string): Record<string, unknown> {
  const full = path.join(REPOSITORY_ROOT, file);
  return fs.existsSync(full) ? (JSON.parse(fs.readFileSync(full, 'utf8')) as Record<string, unknown>) : {};
}

/** `cdk.json` context overlaid with `cdk.context.json`, as the CLI merges them. */
export function repositoryContext(): Record<string, unknown> {
  const cdkJson = readJson('cdk.json') as { context?: Record<string, unknown> };
  return { ...(cdkJson.context ?? {}), ...readJson('cdk.context.json') };
}

/** A `-c` argument that is not `key=value`. */
export class ContextPairError extends Error {}

/**
 * `-c key=value` arguments as the CDK CLI reads them (the first `=` splits), as context overrides.
 *
 * @example
 * contextPairs(['sticky=app', 'stickyCookieName=a=b']); // { sticky: 'app', stickyCookieName: 'a=b' }
 */
export function contextPairs(pairs: readonly string[]): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new ContextPairError(`-c ${pair}: expected key=value`);
    overrides[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return overrides;
}
