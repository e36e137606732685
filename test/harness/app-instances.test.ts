import * as path from 'node:path';
import { startAppInstances, type AppInstance } from '../../harness/app-instances';
import { httpGet } from '../../harness/http-probe';
import { runningProcesses } from '../../harness/processes';

const FIXTURES = path.join(__dirname, 'fixtures');

async function whoami(instance: AppInstance): Promise<{ instanceId: string; tier: string; servedBy: unknown }> {
  const response = await httpGet(`${instance.url}/whoami`);
  return { ...(JSON.parse(response.body) as { instanceId: string; tier: string }), servedBy: response.headers['x-served-by'] };
}

describe('startAppInstances', () => {
  let apps: AppInstance[];

  beforeAll(async () => {
    apps = await startAppInstances({
      count: 3,
      namePrefix: 'web',
      entry: path.join(FIXTURES, 'instance-server.ts'),
      env: { PATTERN_TIER: 'fargate', INSTANCE_ID: 'ignored' },
    });
  }, 30_000);

  afterAll(async () => {
    await Promise.all((apps ?? []).map((a) => a.stop()));
  });

  it('starts N named instances on distinct ports, each answering with its own INSTANCE_ID', async () => {
    // Prepare / Act
    const answers = await Promise.all(apps.map(whoami));
    // Assess
    expect(apps.map((a) => a.name)).toEqual(['web-1', 'web-2', 'web-3']);
    expect(new Set(apps.map((a) => a.port)).size).toBe(3);
    expect(answers).toEqual([
      { instanceId: 'web-1', tier: 'fargate', servedBy: 'web-1' },
      { instanceId: 'web-2', tier: 'fargate', servedBy: 'web-2' },
      { instanceId: 'web-3', tier: 'fargate', servedBy: 'web-3' },
    ]);
  });

  it('refuses connections after a kill and serves again, with a new pid, after a restart', async () => {
    // Prepare
    const instance = apps[1];
    const oldPid = instance.pid;
    // Act
    await instance.kill();
    const whileDown = httpGet(`${instance.url}/whoami`);
    await expect(whileDown).rejects.toThrow(/ECONNREFUSED/);
    await instance.restart();
    const answer = await whoami(instance);
    // Assess
    expect(instance.pid).not.toBe(oldPid);
    expect(answer.instanceId).toBe('web-2');
    expect(runningProcesses().some((p) => p.pid === oldPid)).toBe(false);
  });

  it('reports the log of an instance that dies during startup', async () => {
    // Prepare
    const entry = path.join(FIXTURES, 'crashing-server.ts');
    // Act
    const attempt = startAppInstances({ count: 1, env: {}, entry });
    // Assess
    await expect(attempt).rejects.toThrow(/app-1 \(pid \d+\) exited during startup[\s\S]*missing configuration XYZ_REQUIRED/);
  });
});
