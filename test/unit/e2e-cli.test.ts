import { parseE2eArgs, UsageError } from '../../e2e/cli';

const IDS = ['reverse-proxy@fargate', 'cache-aside@lambda', 'multi-master-replication'];

function usageErrorOf(argv: string[]): string {
  try {
    parseE2eArgs(argv, IDS);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`expected a UsageError for ${JSON.stringify(argv)}`);
}

describe('parseE2eArgs', () => {
  it('selects the lab target by default, with no outputs file', () => {
    // Act
    const options = parseE2eArgs([], IDS);

    // Assess
    expect(options).toEqual({ target: 'lab', outputsFile: undefined, only: undefined, deploy: false, help: false });
  });

  it('gives each cloud target its default outputs file', () => {
    expect(parseE2eArgs(['--target', 'aws'], IDS).outputsFile).toBe('cdk-outputs.json');
    expect(parseE2eArgs(['--target', 'localstack'], IDS).outputsFile).toBe('cdk-outputs.localstack.json');
  });

  it('accepts --name value and --name=value, --only lists and --deploy for localstack', () => {
    // Act
    const options = parseE2eArgs(['--target=localstack', '--outputs', 'out.json', '--only', 'reverse-proxy@fargate, multi-master-replication', '--deploy'], IDS);

    // Assess
    expect(options).toEqual({
      target: 'localstack',
      outputsFile: 'out.json',
      only: ['reverse-proxy@fargate', 'multi-master-replication'],
      deploy: true,
      help: false,
    });
  });

  it('recognizes --help', () => {
    expect(parseE2eArgs(['--help'], IDS).help).toBe(true);
  });

  it.each([
    [['--target', 'gcp'], '--target "gcp" is not a target: expected lab, localstack or aws'],
    [['--target'], '--target needs a value: lab, localstack or aws'],
    [['--target', '--deploy'], '--target needs a value: lab, localstack or aws'],
    [['--outputs'], '--outputs needs a value'],
    [['--target', 'aws', '--target', 'lab'], '--target is given twice'],
    [['--verbose'], 'unknown option "--verbose" (see --help)'],
    [['--deploy=yes'], 'unknown option "--deploy=yes" (see --help)'],
    [['aws'], 'unexpected argument "aws": options start with -- (see --help)'],
    [['--outputs', 'x.json'], '--outputs applies to the localstack and aws targets (the lab starts its own engines)'],
    [
      ['--target', 'aws', '--deploy'],
      '--deploy applies to the localstack target only (deploy to AWS yourself: npx cdk deploy --all --outputs-file cdk-outputs.json)',
    ],
    [
      ['--only', 'reverse-proxy@fargate,nope'],
      '--only: no check named nope; checks: reverse-proxy@fargate, cache-aside@lambda, multi-master-replication',
    ],
  ])('rejects %j with an exact message', (argv, message) => {
    expect(usageErrorOf(argv)).toBe(message);
  });
});
