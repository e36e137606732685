/**
 * Lambda code for the handlers under `lambdas/handlers/`, each a folder of the one build of all
 * handlers (`handler-build.ts` says why one build, and with which settings).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssetHashType, Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { buildHandlers, HANDLER_BUNDLING, HANDLERS_DIR, type HandlerBundlingSettings } from './handler-build';

/**
 * The build of each app, keyed by its root construct: one esbuild run per synth, however many
 * functions use it, and a fresh one for every new `App` (tests make many).
 */
const builds = new WeakMap<IConstruct, string>();

/** Where the build goes: inside the assembly folder, so source map paths do not depend on where the repository is. */
function buildOf(scope: IConstruct, settings: HandlerBundlingSettings, handlersDir: string): string {
  const root = scope.node.root;
  const known = builds.get(root);
  if (known !== undefined) return known;
  const assemblyDir = Stage.of(scope)?.assetOutdir;
  if (assemblyDir === undefined) throw new Error(`${scope.node.path}: handler code needs a Stage (an App) to build into`);
  const outdir = path.join(assemblyDir, 'handler-bundles');
  buildHandlers(handlersDir, outdir, settings);
  builds.set(root, outdir);
  return outdir;
}

/**
 * The code of handler `lambdas/handlers/<handlerFile>.ts`: its folder of the app's one build
 * (`index.js` + `index.js.map`), as an asset hashed by those files. Use with `handler: 'index.handler'`.
 *
 * @example
 * new lambda.Function(this, 'Resource', { code: handlerCode(this, 'reverse-proxy-handler'), handler: 'index.handler', ... });
 */
export function handlerCode(
  scope: IConstruct,
  handlerFile: string,
  settings: HandlerBundlingSettings = HANDLER_BUNDLING,
  handlersDir: string = HANDLERS_DIR,
): lambda.Code {
  const source = path.join(handlersDir, `${handlerFile}.ts`);
  if (!fs.existsSync(source)) throw new Error(`No bundle for handler ${handlerFile}: expected ${source}`);
  // Stacks left out of bundling (context `aws:cdk:bundling-stacks`, as `cdk synth --exclusively` or
  // the tests set it) get the sources as a stand-in asset, as CDK's own bundled assets do: no build,
  // and a hash that does not change with the sources (snapshots stay put).
  if (!Stack.of(scope).bundlingRequired) {
    return lambda.Code.fromAsset(handlersDir, { assetHashType: AssetHashType.CUSTOM, assetHash: `not-bundled:${handlerFile}` });
  }
  return lambda.Code.fromAsset(path.join(buildOf(scope, settings, handlersDir), handlerFile));
}
