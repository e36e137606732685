import { median, quantile, summarize } from '../../toolkit';

describe('quantile', () => {
  it('answers by nearest rank: always a value that was measured', () => {
    // Act / Assess
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.51)).toBe(3);
    expect(quantile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBe(90);
    expect(quantile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.91)).toBe(100);
  });

  it('reads the ends exactly and refuses what has no quantile', () => {
    expect(quantile([1, 5, 9], 0)).toBe(1);
    expect(quantile([1, 5, 9], 1)).toBe(9);
    expect(() => quantile([1], 1.5)).toThrow('quantile q=1.5: expected 0..1');
    expect(() => quantile([], 0.5)).toThrow('quantile of no values');
  });
});

describe('median', () => {
  it('takes the lower middle value of an even count and 0 for none', () => {
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([])).toBe(0);
  });
});

describe('summarize', () => {
  it('reports count, mean, p50/p90/p99 and max rounded to 0.01 ms', () => {
    // Prepare: 1..100 ms, shuffled
    const samples = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1 + 0.004);

    // Act
    const summary = summarize(samples);

    // Assess
    expect(summary).toEqual({ count: 100, mean: 50.5, p50: 50, p90: 90, p99: 99, max: 100 });
  });

  it('reports zeros for no samples', () => {
    expect(summarize([])).toEqual({ count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 });
  });
});
