/**
 * A seeded generator (mulberry32) for bootstrap resampling: the same seed gives the same
 * confidence intervals on every machine, so a figure in a report can be reproduced.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The p-quantile (0..1) of sorted values, linear between neighbours. */
export function quantile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (h - lo);
}

/**
 * Percentile bootstrap: `stat(draw)` computes the statistic over one resample, where `draw()`
 * returns a uniformly drawn unit position in 0..n-1. Resamples whose statistic is undefined
 * (NaN: no variation in the resample) are dropped and counted.
 */
export function percentileInterval(
  n: number,
  resamples: number,
  seed: number,
  stat: (draw: () => number) => number,
  confidence = 0.95,
): { ci: [number, number] | null; used: number } {
  if (n < 2 || resamples <= 0) return { ci: null, used: 0 };
  const rng = seededRandom(seed);
  const draw = () => Math.floor(rng() * n);
  const values = new Float64Array(resamples);
  let used = 0;
  for (let b = 0; b < resamples; b++) {
    const v = stat(draw);
    if (!Number.isNaN(v)) values[used++] = v;
  }
  if (used < 2) return { ci: null, used };
  const sorted = values.subarray(0, used).sort();
  const tail = (1 - confidence) / 2;
  return { ci: [quantile(sorted, tail), quantile(sorted, 1 - tail)], used };
}
