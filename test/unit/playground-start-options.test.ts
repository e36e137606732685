import { parseStartOptions } from '../../scripts/start-options';

describe('npm start options', () => {
  it('defaults to what the playground defaults to', () => {
    expect(parseStartOptions([])).toEqual({
      kind: 'run',
      options: { fargateInstances: undefined, lambdaInstances: undefined, port: undefined, sessionStore: undefined, sticky: false },
    });
  });

  it('reads every flag', () => {
    expect(parseStartOptions(['--fargate', '3', '--lambda=1', '--session', 'memory', '--sticky', '--port', '8080'])).toEqual({
      kind: 'run',
      options: { fargateInstances: 3, lambdaInstances: 1, port: 8080, sessionStore: 'memory', sticky: true },
    });
  });

  it('answers --help', () => {
    expect(parseStartOptions(['--help'])).toEqual({ kind: 'help' });
  });

  it('reports every bad value at once, with what is allowed', () => {
    expect(parseStartOptions(['--fargate', '0', '--lambda', 'two', '--session', 'disk', '--port', '80'])).toEqual({
      kind: 'invalid',
      problems: [
        '--fargate: got "0"; allowed: an integer from 1 to 6',
        '--lambda: got "two"; allowed: an integer from 1 to 6',
        '--port: got "80"; allowed: an integer from 1024 to 65535',
        '--session: got "disk"; allowed: redis, memory, cookie',
      ],
    });
  });

  it('names an unknown flag and the allowed ones', () => {
    const result = parseStartOptions(['--instances', '4']);
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' ? result.problems[0] : '').toMatch(/Unknown option '--instances'.*; allowed: --fargate, --lambda, --session, --sticky, --port, --help$/);
  });
});
