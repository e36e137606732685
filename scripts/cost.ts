/**
 * `npm run cost -- -c key=value ...`: the monthly and daily bill of a configuration at idle, line by
 * line, and its difference from the default. Reads the context as `cdk synth` does (`cdk.json`, then
 * `cdk.context.json`, then each `-c`), validates it with the same function and the same connection
 * budget, so a bad value gets synth's message. Offline: no AWS call, prices from
 * `lib/config/price-table.ts`.
 *
 * `--readme` prints the README's generated cost block instead (paste it between its markers).
 */
import { parseArgs } from 'node:util';
import { AppConfigError, type ContextReader, parseAppConfig } from '../lib/config/app-config';
import { contextPairs, ContextPairError, repositoryContext } from '../lib/config/context-files';
import { MissingPriceError } from '../lib/config/cost-model';
import { costReport, readmeCostBlock } from '../lib/config/cost-report';
import { budgetWarnings, deploymentProblems } from '../lib/patterns-app';

const USAGE = 'usage: npm run cost -- [-c key=value ...] [--readme]';

function main(argv: readonly string[]): number {
  const { values } = parseArgs({
    args: [...argv],
    options: { context: { type: 'string', short: 'c', multiple: true }, readme: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help === true) {
    console.log(USAGE);
    return 0;
  }
  const defaults = repositoryContext();
  const overrides = contextPairs(values.context ?? []);
  const readDefaults: ContextReader = (key) => defaults[key];
  const read: ContextReader = (key) => overrides[key] ?? defaults[key];

  const parsed = parseAppConfig(read);
  if (parsed.profile === 'localstack') {
    console.log('profile=localstack deploys to LocalStack only: nothing here is billed by AWS.');
    return 0;
  }
  const problems = deploymentProblems(parsed.config);
  if (problems.length > 0) throw new AppConfigError(problems);
  for (const warning of [...parsed.warnings, ...budgetWarnings(parsed.config)]) console.error(`warning: ${warning}`);
  console.log(values.readme === true ? readmeCostBlock(readDefaults) : costReport(read, readDefaults));
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof AppConfigError || error instanceof MissingPriceError) {
    console.error(error.message);
  } else if (error instanceof ContextPairError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`${(error as Error).message}\n${USAGE}`);
  } else {
    throw error;
  }
  process.exitCode = 1;
}
