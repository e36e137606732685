/**
 * What a handler bundle is measured against: a bundle whose entry only imports and constructs the
 * AWS SDK clients and drivers that the handler's own code imports. The list is read from esbuild's
 * metafile (which packages the project's files import), not written by hand, so the baseline
 * follows the code. Pure functions, unit-tested in `test/unit/bench-bundle-baseline.test.ts`.
 */

/** The parts of esbuild's `Metafile` these functions read (structurally compatible with it). */
export interface MetafileLike {
  readonly inputs: Readonly<Record<string, { readonly imports: ReadonlyArray<{ readonly path: string; readonly external?: boolean }> }>>;
  readonly outputs: Readonly<Record<string, { readonly bytes: number; readonly inputs: Readonly<Record<string, { readonly bytesInOutput: number }>> }>>;
}

/** Drivers that are not AWS SDK clients; an `@aws-sdk/client-*` package is always a client. */
export const DRIVER_PACKAGES = ['ioredis', 'pg'] as const;

/** Label of the project's own files in per-package byte counts. */
export const PROJECT_FILES = '(project)';

/** The npm package an input path belongs to (the innermost `node_modules/` wins), or undefined for project files. */
export function packageOf(inputPath: string): string | undefined {
  const marker = 'node_modules/';
  const at = inputPath.lastIndexOf(marker);
  if (at < 0) return undefined;
  const [first, second] = inputPath.slice(at + marker.length).split('/');
  if (first === undefined || first === '') return undefined;
  return first.startsWith('@') && second !== undefined ? `${first}/${second}` : first;
}

/** True for an AWS SDK v3 client (`@aws-sdk/client-*`) or a database/cache driver. */
export function isClientPackage(name: string): boolean {
  return name.startsWith('@aws-sdk/client-') || (DRIVER_PACKAGES as readonly string[]).includes(name);
}

/**
 * The clients and drivers the project's files import directly (not those the packages pull in,
 * e.g. the SSO client inside the credential chain), sorted by name.
 *
 * @example
 * clientPackagesImported(metafile); // ['@aws-sdk/client-secrets-manager', 'ioredis']
 */
export function clientPackagesImported(metafile: MetafileLike): string[] {
  const found = new Set<string>();
  for (const [file, input] of Object.entries(metafile.inputs)) {
    if (packageOf(file) !== undefined) continue;
    for (const imported of input.imports) {
      if (imported.external) continue;
      const name = packageOf(imported.path);
      if (name !== undefined && isClientPackage(name)) found.add(name);
    }
  }
  return [...found].sort();
}

/** Bytes of minified output per package (project files under `(project)`), largest first. */
export function bytesByPackage(metafile: MetafileLike): Array<{ readonly name: string; readonly bytes: number }> {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(file) ?? PROJECT_FILES;
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
}

/**
 * The class an `@aws-sdk/client-*` package is constructed through: its one export named `*Client`
 * (the bare command-style client, not the aggregated one, and not the internal `__Client`).
 */
export function sdkClientClassName(packageName: string, exportNames: readonly string[]): string {
  const candidates = exportNames.filter((name) => /^[A-Z][A-Za-z0-9]*Client$/.test(name));
  if (candidates.length !== 1) {
    throw new Error(`${packageName}: expected one export named *Client, found ${candidates.length === 0 ? 'none' : candidates.join(', ')}`);
  }
  return candidates[0];
}

/** How to import and construct one client in a baseline entry. */
export interface ClientRecipe {
  readonly importLine: string;
  readonly construct: string;
}

/**
 * The recipe for a client package; `exportNames` (the package's runtime exports) is only read for
 * SDK clients, to find the class name.
 */
export function clientRecipe(packageName: string, exportNames: readonly string[] = []): ClientRecipe {
  if (packageName === 'ioredis') {
    // lazyConnect: construction only, as the handlers do at cold start (the connection is not part of the size or the load).
    return { importLine: "import Redis from 'ioredis';", construct: 'new Redis({ lazyConnect: true })' };
  }
  if (packageName === 'pg') return { importLine: "import { Pool } from 'pg';", construct: 'new Pool()' };
  if (packageName.startsWith('@aws-sdk/client-')) {
    const name = sdkClientClassName(packageName, exportNames);
    return { importLine: `import { ${name} } from '${packageName}';`, construct: `new ${name}({})` };
  }
  throw new Error(`${packageName} is not a known client or driver (known: @aws-sdk/client-*, ${DRIVER_PACKAGES.join(', ')})`);
}

/**
 * Source of a baseline entry: imports and constructs each client, and exports a handler that
 * answers 404 so that the same fresh-process runner can time its cold init. With no client it is
 * the empty handler.
 *
 * @example
 * baselineEntrySource([clientRecipe('pg')]);
 * // import { Pool } from 'pg';
 * // export const clients = [new Pool()];
 * // export const handler = async () => ({ statusCode: 404, body: '' });
 */
export function baselineEntrySource(recipes: readonly ClientRecipe[]): string {
  const lines = recipes.map((r) => r.importLine);
  if (recipes.length > 0) lines.push(`export const clients = [${recipes.map((r) => r.construct).join(', ')}];`);
  lines.push("export const handler = async () => ({ statusCode: 404, body: '' });");
  return `${lines.join('\n')}\n`;
}
