/**
 * Command line of the end-to-end suite: `npm run e2e -- [--target lab|localstack|aws] [--outputs <file>]
 * [--only <id,...>] [--deploy]`. Every mistake is a UsageError with one exact line.
 */
import { commandLine } from '../toolkit/command-line';
import { AWS_OUTPUTS_FILE, LOCALSTACK_OUTPUTS_FILE } from './targets/stack-outputs';
import { TARGET_NAMES, type TargetName } from './targets/target';

export const USAGE = `Usage: npm run e2e -- [--target lab|localstack|aws] [--outputs <file>] [--only <check,...>] [--deploy]

  --target lab          (default) start the local lab (PostgreSQL, Redis, HAProxy, dynalite) and check it
  --target localstack   check a cdklocal deployment of -c profile=localstack (LOCALSTACK_ENDPOINT, default http://localhost:4566)
  --target aws          check the stacks deployed with: npx cdk deploy --all --outputs-file ${AWS_OUTPUTS_FILE}
  --outputs <file>      the outputs file (default ${AWS_OUTPUTS_FILE} for aws, ${LOCALSTACK_OUTPUTS_FILE} for localstack)
  --only <check,...>    run only these checks (ids as in the summary, e.g. cache-aside@fargate)
  --deploy              localstack only: cdklocal bootstrap + deploy before checking
  --help                this text

Exit codes: 0 every check passed or was skipped, and at least one passed; 1 a check failed (or none passed);
2 the target could not be opened (usage, endpoint unreachable, outputs file missing or invalid).`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface E2eOptions {
  readonly target: TargetName;
  /** Resolved: the default file of the target when not given; undefined for the lab. */
  readonly outputsFile?: string;
  /** Check ids to run; undefined = all. */
  readonly only?: readonly string[];
  readonly deploy: boolean;
  readonly help: boolean;
}

/**
 * Parses the arguments after `npm run e2e --` (node:util parseArgs); `checkIds` are the valid `--only` ids.
 *
 * @example
 * parseE2eArgs(['--target', 'aws', '--outputs', 'out.json'], ids); // { target: 'aws', outputsFile: 'out.json', ... }
 */
export function parseE2eArgs(argv: readonly string[], checkIds: readonly string[]): E2eOptions {
  const values: Partial<Record<'--target' | '--outputs' | '--only', string>> = {};
  const flags = new Set<string>();
  for (const item of commandLine(argv, { target: 'string', outputs: 'string', only: 'string', deploy: 'boolean', help: 'boolean' })) {
    if (item.kind === 'value') {
      const name = `--${item.name}` as keyof typeof values;
      if (item.value === undefined) throw new UsageError(`${name} needs a value${name === '--target' ? ': lab, localstack or aws' : ''}`);
      if (values[name] !== undefined) throw new UsageError(`${name} is given twice`);
      values[name] = item.value;
    } else if (item.kind === 'flag') {
      flags.add(`--${item.name}`);
    } else if (item.kind === 'unknown') {
      throw new UsageError(`unknown option ${JSON.stringify(item.text)} (see --help)`);
    } else {
      throw new UsageError(`unexpected argument ${JSON.stringify(item.value)}: options start with -- (see --help)`);
    }
  }

  const target = values['--target'] ?? 'lab';
  if (!(TARGET_NAMES as readonly string[]).includes(target)) {
    throw new UsageError(`--target ${JSON.stringify(target)} is not a target: expected lab, localstack or aws`);
  }
  if (values['--outputs'] !== undefined && target === 'lab') {
    throw new UsageError('--outputs applies to the localstack and aws targets (the lab starts its own engines)');
  }
  if (flags.has('--deploy') && target !== 'localstack') {
    throw new UsageError(`--deploy applies to the localstack target only (deploy to AWS yourself: npx cdk deploy --all --outputs-file ${AWS_OUTPUTS_FILE})`);
  }
  let only: string[] | undefined;
  if (values['--only'] !== undefined) {
    only = values['--only'].split(',').map((id) => id.trim()).filter((id) => id !== '');
    const unknown = only.filter((id) => !checkIds.includes(id));
    if (unknown.length > 0) throw new UsageError(`--only: no check named ${unknown.join(', ')}; checks: ${checkIds.join(', ')}`);
  }
  const defaultOutputs = target === 'aws' ? AWS_OUTPUTS_FILE : target === 'localstack' ? LOCALSTACK_OUTPUTS_FILE : undefined;
  return {
    target: target as TargetName,
    outputsFile: values['--outputs'] ?? defaultOutputs,
    only,
    deploy: flags.has('--deploy'),
    help: flags.has('--help'),
  };
}
