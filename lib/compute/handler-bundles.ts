/**
 * Lambda code for the handlers under `lambdas/handlers/`, each taken from the one build of all
 * handlers (see `handler-build.ts` for why one build, and how it overlaps the app's own work).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { handlerBundleFiles, type HandlerBundlingSettings } from './handler-build';

/** Local bundling of one handler: its part of the shared build. Its public fields make the asset cache key. */
class SharedBuildBundling implements ILocalBundling {
  constructor(
    readonly handlersDir: string,
    readonly handlerFile: string,
    readonly settings: HandlerBundlingSettings,
  ) {}

  tryBundle(outputDir: string): boolean {
    const files = handlerBundleFiles(path.dirname(outputDir), this.settings, this.handlersDir).get(this.handlerFile) ?? [];
    if (files.length === 0) {
      throw new Error(`No bundle for handler ${this.handlerFile}: expected ${path.join(this.handlersDir, `${this.handlerFile}.ts`)}`);
    }
    for (const file of files) fs.copyFileSync(file, path.join(outputDir, path.basename(file)));
    return true;
  }
}

/**
 * The code of handler `lambdas/handlers/<handlerFile>.ts` as an asset hashed by its output (so a
 * change in any bundled file changes the asset). Use with `handler: 'index.handler'`.
 *
 * @example
 * new nodejs.NodejsFunction(this, 'Resource', { code: handlerCode(REPO_ROOT, 'whoami-handler', HANDLER_BUNDLING), handler: 'index.handler', ... });
 */
export function handlerCode(projectRoot: string, handlerFile: string, settings: HandlerBundlingSettings): lambda.Code {
  const handlersDir = path.join(projectRoot, 'lambdas', 'handlers');
  return lambda.Code.fromAsset(projectRoot, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never used: local bundling always succeeds or throws (no Docker here, by design).
      image: DockerImage.fromRegistry('local-esbuild-only'),
      local: new SharedBuildBundling(handlersDir, handlerFile, settings),
    },
  });
}
