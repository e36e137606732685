import { bestHitRatio, seededRandom, zipfSequence } from '../../lab/cache-aside-workload';

describe('seededRandom', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    // Act
    const a = Array.from({ length: 1000 }, seededRandom(7));
    const b = Array.from({ length: 1000 }, seededRandom(7));
    const c = Array.from({ length: 1000 }, seededRandom(8));

    // Assess
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('zipfSequence', () => {
  it('draws ranks in 1..items, the same for the same seed', () => {
    // Act
    const first = zipfSequence({ items: 50, s: 1, count: 2000, seed: 1 });
    const again = zipfSequence({ items: 50, s: 1, count: 2000, seed: 1 });

    // Assess
    expect(first).toEqual(again);
    expect(Math.min(...first)).toBe(1);
    expect(Math.max(...first)).toBeLessThanOrEqual(50);
    expect(first.every(Number.isInteger)).toBe(true);
  });

  it('follows 1/k^s: rank 1 is drawn about twice as often as rank 2 and ten times as often as rank 10 for s = 1', () => {
    // Act
    const ranks = zipfSequence({ items: 100, s: 1, count: 200_000, seed: 3 });
    const frequency = (rank: number) => ranks.filter((r) => r === rank).length;

    // Assess
    expect(frequency(1) / frequency(2)).toBeCloseTo(2, 0);
    expect(frequency(1) / frequency(10)).toBeGreaterThan(8.5);
    expect(frequency(1) / frequency(10)).toBeLessThan(11.5);
  });

  it('is uniform for s = 0', () => {
    // Act
    const ranks = zipfSequence({ items: 4, s: 0, count: 40_000, seed: 5 });

    // Assess
    for (let rank = 1; rank <= 4; rank += 1) {
      expect(ranks.filter((r) => r === rank).length / ranks.length).toBeCloseTo(0.25, 1);
    }
  });

  it('refuses a non-positive item count', () => {
    // Act & Assess
    expect(() => zipfSequence({ items: 0, s: 1, count: 1, seed: 1 })).toThrow('items=0: expected an integer >= 1');
  });
});

describe('bestHitRatio', () => {
  it('counts every read after the first of each item as a possible hit', () => {
    // Act & Assess
    expect(bestHitRatio([1, 1, 2, 1, 3, 2])).toBe(0.5);
    expect(bestHitRatio([])).toBe(0);
  });
});
