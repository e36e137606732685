/**
 * Child process of `prepareLambdaBundles()` (lambda-bundles.ts): builds every handler with the
 * one build `cdk synth` runs (lib/function/handler-build.ts) and prints the Lambda tier's routes
 * (lib/compute/lambda-tier.ts) and the regional multi-master writer's function as JSON. A separate process because esbuild's JS API fails inside
 * jest's VM context, and so that aws-cdk-lib is never loaded into the harness's own process.
 *
 *   (cd <dir> && node --import <tsx> harness/lambda-bundles-build.ts <dir>)   -> <dir>/cdk.out/handler-bundles/<handler>/index.js
 */
import * as path from 'node:path';
import { LAMBDA_PATTERNS } from '../lib/compute/lambda-tier';
import { MULTI_MASTER_FUNCTION } from '../lib/multi-master/multi-master-regional-stack';
import { buildHandlers, HANDLER_BUNDLING, HANDLERS_DIR } from '../lib/function/handler-build';

const [dir] = process.argv.slice(2);
// The build's cache key holds where the output sits relative to the working folder: `cdk synth`
// builds into cdk.out/handler-bundles from the repository root, so building at the same relative
// place from `dir` finds the same cache entry, i.e. the bundles the last synth packaged. The
// process must start in `dir` (not chdir there): esbuild, loaded by tsx, keeps its first working folder.
if (dir === undefined || path.resolve(dir) !== process.cwd()) throw new Error('usage: (cd <dir> && node --import tsx lambda-bundles-build.ts <dir>)');
const outdir = path.join(dir, 'cdk.out', 'handler-bundles');
buildHandlers(HANDLERS_DIR, outdir, HANDLER_BUNDLING);
const bundleOf = (handlerFile: string) => path.join(outdir, handlerFile, 'index.js');
const tier = LAMBDA_PATTERNS.map((p) => ({ name: p.id, handlerFile: p.handlerFile, pathPatterns: p.pathPatterns, bundle: bundleOf(p.handlerFile) }));
// Behind its Function URL the writer gets every path.
const { id, handlerFile } = MULTI_MASTER_FUNCTION;
const multiMaster = { name: id, handlerFile, pathPatterns: ['/*'], bundle: bundleOf(handlerFile) };
process.stdout.write(JSON.stringify({ tier, multiMaster }));
