import { commandLine } from '../../toolkit';

describe('commandLine', () => {
  const FLAGS = { only: 'string', quick: 'boolean', help: 'boolean' } as const;

  it('reads values in both forms, flags, -h and positionals, in the order given', () => {
    // Act
    const items = commandLine(['--only', 'a,b', '--only=c', '--quick', '-h', 'extra'], FLAGS);

    // Assess
    expect(items).toEqual([
      { kind: 'value', name: 'only', value: 'a,b' },
      { kind: 'value', name: 'only', value: 'c' },
      { kind: 'flag', name: 'quick' },
      { kind: 'flag', name: 'help' },
      { kind: 'positional', value: 'extra' },
    ]);
  });

  it.each([
    [['--only'], 'at the end'],
    [['--only='], 'empty'],
    [['--only', '--quick'], 'followed by another option'],
  ])('reports a missing value when the option is %j (%s)', (argv) => {
    expect(commandLine(argv, FLAGS)[0]).toEqual({ kind: 'value', name: 'only', value: undefined });
  });

  it('reports an unknown option and a flag given a value as unknown, with what was typed', () => {
    expect(commandLine(['--fast', '--quick=yes'], FLAGS)).toEqual([
      { kind: 'unknown', option: '--fast', text: '--fast' },
      { kind: 'unknown', option: '--quick', text: '--quick=yes' },
    ]);
  });

  it('treats what follows -- as positionals', () => {
    expect(commandLine(['--', '--quick'], FLAGS)).toEqual([{ kind: 'positional', value: '--quick' }]);
  });
});
