/**
 * The container app mounts the lab-only routes (`/work`, `/session/stats`) only when told it runs
 * in the lab; a deployed task answers 404 on them. No engine is touched: memory sessions only.
 */
import { buildContainerApp, type ContainerApp } from '../../lambdas/server/container-server';
import { readRuntimeConfig } from '../../lambdas/config/runtime-sections';

const BASE_ENV = { INSTANCE_ID: 'container-unit', SESSION_STORE: 'memory' };

describe('buildContainerApp lab-only routes', () => {
  const built: ContainerApp[] = [];
  const build = async (env: Record<string, string>) => {
    const container = await buildContainerApp(readRuntimeConfig(env));
    built.push(container);
    return container.app;
  };

  afterAll(async () => {
    await Promise.all(built.map((c) => c.clients.close()));
  });

  it('answers 404 on /work and /session/stats without PATTERN_LAB_MODE', async () => {
    // Prepare
    const app = await build(BASE_ENV);

    // Act
    const work = await app.request('/work?cpuMs=100');
    const stats = await app.request('/session/stats');
    const session = await app.request('/session');

    // Assess
    expect(work.status).toBe(404);
    expect(stats.status).toBe(404);
    expect(session.status).toBe(200);
  });

  it('serves them with PATTERN_LAB_MODE=1', async () => {
    // Prepare
    const app = await build({ ...BASE_ENV, PATTERN_LAB_MODE: '1' });

    // Act
    const work = await app.request('/work?ioMs=1');
    const stats = await app.request('/session/stats');

    // Assess
    expect(work.status).toBe(200);
    expect(stats.status).toBe(200);
  });

  it('refuses to start with an invalid PATTERN_LAB_MODE rather than guess', async () => {
    await expect(buildContainerApp(readRuntimeConfig({ ...BASE_ENV, PATTERN_LAB_MODE: 'true' }))).rejects.toThrow(
      'PATTERN_LAB_MODE: got "true"; allowed: 0, 1',
    );
  });
});
