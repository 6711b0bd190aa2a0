/**
 * Seeded randomness for the bootstrap: the same seed gives the same confidence intervals on
 * every machine, so a figure in a report can be reproduced.
 */

/** mulberry32: small, fast, well-distributed 32-bit generator. */
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

function standardNormal(rng: () => number): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/**
 * A Binomial(n, p) draw. Exact (geometric waiting times) while the expected count of the rarer
 * outcome is under 30; above that, the normal approximation with continuity rounding, whose
 * error is far below the bootstrap's own.
 */
export function binomial(rng: () => number, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(rng, n, 1 - p);
  const mean = n * p;
  if (mean < 30) {
    const logQ = Math.log(1 - p);
    let x = 0;
    let pos = 0;
    for (;;) {
      let u = rng();
      while (u === 0) u = rng();
      pos += Math.floor(Math.log(u) / logQ) + 1;
      if (pos > n) return x;
      x++;
    }
  }
  const x = Math.round(mean + Math.sqrt(mean * (1 - p)) * standardNormal(rng));
  return x < 0 ? 0 : x > n ? n : x;
}

/**
 * Resampling N units with replacement, when units come in P distinct patterns with `counts`:
 * the number of draws of each pattern is Multinomial(N, counts / N), drawn as conditional
 * binomials. Equal in distribution to drawing unit indices, at O(P) instead of O(N) per resample.
 */
export function multinomialInto(rng: () => number, counts: Float64Array, total: number, out: Float64Array): void {
  let left = total;
  let mass = total;
  for (let i = 0; i < counts.length; i++) {
    if (left === 0 || mass <= 0) {
      out[i] = 0;
      continue;
    }
    const x = i === counts.length - 1 ? left : binomial(rng, left, Math.min(1, counts[i]! / mass));
    out[i] = x;
    left -= x;
    mass -= counts[i]!;
  }
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
 * Percentile bootstrap over units grouped in patterns: `stat(weights)` computes the statistic
 * with each pattern counted `weights[i]` times. Resamples whose statistic is undefined (NaN: no
 * variation in the resample) are dropped.
 */
export function percentileInterval(
  counts: Float64Array,
  resamples: number,
  seed: number,
  stat: (weights: Float64Array) => number,
  confidence = 0.95,
): [number, number] | null {
  let total = 0;
  for (const c of counts) total += c;
  if (total < 2 || resamples <= 0) return null;
  const rng = seededRandom(seed);
  const weights = new Float64Array(counts.length);
  const values = new Float64Array(resamples);
  let used = 0;
  for (let b = 0; b < resamples; b++) {
    multinomialInto(rng, counts, total, weights);
    const v = stat(weights);
    if (!Number.isNaN(v)) values[used++] = v;
  }
  if (used < 2) return null;
  const sorted = values.subarray(0, used).sort();
  const tail = (1 - confidence) / 2;
  return [quantile(sorted, tail), quantile(sorted, 1 - tail)];
}
