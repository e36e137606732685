import { formatRatio, formatStats, ratio, ratioAcrossRounds, runStats } from '../../bench/stats';
import { quantile } from '../../toolkit';

describe('bench stats', () => {
  it('takes the median and spread of an odd number of runs', () => {
    // Act
    const stats = runStats([12, 10, 11]);

    // Assess
    // Nearest rank: with three runs the quartiles are the lowest and the highest run.
    expect(stats).toEqual({ median: 11, min: 10, max: 12, iqr: 2, runs: 3, values: [12, 10, 11] });
  });

  it('takes the median and quartiles of an even number of runs by nearest rank (measured values only)', () => {
    // Act
    const stats = runStats([4, 1, 3, 2]);

    // Assess
    expect(stats.median).toBe(2);
    expect(stats.iqr).toBe(3 - 1);
  });

  it('refuses no runs and non-finite values', () => {
    expect(() => runStats([])).toThrow('runStats needs at least one value');
    expect(() => runStats([1, Number.NaN])).toThrow('not a finite number');
  });

  it('reads quantiles at the ends exactly', () => {
    expect(quantile([1, 5, 9], 0)).toBe(1);
    expect(quantile([1, 5, 9], 1)).toBe(9);
    expect(() => quantile([1], 1.5)).toThrow('expected 0..1');
  });

  it('says whether a ratio meets its target, boundary included', () => {
    expect(ratio(150, 100, 1.5)).toEqual({ value: 1.5, target: 1.5, meetsTarget: true });
    expect(ratio(151, 100, 1.5).meetsTarget).toBe(false);
    expect(ratio(3, 2)).toEqual({ value: 1.5 });
    expect(() => ratio(1, 0)).toThrow('baseline must be > 0');
  });

  it('takes the median of per-round ratios, with their spread and verdict', () => {
    // Act
    const across = ratioAcrossRounds([1.2, 1.6, 1.4], 1.5);

    // Assess
    expect(across).toEqual({ value: 1.4, min: 1.2, max: 1.6, target: 1.5, meetsTarget: true });
    expect(ratioAcrossRounds([1.6, 1.55, 1.2], 1.5).meetsTarget).toBe(false);
    expect(formatRatio(across)).toBe('1.40x (rounds 1.20–1.60) ✔ (target ≤ 1.5x)');
  });

  it('formats figures with their spread and ratios with their verdict', () => {
    expect(formatStats(runStats([2, 1, 3]), 'ms', 1)).toBe('2.0 ms (1.0–3.0)');
    expect(formatStats(runStats([2]), 's')).toBe('2.00 s');
    expect(formatRatio(ratio(3, 1, 2))).toBe('3.00x ✘ (target ≤ 2x)');
    expect(formatRatio(ratio(1, 1))).toBe('1.00x');
  });
});
