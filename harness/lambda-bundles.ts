/**
 * The Lambda functions as deployed: the bundles of the one handler build `cdk synth` packages
 * (built once per process, from the build cache when nothing changed), with the ALB path patterns
 * each function of the Lambda tier serves, and the regional multi-master writer's function.
 *
 * @example
 * const functions = await prepareLambdaBundles(); // [{ name: 'Session', pathPatterns: ['/lambda/session', ...], bundle: '.../index.js' }, ...]
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { once } from '../lambdas/core/once';
import { makeTempDir } from './workspace';

const execFileAsync = promisify(execFile);

/** One Lambda function of the tier: its construct id, handler, ALB path patterns and built bundle. */
export interface LambdaFunctionBundle {
  readonly name: string;
  readonly handlerFile: string;
  readonly pathPatterns: readonly string[];
  /** `index.js` of the handler's bundle (`index.handler`, as deployed). */
  readonly bundle: string;
}

interface HandlerBundles {
  readonly tier: LambdaFunctionBundle[];
  readonly multiMaster: LambdaFunctionBundle;
}

/** Builds (or copies from the build cache) every handler bundle, once per process (a failed build is retried). */
const prepareHandlerBundles: () => Promise<HandlerBundles> = once(build);

/** The Lambda tier's functions (behind the ALB). */
export const prepareLambdaBundles = async (): Promise<LambdaFunctionBundle[]> => (await prepareHandlerBundles()).tier;

/** The regional multi-master writer's function (behind a Function URL on AWS), from the same build. */
export const prepareMultiMasterBundle = async (): Promise<LambdaFunctionBundle> => (await prepareHandlerBundles()).multiMaster;

async function build(): Promise<HandlerBundles> {
  const dir = makeTempDir('lambda-bundles');
  // Run from `dir` (see lambda-bundles-build.ts), so tsx is named by its path, not resolved from there.
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const { stdout } = await execFileAsync(process.execPath, ['--import', tsx, path.join(__dirname, 'lambda-bundles-build.ts'), dir], { cwd: dir, maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as HandlerBundles;
}
