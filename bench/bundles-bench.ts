/**
 * The minified size of each Lambda bundle, built with the CDK app's own settings
 * (`HANDLER_BUNDLING` through `esbuildOptions`), beside a bundle of only the AWS SDK clients and
 * drivers that handler's code imports (read from the metafile, see `bundle-baseline.ts`). A handler
 * that imports no client (whoami) has no meaningful SDK-only baseline: it is compared with the
 * empty handler instead, and says so.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Metafile } from 'esbuild';
import { esbuildOptions, handlerFiles } from '../lib/function/handler-build';
import { HANDLER_BUNDLING } from '../lib/function/handler-build';
import { baselineEntrySource, bytesByPackage, clientPackagesImported, clientRecipe } from './bundle-baseline';
import type { BenchContext } from './options';
import { kilobytes, ratio, type Ratio } from './stats';

export const BUNDLE_RATIO_TARGET = 1.5;

/** A bundle on disk: `<dir>/index.js` (+ `index.js.map`), exporting `handler`. */
export interface BuiltBundle {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
  readonly mapBytes: number;
}

export interface HandlerBundleResult {
  readonly handler: string;
  readonly bundle: BuiltBundle;
  /** Clients and drivers the handler's own files import (the baseline's content). */
  readonly clients: readonly string[];
  /** The SDK-only baseline, or the empty handler when the handler imports no client. */
  readonly baseline: BuiltBundle;
  readonly baselineKind: 'sdk-only' | 'empty-handler';
  /** Bundle / baseline (target only against an SDK-only baseline). */
  readonly ratio: Ratio;
  /** The biggest packages in the bundle, KB. */
  readonly topPackages: ReadonlyArray<{ readonly name: string; readonly kb: number }>;
}

export interface BundlesResult {
  readonly settings: typeof HANDLER_BUNDLING;
  readonly emptyHandler: BuiltBundle;
  readonly handlers: readonly HandlerBundleResult[];
}

async function build(
  ctx: BenchContext,
  name: string,
  entry: { readonly file: string } | { readonly source: string },
): Promise<{ bundle: BuiltBundle; metafile: Metafile }> {
  const esbuild = await import('esbuild');
  const outfile = path.join(ctx.workDir, 'bundles', name, 'index.js');
  const result = await esbuild.build({
    ...esbuildOptions(HANDLER_BUNDLING),
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.source, resolveDir: ctx.repoRoot, sourcefile: `${name}.ts`, loader: 'ts' as const } }),
    outfile,
    metafile: true,
  });
  const mapFile = `${outfile}.map`;
  const bundle = {
    name,
    file: outfile,
    bytes: fs.statSync(outfile).size,
    mapBytes: fs.existsSync(mapFile) ? fs.statSync(mapFile).size : 0,
  };
  return { bundle, metafile: result.metafile as Metafile };
}

/** The runtime export names of a package, loaded in this process (only SDK clients need them). */
function exportNamesOf(packageName: string): string[] {
  return packageName.startsWith('@aws-sdk/client-') ? Object.keys(require(packageName) as object) : [];
}

/** Builds every handler, its baseline and the empty handler into `<workDir>/bundles`. */
export async function runBundlesBench(ctx: BenchContext): Promise<BundlesResult> {
  const handlersDir = path.join(ctx.repoRoot, 'lambdas', 'handlers');
  const { bundle: emptyHandler } = await build(ctx, 'empty-handler', { source: baselineEntrySource([]) });
  const handlers: HandlerBundleResult[] = [];
  for (const handler of handlerFiles(handlersDir)) {
    const { bundle, metafile } = await build(ctx, handler, { file: path.join(handlersDir, `${handler}.ts`) });
    const clients = clientPackagesImported(metafile);
    let baseline = emptyHandler;
    if (clients.length > 0) {
      const source = baselineEntrySource(clients.map((name) => clientRecipe(name, exportNamesOf(name))));
      baseline = (await build(ctx, `${handler}.sdk-only`, { source })).bundle;
    }
    const sdkOnly = clients.length > 0;
    handlers.push({
      handler,
      bundle,
      clients,
      baseline,
      baselineKind: sdkOnly ? 'sdk-only' : 'empty-handler',
      ratio: sdkOnly ? ratio(bundle.bytes, baseline.bytes, BUNDLE_RATIO_TARGET) : ratio(bundle.bytes, baseline.bytes),
      topPackages: bytesByPackage(metafile)
        .slice(0, 6)
        .map((p) => ({ name: p.name, kb: kilobytes(p.bytes) })),
    });
    ctx.progress(`bundle ${handler}: ${kilobytes(bundle.bytes)} KB, baseline (${clients.join(' + ') || 'empty handler'}) ${kilobytes(baseline.bytes)} KB`);
  }
  return { settings: HANDLER_BUNDLING, emptyHandler, handlers };
}
