import { MAX_REPLAY_DELAY_MS, parseControlAction } from '../../harness/playground-actions';
import { refusal } from '../../harness/playground-control';

describe('parseControlAction', () => {
  it.each([
    [{ action: 'sticky', on: true }],
    [{ action: 'kill', tier: 'fargate', instance: 'fargate-2' }],
    [{ action: 'restart', tier: 'lambda', instance: 'lambda-1' }],
    [{ action: 'add', tier: 'lambda' }],
    [{ action: 'replay-delay', ms: 0 }],
    [{ action: 'replay-delay', ms: MAX_REPLAY_DELAY_MS }],
    [{ action: 'freeze-replication' }],
    [{ action: 'thaw-replication' }],
    [{ action: 'hold-replicator' }],
    [{ action: 'release-replicator' }],
    [{ action: 'redis', running: false }],
    [{ action: 'session-store', store: 'cookie' }],
  ])('accepts %j as it is', (body) => {
    expect(parseControlAction(body)).toEqual({ ok: true, value: body });
  });

  it.each([
    [null, 'body: got null; allowed: a JSON object such as {"action":"sticky","on":true}'],
    [[1], 'body: got [1]; allowed: a JSON object such as {"action":"sticky","on":true}'],
    [{}, 'action: got nothing; allowed: sticky, kill, restart, add, replay-delay, freeze-replication, thaw-replication, hold-replicator, release-replicator, redis, session-store'],
    [{ action: 'reboot' }, 'action: got "reboot"; allowed: sticky, kill, restart, add, replay-delay, freeze-replication, thaw-replication, hold-replicator, release-replicator, redis, session-store'],
    [{ action: 'sticky', on: 'yes' }, 'on: got "yes"; allowed: true, false'],
    [{ action: 'redis' }, 'running: got nothing; allowed: true, false'],
    [{ action: 'add', tier: 'ec2' }, 'tier: got "ec2"; allowed: fargate, lambda'],
    [{ action: 'kill', tier: 'fargate', instance: 'lambda-1' }, 'instance: got "lambda-1"; allowed: an instance of the fargate tier, such as fargate-1'],
    [{ action: 'replay-delay', ms: -1 }, `ms: got -1; allowed: an integer from 0 to ${MAX_REPLAY_DELAY_MS}`],
    [{ action: 'replay-delay', ms: 1.5 }, `ms: got 1.5; allowed: an integer from 0 to ${MAX_REPLAY_DELAY_MS}`],
    [{ action: 'replay-delay', ms: '100' }, `ms: got "100"; allowed: an integer from 0 to ${MAX_REPLAY_DELAY_MS}`],
    [{ action: 'session-store', store: 'dynamodb' }, 'store: got "dynamodb"; allowed: redis, memory, cookie'],
    [{ action: 'freeze-replication', force: true }, 'force: got true; allowed: no other field for action freeze-replication'],
  ])('refuses %j with an exact message', (body, message) => {
    expect(parseControlAction(body)).toEqual({ ok: false, problems: [message] });
  });

  it('reports every problem of one request at once', () => {
    expect(parseControlAction({ action: 'kill', tier: 'ec2', instance: 'x', extra: 1 })).toEqual({
      ok: false,
      problems: [
        'tier: got "ec2"; allowed: fargate, lambda',
        'instance: got "x"; allowed: an instance name such as fargate-1',
        'extra: got 1; allowed: tier, instance for action kill',
      ],
    });
  });

  it('shortens a long value in its message', () => {
    const result = parseControlAction({ action: 'add', tier: 'x'.repeat(200) });
    expect(result.ok ? '' : result.problems[0]).toBe(`tier: got "${'x'.repeat(56)}...; allowed: fargate, lambda`);
  });
});

describe('control API refusal', () => {
  const allowed = { 'x-playground-control': '1', 'content-type': 'application/json', host: '127.0.0.1:8080' };

  it('lets a same-origin JSON request with the control header through', () => {
    expect(refusal(allowed)).toBeUndefined();
    expect(refusal({ ...allowed, origin: 'http://127.0.0.1:8080' })).toBeUndefined();
  });

  it.each([
    [{ ...allowed, 'x-playground-control': undefined }, 403, 'x-playground-control: got null; allowed: "1"'],
    [{ ...allowed, 'content-type': 'text/plain' }, 415, 'content-type: got "text/plain"; allowed: application/json'],
    [{ ...allowed, origin: 'http://evil.example' }, 403, 'origin: got "http://evil.example"; allowed: the playground\'s own address'],
  ])('refuses %j', (headers, status, message) => {
    expect(refusal(headers)).toEqual({ status, message });
  });
});
