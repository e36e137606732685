import { runLoad } from '../../toolkit';

describe('runLoad', () => {
  it('sends exactly the requests asked for, spreads them over the workers and leaves the warm-up out', async () => {
    // Prepare
    const seen: Array<[number, number]> = [];

    // Act
    const result = await runLoad({ concurrency: 3, requests: 30, warmupPerWorker: 2, request: async (worker, sequence) => void seen.push([worker, sequence]) });

    // Assess
    expect(result.completed).toBe(30);
    expect(result.failed).toBe(0);
    expect(result.latency.count).toBe(30);
    expect(seen.filter(([, sequence]) => sequence < 0)).toHaveLength(6);
    expect(new Set(seen.filter(([, s]) => s >= 0).map(([, s]) => s)).size).toBe(30);
    expect(new Set(seen.map(([worker]) => worker))).toEqual(new Set([0, 1, 2]));
  });

  it('counts failures by message instead of aborting, and keeps them out of the latencies', async () => {
    // Act
    const result = await runLoad({
      concurrency: 2,
      requests: 10,
      request: async (_worker, sequence) => {
        if (sequence % 5 === 0) throw new Error('HTTP 503');
        if (sequence === 7) throw 'plain';
      },
    });

    // Assess
    expect(result).toMatchObject({ completed: 7, failed: 3, errors: { 'HTTP 503': 2, plain: 1 } });
    expect(result.latency.count).toBe(7);
  });

  it('stops at the deadline when no request count is given', async () => {
    // Act
    const result = await runLoad({ concurrency: 1, durationMs: 60, request: () => new Promise((resolve) => setTimeout(resolve, 10)) });

    // Assess: a few requests, never unbounded
    expect(result.completed).toBeGreaterThan(0);
    expect(result.completed).toBeLessThan(20);
  });

  it('refuses a run with neither a duration nor a request count', async () => {
    await expect(runLoad({ concurrency: 1, request: async () => undefined })).rejects.toThrow('runLoad needs durationMs or requests');
  });
});
