import * as path from 'node:path';
import { startAppInstances, type AppInstance } from '../../harness/app-instances';
import { startHaproxy, type Haproxy } from '../../harness/haproxy';
import { cookiesFrom, httpGet } from '../../harness/http-probe';
import { isAlive } from '../../harness/processes';

const FIXTURE = path.join(__dirname, 'fixtures', 'instance-server.ts');

interface Hit {
  readonly instanceId: string;
  readonly setCookie?: string;
}

/** `count` sequential GET /whoami through the proxy, each on a fresh connection. */
async function hits(lb: Haproxy, count: number, cookie?: string): Promise<Hit[]> {
  const result: Hit[] = [];
  for (let i = 0; i < count; i++) {
    const response = await httpGet(`${lb.url}/whoami`, cookie === undefined ? {} : { cookie });
    expect(response.status).toBe(200);
    result.push({ instanceId: (JSON.parse(response.body) as { instanceId: string }).instanceId, setCookie: cookiesFrom(response) });
  }
  return result;
}

const ids = (list: readonly Hit[]): string[] => [...new Set(list.map((h) => h.instanceId))].sort();

describe('Haproxy', () => {
  let apps: AppInstance[];
  let lb: Haproxy;

  beforeAll(async () => {
    apps = await startAppInstances({ count: 2, env: {}, entry: FIXTURE });
    lb = await startHaproxy({ backends: apps, sticky: true });
  }, 30_000);

  // Every test starts from the same state (sticky, both instances running, ready and UP), whatever
  // the one before it left behind, so that each passes or fails alone (`jest -t`) and in any order.
  beforeEach(async () => {
    await lb.setSticky(true);
    for (const app of apps) {
      if (!isAlive(app.pid)) await app.restart();
      await lb.setServerState(app.name, 'ready');
    }
    await lb.waitForServerStatus('UP', apps.map((a) => a.name), 10_000);
  }, 20_000);

  afterAll(async () => {
    await lb?.stop();
    await Promise.all((apps ?? []).map((a) => a.stop()));
  });

  it('keeps a client that replays the SERVERID cookie on one backend', async () => {
    // Prepare
    const [first] = await hits(lb, 1);
    const cookie = first.setCookie;
    // Act
    const pinned = await hits(lb, 8, cookie);
    // Assess
    expect(cookie).toBe(`SERVERID=${first.instanceId}`);
    expect(await lb.isSticky()).toBe(true);
    expect(ids(pinned)).toEqual([first.instanceId]);
  });

  it('spreads the same client across both backends once stickiness is switched off at run time', async () => {
    // Prepare
    const [first] = await hits(lb, 1);
    const pid = lb.pid;
    // Act
    await lb.setSticky(false);
    const spread = await hits(lb, 8, first.setCookie);
    const sticky = await lb.isSticky();
    // Assess
    expect(sticky).toBe(false);
    expect(lb.pid).toBe(pid); // no restart
    expect(ids(spread)).toEqual(['app-1', 'app-2']);
    expect(spread.every((h) => h.setCookie === undefined)).toBe(true);
  });

  it('sends no traffic to a server in maintenance and redispatches its sticky clients', async () => {
    // Prepare
    const [first] = await hits(lb, 1);
    const other = first.instanceId === 'app-1' ? 'app-2' : 'app-1';
    // Act
    await lb.setServerState(first.instanceId, 'maint');
    const states = await lb.serverStates();
    const during = await hits(lb, 6, first.setCookie);
    // Assess
    expect(states).toEqual({ [first.instanceId]: 'MAINT', [other]: 'UP' });
    expect(ids(during)).toEqual([other]);
    expect(during[0].setCookie).toBe(`SERVERID=${other}`);
  });

  it('marks a killed instance DOWN, routes around it, and takes it back after a restart', async () => {
    // Prepare
    const [victim, survivor] = apps;
    const [pinned] = await hits(lb, 1, `SERVERID=${victim.name}`);
    // Act
    await victim.kill();
    await lb.waitForServerStatus('DOWN', [victim.name], 5000);
    const whileDown = await hits(lb, 6, `SERVERID=${victim.name}`);
    await victim.restart();
    await lb.waitForServerStatus('UP', [victim.name], 5000);
    const [back] = await hits(lb, 1, `SERVERID=${victim.name}`);
    // Assess
    expect(pinned.instanceId).toBe(victim.name);
    expect(ids(whileDown)).toEqual([survivor.name]);
    expect(back.instanceId).toBe(victim.name);
  });

  it('serves one request at a time per server with maxConnPerServer and queues the rest', async () => {
    // Prepare
    const limited = await startHaproxy({ backends: [apps[0]], sticky: false, maxConnPerServer: 1 });
    try {
      // Act
      const responses = await Promise.all(Array.from({ length: 4 }, () => httpGet(`${limited.url}/slow`, {}, 5000)));
      const stats = await limited.serverStats();
      // Assess
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect(stats[apps[0].name].slim).toBe('1');
      expect(stats[apps[0].name].smax).toBe('1');
      expect(Number(stats.BACKEND.qmax)).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.stop();
    }
  });

  it('lets every request reach a server at once without maxConnPerServer', async () => {
    // Prepare
    const unlimited = await startHaproxy({ backends: [apps[0]], sticky: false });
    try {
      // Act
      await Promise.all(Array.from({ length: 4 }, () => httpGet(`${unlimited.url}/slow`, {}, 5000)));
      const stats = await unlimited.serverStats();
      // Assess
      expect(stats[apps[0].name].smax).toBe('4');
      expect(stats.BACKEND.qmax).toBe('0');
    } finally {
      await unlimited.stop();
    }
  });

  it('rejects a maxConnPerServer below 1', async () => {
    // Act
    const attempt = startHaproxy({ backends: [{ name: 'a', host: '127.0.0.1', port: 1 }], sticky: false, maxConnPerServer: 0 });
    // Assess
    await expect(attempt).rejects.toThrow('startHaproxy: maxConnPerServer 0 is invalid: expected an integer >= 1');
  });

  it('rejects an invalid configuration with every problem listed', async () => {
    // Prepare
    const backends = [
      { name: 'bad name', host: '127.0.0.1', port: 1 },
      { name: 'ok', host: '127.0.0.1', port: 2 },
      { name: 'ok', host: '127.0.0.1', port: 3 },
    ];
    // Act
    const attempt = startHaproxy({ backends, sticky: false, cookieName: 'a;b' });
    // Assess
    await expect(attempt).rejects.toThrow(
      'startHaproxy: backend name "bad name" is invalid: expected letters, digits, _ . -; backend names must be unique; cookieName "a;b" is invalid',
    );
  });
});
