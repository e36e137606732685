/**
 * `startAppInstances({ nodeArgs })`: node options reach the instance's process. Shown with the
 * real container server and `--expose-gc`, which makes `/session/stats` read the heap after a GC.
 */
import { startAppInstances, type AppInstance } from '../../harness/app-instances';
import { httpGet } from '../../harness/http-probe';

describe('startAppInstances nodeArgs', () => {
  let apps: AppInstance[] = [];

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
  });

  it('starts the node process with the given options, and without them by default', async () => {
    // Prepare
    const env = { SESSION_STORE: 'memory' };
    const [withGc] = await startAppInstances({ count: 1, namePrefix: 'gc', env, nodeArgs: ['--expose-gc'] });
    const [plain] = await startAppInstances({ count: 1, namePrefix: 'plain', env });
    apps = [withGc, plain];

    // Act
    const stats = await Promise.all(apps.map(async (app) => JSON.parse((await httpGet(`${app.url}/session/stats`)).body)));

    // Assess
    expect(stats.map((s) => [s.instanceId, s.heapAfterGc])).toEqual([
      ['gc-1', true],
      ['plain-1', false],
    ]);
  }, 60_000);
});
