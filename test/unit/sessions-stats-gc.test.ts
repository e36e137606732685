/**
 * `GET /session/stats` reads the heap after a full garbage collection when the process exposes
 * `gc()` (started with --expose-gc, as the lab's sessions-memory experiment does), and says so.
 */
import { bodyOf, startSessionInstance } from '../fixtures/sessions-app';

type GcHost = { gc?: () => void };

describe('sessionRoutes /session/stats', () => {
  const host = globalThis as GcHost;
  const original = host.gc;

  afterEach(() => {
    host.gc = original;
  });

  it('collects garbage before reading the heap when gc() is exposed', async () => {
    // Prepare
    const { app } = await startSessionInstance({ SESSION_STORE: 'memory', PATTERN_LAB_MODE: '1' }, 'unit-gc');
    const gc = jest.fn();
    host.gc = gc;

    // Act
    const stats = await bodyOf(await app.request('/session/stats'));

    // Assess
    expect(gc).toHaveBeenCalledTimes(1);
    expect(stats).toMatchObject({ strategy: 'memory', heapAfterGc: true });
  });

  it('reads the heap as it is when gc() is not exposed', async () => {
    // Prepare
    const { app } = await startSessionInstance({ SESSION_STORE: 'memory', PATTERN_LAB_MODE: '1' }, 'unit-gc');
    host.gc = undefined;

    // Act
    const stats = await bodyOf(await app.request('/session/stats'));

    // Assess
    expect(stats.heapAfterGc).toBe(false);
    expect(stats.heapUsedBytes).toBeGreaterThan(0);
  });
});
