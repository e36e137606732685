import { once } from '../../lambdas/core/once';

describe('once', () => {
  it('builds once and shares the result, concurrent first calls included', async () => {
    // Prepare
    let builds = 0;
    const get = once(async () => ++builds);

    // Act
    const results = await Promise.all([get(), get(), get()]);

    // Assess
    expect(results).toEqual([1, 1, 1]);
    expect(await get()).toBe(1);
    expect(builds).toBe(1);
  });

  it('never caches a failure: the next call builds again', async () => {
    // Prepare
    let builds = 0;
    const get = once(async () => {
      builds += 1;
      if (builds === 1) throw new Error('database still starting');
      return 'pool';
    });

    // Act / Assess
    await expect(get()).rejects.toThrow('database still starting');
    await expect(get()).resolves.toBe('pool');
    await expect(get()).resolves.toBe('pool');
    expect(builds).toBe(2);
  });
});
