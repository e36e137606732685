/**
 * Prints the exact `cdk bootstrap` command for a configuration: every Region its stacks deploy to.
 *
 *   npm run bootstrap-command -- [-c key=value ...]
 *
 * It reads the same context as `cdk synth` (cdk.json, cdk.context.json, then the -c overrides, which
 * the CLI passes as strings), validates it with the same parser, and builds the same stacks (without
 * bundling). The command goes to stdout, what it covers to stderr. Exit codes: 0 printed, 2 usage or
 * configuration error (the problems are listed as synth lists them).
 */
import { parseArgs } from 'node:util';
import { App } from 'aws-cdk-lib';
import { AppConfigError, parseAppConfig } from '../lib/config/app-config';
import { contextPairs, repositoryContext } from '../lib/config/context-files';
import { ACCOUNT_PLACEHOLDER, bootstrapCommand, deploymentRegions } from '../lib/deploy/bootstrap-environments';
import { addAppStacks } from '../lib/patterns-app';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `-c key=value` / `--context key=value` pairs, as the CDK CLI reads them (the first `=` splits). */
export function contextOverrides(argv: readonly string[]): Record<string, string> {
  const { values } = parseArgs({ args: [...argv], options: { context: { type: 'string', short: 'c', multiple: true } }, strict: true });
  return contextPairs(values.context ?? []);
}

export function bootstrapCommandFor(argv: readonly string[]): CommandResult {
  let overrides: Record<string, string>;
  try {
    overrides = contextOverrides(argv);
  } catch (error) {
    return { code: 2, stdout: '', stderr: `${(error as Error).message}\nUsage: npm run bootstrap-command -- [-c key=value ...]\n` };
  }
  const app = new App({ context: { ...repositoryContext(), ...overrides, 'aws:cdk:bundling-stacks': [] } });
  try {
    const parsed = parseAppConfig((key) => app.node.tryGetContext(key));
    addAppStacks(app, parsed);
    const regions = deploymentRegions(app);
    const account = parsed.config.account;
    const note = account === undefined ? `; replace ${ACCOUNT_PLACEHOLDER} with your 12-digit account id (or pass -c account=<id>)` : '';
    return {
      code: 0,
      stdout: `${bootstrapCommand(regions, account)}\n`,
      stderr: `Bootstraps every Region this configuration deploys to (profile ${parsed.profile}): ${regions.join(', ')}${note}.\n`,
    };
  } catch (error) {
    if (error instanceof AppConfigError) return { code: 2, stdout: '', stderr: `${error.message}\n` };
    throw error;
  }
}

if (require.main === module) {
  const result = bootstrapCommandFor(process.argv.slice(2));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}
