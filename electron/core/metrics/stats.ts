/** Small statistics over counts: intervals for rates, a two-proportion test, histogram quantiles. */

/** Wilson score interval for k successes in n trials (z = 1.96: 95 %). */
export function wilson(k: number, n: number, z = 1.96): { rate: number | null; lo: number | null; hi: number | null } {
  if (n <= 0) return { rate: null, lo: null, hi: null };
  const p = k / n;
  const z2 = z * z;
  const den = 1 + z2 / n;
  const mid = (p + z2 / (2 * n)) / den;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / den;
  return { rate: p, lo: Math.max(0, mid - half), hi: Math.min(1, mid + half) };
}

/** z statistic of a two-proportion test (pooled); positive when a's rate is higher than b's. */
export function twoProportionZ(ka: number, na: number, kb: number, nb: number): number | null {
  if (na <= 0 || nb <= 0) return null;
  const p = (ka + kb) / (na + nb);
  const se = Math.sqrt(p * (1 - p) * (1 / na + 1 / nb));
  if (se === 0) return null;
  return (ka / na - kb / nb) / se;
}

/**
 * The q-quantile of a histogram, reported as the upper bound of the bucket it falls in (null past
 * the last bound: "more than the last bound").
 */
export function histogramQuantile(counts: number[], bounds: number[], q: number): { bucket: number; upperMs: number | null } | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const target = Math.ceil(q * total);
  let acc = 0;
  for (let i = 0; i < counts.length; i++) {
    acc += counts[i] ?? 0;
    if (acc >= target) return { bucket: i, upperMs: bounds[i] ?? null };
  }
  return { bucket: counts.length - 1, upperMs: null };
}

export const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
