/**
 * The skewed read workload of the `cache-aside` experiment: profile ranks drawn from a Zipf
 * distribution (rank k has weight 1/k^s, as popularity usually falls off), from a seeded generator,
 * so that the cached run and the no-cache baseline read exactly the same sequence.
 */

/** mulberry32: a small, fast, seedable PRNG; uniform in [0, 1). Not for anything secret. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` ranks in 1..items, Zipf-distributed with exponent `s` (1 = classic Zipf).
 *
 * @example
 * zipfSequence({ items: 1000, s: 1, count: 5, seed: 42 }); // e.g. [3, 1, 250, 1, 17]
 */
export function zipfSequence(options: { readonly items: number; readonly s: number; readonly count: number; readonly seed: number }): number[] {
  const { items, s, count, seed } = options;
  if (!Number.isInteger(items) || items < 1) throw new Error(`items=${items}: expected an integer >= 1`);
  const cumulative = new Float64Array(items);
  let total = 0;
  for (let k = 1; k <= items; k += 1) {
    total += 1 / k ** s;
    cumulative[k - 1] = total;
  }
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const target = random() * total;
    let low = 0;
    let high = items - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (cumulative[middle] <= target) low = middle + 1;
      else high = middle;
    }
    return low + 1;
  });
}

/** Hits the workload can get at best: every read but the first of each distinct item. */
export function bestHitRatio(ranks: readonly number[]): number {
  return ranks.length === 0 ? 0 : (ranks.length - new Set(ranks).size) / ranks.length;
}
