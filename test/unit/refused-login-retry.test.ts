import { isRefusedLogin as isRefusedPgLogin } from '../../lambdas/adapters/pg-pools';
import { REFUSED_LOGIN_PAUSES_MS, retryRefusedLogin, singleFlight } from '../../lambdas/core/refused-login-retry';

const refused = Object.assign(new Error('password authentication failed'), { code: '28P01' });
const other = Object.assign(new Error('syntax error'), { code: '42601' });
const isRefusedLogin = (error: unknown) => (error as { code?: string }).code === '28P01';

/** An operation that fails with `failures` in order, then answers 'ok'; records what happened. */
function setup(failures: unknown[], pausesMs: readonly number[] = [10, 20, 40]) {
  const events: string[] = [];
  const queue = [...failures];
  const run = () =>
    retryRefusedLogin(
      async () => {
        events.push('attempt');
        const next = queue.shift();
        if (next !== undefined) throw next;
        return 'ok';
      },
      {
        isRefusedLogin,
        pausesMs,
        sleep: async (ms) => {
          events.push(`sleep ${ms}`);
        },
        refresh: async () => {
          events.push('refresh');
        },
      },
    );
  return { run, events };
}

describe('retryRefusedLogin', () => {
  it('answers at once, with no refresh, when the login is accepted', async () => {
    // Prepare
    const { run, events } = setup([]);

    // Act
    const result = await run();

    // Assess
    expect(result).toBe('ok');
    expect(events).toEqual(['attempt']);
  });

  it('pauses, re-reads the credentials and tries again while the login is refused, with growing pauses', async () => {
    // Prepare: refused twice (the switch-over of a rotation), then accepted
    const { run, events } = setup([refused, refused]);

    // Act
    const result = await run();

    // Assess: the refresh comes after the pause, right before the attempt it serves
    expect(result).toBe('ok');
    expect(events).toEqual(['attempt', 'sleep 10', 'refresh', 'attempt', 'sleep 20', 'refresh', 'attempt']);
  });

  it('gives up with the last refused login once every pause is spent (one retry per pause)', async () => {
    // Prepare
    const { run, events } = setup([refused, refused, refused, refused]);

    // Act & Assess
    await expect(run()).rejects.toBe(refused);
    expect(events.filter((e) => e === 'attempt')).toHaveLength(4);
    expect(events.filter((e) => e === 'refresh')).toHaveLength(3);
  });

  it('does not retry any other error', async () => {
    // Prepare
    const { run, events } = setup([other]);

    // Act & Assess
    await expect(run()).rejects.toBe(other);
    expect(events).toEqual(['attempt']);
  });

  it('propagates a failed refresh (no credentials to retry with)', async () => {
    // Prepare
    const unreachable = new Error('secrets manager unreachable');

    // Act
    const failure = retryRefusedLogin(() => Promise.reject(refused), {
      isRefusedLogin,
      pausesMs: [1],
      sleep: async () => undefined,
      refresh: () => Promise.reject(unreachable),
    });

    // Assess
    await expect(failure).rejects.toBe(unreachable);
  });

  it('bounds the time a request can spend on it to about three seconds', () => {
    // Assess: the request path's budget (README, "Secret rotation")
    const total = REFUSED_LOGIN_PAUSES_MS.reduce((sum, ms) => sum + ms, 0);
    expect(total).toBe(3100);
    expect([...REFUSED_LOGIN_PAUSES_MS].sort((a, b) => a - b)).toEqual(REFUSED_LOGIN_PAUSES_MS);
  });
});

describe('singleFlight', () => {
  it('shares one run among concurrent callers, and runs again once it has finished', async () => {
    // Prepare
    let runs = 0;
    let release: () => void = () => undefined;
    const refresh = singleFlight(() => {
      runs += 1;
      return new Promise<void>((resolve) => (release = resolve));
    });

    // Act
    const burst = [refresh(), refresh(), refresh()];
    release();
    await Promise.all(burst);
    const later = refresh();
    release();
    await later;

    // Assess
    expect(runs).toBe(2);
  });

  it('lets the next caller try again after a failed run', async () => {
    // Prepare
    let runs = 0;
    const refresh = singleFlight(async () => {
      runs += 1;
      if (runs === 1) throw new Error('first read failed');
    });

    // Act & Assess
    await expect(refresh()).rejects.toThrow('first read failed');
    await expect(refresh()).resolves.toBeUndefined();
    expect(runs).toBe(2);
  });
});

describe('isRefusedLogin (the PostgreSQL adapter)', () => {
  const pgError = (code: string, severity = 'FATAL') => Object.assign(new Error(code), { code, severity });

  it.each([
    ['28P01', 'FATAL', true], // PostgreSQL: password authentication failed
    ['28000', 'FATAL', true], // RDS Proxy: no credentials for the role
    ['08P01', 'FATAL', true], // PgBouncer: SASL authentication failed
    ['08P01', 'ERROR', false], // a protocol violation inside a session
    ['08006', 'FATAL', false], // connection failure: the engine's, not the credentials'
    ['57P01', 'FATAL', false], // admin shutdown
    ['42501', 'ERROR', false], // insufficient privilege: a grant, not a password
  ])('%s with severity %s -> %s', (code, severity, refused) => {
    expect(isRefusedPgLogin(pgError(code, severity))).toBe(refused);
  });

  it('is false for errors that did not come from the server (no severity) and for non-errors', () => {
    expect(isRefusedPgLogin(Object.assign(new Error('x'), { code: '28P01' }))).toBe(false);
    expect(isRefusedPgLogin(undefined)).toBe(false);
    expect(isRefusedPgLogin('28P01')).toBe(false);
  });
});
