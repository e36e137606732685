/**
 * The process of one local Lambda "instance" (a server slot of the local ALB), started by the
 * harness like an app instance: `startAppInstances({ entry: LAMBDA_SHIM_ENTRY, env: lambdaShimEnv(...) })`.
 * It reads its functions from LAMBDA_SHIM_FUNCTIONS (JSON), listens on PORT/LISTEN_HOST and hands
 * every other variable to the functions' environments, as their configuration. Only run, never imported.
 */
import { ENV } from '../lambdas/config/env-names';
import type { LambdaFunctionBundle } from './lambda-bundles';
import { FUNCTIONS_VAR, MODE_VAR, MULTI_VALUE_VAR, startLambdaShim } from './lambda-shim';

async function main(): Promise<void> {
  const { [FUNCTIONS_VAR]: functions, [MULTI_VALUE_VAR]: multiValue, [MODE_VAR]: mode, PORT: port, ...rest } = process.env;
  if (functions === undefined || port === undefined) throw new Error(`${FUNCTIONS_VAR} and PORT are required`);
  const env = Object.fromEntries(Object.entries(rest).filter((e): e is [string, string] => e[1] !== undefined));
  const shim = await startLambdaShim({
    functions: JSON.parse(functions) as LambdaFunctionBundle[],
    env,
    instanceName: process.env[ENV.instanceId],
    multiValueHeaders: multiValue === '1',
    mode: mode === 'functionUrl' ? 'functionUrl' : 'alb',
    port: Number(port),
    host: process.env[ENV.listenHost] ?? '127.0.0.1',
    log: (line) => console.log(line),
  });
  console.log(`lambda shim ${process.env[ENV.instanceId] ?? ''} listening on ${shim.url}`);
  const stop = () => void shim.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
