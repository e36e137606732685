/**
 * `npm run e2e -- --target lab|localstack|aws`: one suite of black-box checks over HTTP, run against
 * the local lab, a LocalStack deployment or the deployed AWS stacks. Prints a line per check as it
 * finishes, then a summary table (check / target / result / ms / reason) and the full message of
 * each failure. Exit code: 0 passed (skips allowed), 1 a failure or nothing verified, 2 the target
 * could not be opened (one line, no stack trace).
 */
import { ALL_CHECKS } from './checks';
import { type E2eOptions, USAGE, UsageError, parseE2eArgs } from './cli';
import { exitCodeFor, formatSummary, runChecks } from './suite';
import { openTarget } from './targets';
import { type E2eTarget, TargetError } from './targets/target';

const log = (message: string) => process.stderr.write(`e2e: ${message}\n`);

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let options: E2eOptions;
  try {
    options = parseE2eArgs(argv, ALL_CHECKS.map((check) => check.id));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    log(error.message);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  let target: E2eTarget;
  try {
    target = await openTarget(options, env, log);
  } catch (error) {
    // A known problem is one line; anything else (an engine that would not start) is still one
    // message, without a stack trace: the harness quotes the engine's log in it.
    log(error instanceof TargetError ? error.message : `could not open the ${options.target} target: ${(error as Error).message}`);
    return 2;
  }

  try {
    log(target.description);
    const checks = options.only === undefined ? ALL_CHECKS : ALL_CHECKS.filter((check) => options.only!.includes(check.id));
    const results = await runChecks(target, checks, {
      onResult: (r) => log(`${r.outcome.toUpperCase().padEnd(7)} ${r.id} (${r.ms} ms)${r.outcome === 'passed' ? '' : `: ${r.reason}`}`),
    });
    process.stdout.write(`\n${formatSummary(results)}\n`);
    for (const failed of results.filter((r) => r.outcome === 'failed')) process.stdout.write(`\nFAILED ${failed.id}: ${failed.reason}\n`);
    const code = exitCodeFor(results);
    if (code !== 0 && !results.some((r) => r.outcome === 'failed')) process.stdout.write('\nno check passed: nothing was verified on this target\n');
    return code;
  } finally {
    await target.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      log(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    },
  );
}
