/**
 * Agreement coefficients over plain arrays, so the same code runs over a local workspace's
 * imported verdicts and over a team queue's verdicts.
 *
 * Units are items; a unit's ratings are given as category counts: `counts[u * k + c]` is how
 * many reviewers put unit u in category c (k categories). Missing ratings are simply absent
 * from the counts, which is how Krippendorff's alpha handles missing data.
 *
 * Every coefficient depends on a unit only through its count vector, so units are grouped into
 * the few distinct vectors ("patterns") first: the estimate and each bootstrap resample are
 * then sums over patterns, and a million items cost one pass.
 */
import { percentileInterval } from './rng.ts';
import type { Figure } from '../../shared/models/expert.ts';
export type { Figure };


export interface BootstrapOptions {
  resamples: number;
  seed: number;
}

const nanToNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Distinct count vectors of the pairable units (2+ ratings), with how many units have each. */
export interface Patterns {
  k: number;
  count: Float64Array;
  m: Float64Array;
  sumsq: Float64Array;
  cats: Float64Array;
  units: number;
  ratings: number;
}

/** Items that share one count vector (`counts[c]`: ratings in category c), and how many they are. */
export interface Pattern {
  counts: ArrayLike<number>;
  items: number;
}

/**
 * Patterns merged by vector, units with fewer than two ratings left out, in ascending order of
 * the vector: the order the bootstrap draws in, so the same ratings give the same interval
 * whichever way they were grouped (in SQL or here).
 */
export function patternsFrom(rows: Iterable<Pattern>, k: number): Patterns {
  const merged = new Map<string, { vec: number[]; n: number }>();
  for (const r of rows) {
    const vec = Array.from({ length: k }, (_, c) => r.counts[c] ?? 0);
    if (r.items <= 0 || vec.reduce((a, b) => a + b, 0) < 2) continue;
    const key = vec.join(',');
    const e = merged.get(key);
    if (e) e.n += r.items;
    else merged.set(key, { vec, n: r.items });
  }
  const list = [...merged.values()].sort((a, b) => {
    for (let c = 0; c < k; c++) if (a.vec[c] !== b.vec[c]) return a.vec[c]! - b.vec[c]!;
    return 0;
  });
  const P = list.length;
  const out: Patterns = { k, count: new Float64Array(P), m: new Float64Array(P), sumsq: new Float64Array(P), cats: new Float64Array(P * k), units: 0, ratings: 0 };
  list.forEach(({ vec, n }, p) => {
    out.count[p] = n;
    for (let c = 0; c < k; c++) {
      out.cats[p * k + c] = vec[c]!;
      out.m[p]! += vec[c]!;
      out.sumsq[p]! += vec[c]! * vec[c]!;
    }
    out.units += n;
    out.ratings += n * out.m[p]!;
  });
  return out;
}

/** Units' count vectors (`counts[u * k + c]`) grouped into patterns. */
function patternsOf(counts: ArrayLike<number>, k: number, units: ArrayLike<number>): Patterns {
  // A count vector as one number in base (largest count + 1): exact while it stays under 2^53.
  let max = 0;
  for (let i = 0; i < units.length; i++) for (let c = 0; c < k; c++) max = Math.max(max, counts[units[i]! * k + c]!);
  const base = max + 1;
  const numeric = k * Math.log2(base) < 52;
  const index = new Map<number | string, number>();
  const rows: { counts: number[]; items: number }[] = [];
  const vec = new Array<number>(k);
  for (let i = 0; i < units.length; i++) {
    const at = units[i]! * k;
    let m = 0;
    let key = 0;
    for (let c = 0; c < k; c++) {
      const n = (vec[c] = counts[at + c]!);
      m += n;
      key = key * base + n;
    }
    if (m < 2) continue;
    const id = numeric ? key : vec.join(',');
    const p = index.get(id);
    if (p !== undefined) rows[p]!.items++;
    else {
      index.set(id, rows.length);
      rows.push({ counts: [...vec], items: 1 });
    }
  }
  return patternsFrom(rows, k);
}

/**
 * Krippendorff's alpha, nominal metric: 1 - (n - 1) * sum_u D_u / (n^2 - sum_c n_c^2), where
 * D_u = (m_u^2 - sum_c n_uc^2) / (m_u - 1) is unit u's coincidences off the diagonal and n_c
 * the pairable values in category c (Krippendorff 2011, "Computing Krippendorff's
 * Alpha-Reliability", section C).
 */
function alphaOf(pt: Patterns, w: Float64Array, nc: Float64Array): number {
  const k = pt.k;
  nc.fill(0);
  let n = 0;
  let d = 0;
  for (let p = 0; p < w.length; p++) {
    const x = w[p]!;
    if (x === 0) continue;
    const m = pt.m[p]!;
    n += x * m;
    d += (x * (m * m - pt.sumsq[p]!)) / (m - 1);
    for (let c = 0; c < k; c++) nc[c]! += x * pt.cats[p * k + c]!;
  }
  let sq = 0;
  for (let c = 0; c < k; c++) sq += nc[c]! * nc[c]!;
  const de = n * n - sq;
  return de === 0 ? NaN : 1 - ((n - 1) * d) / de;
}

/** Krippendorff's alpha (nominal) with a bootstrap interval over units. */
export function krippendorffAlpha(counts: ArrayLike<number>, k: number, units: ArrayLike<number>, boot: BootstrapOptions): Figure {
  return alphaOfPatterns(patternsOf(counts, k, units), boot);
}

export function alphaOfPatterns(pt: Patterns, boot: BootstrapOptions): Figure {
  const k = pt.k;
  const nc = new Float64Array(k);
  const value = alphaOf(pt, pt.count, nc);
  const ci = percentileInterval(pt.count, boot.resamples, boot.seed, (w) => alphaOf(pt, w, nc));
  return { value: nanToNull(value), ci, items: pt.units, ratings: pt.ratings };
}

/**
 * Fleiss' kappa generalised to a varying number of raters per unit: P_u = (sum_c n_uc^2 - m_u)
 * / (m_u (m_u - 1)), P-bar their mean, p_c = n_c / n and P-bar_e = sum_c p_c^2 (Fleiss 1971;
 * with a constant m it is the textbook formula).
 */
function fleissParts(pt: Patterns, w: Float64Array, nc: Float64Array): { pBar: number; pE: number } {
  const k = pt.k;
  nc.fill(0);
  let units = 0;
  let n = 0;
  let agree = 0;
  for (let p = 0; p < w.length; p++) {
    const x = w[p]!;
    if (x === 0) continue;
    const m = pt.m[p]!;
    units += x;
    n += x * m;
    agree += (x * (pt.sumsq[p]! - m)) / (m * (m - 1));
    for (let c = 0; c < k; c++) nc[c]! += x * pt.cats[p * k + c]!;
  }
  let pE = 0;
  for (let c = 0; c < k; c++) pE += (nc[c]! / n) ** 2;
  return { pBar: agree / units, pE };
}

function fleissOf(pt: Patterns, w: Float64Array, nc: Float64Array): number {
  const { pBar, pE } = fleissParts(pt, w, nc);
  return pE === 1 ? NaN : (pBar - pE) / (1 - pE);
}

export function fleissKappa(
  counts: ArrayLike<number>,
  k: number,
  units: ArrayLike<number>,
  boot: BootstrapOptions,
): Figure & { pBar: number | null; pE: number | null } {
  return fleissOfPatterns(patternsOf(counts, k, units), boot);
}

export function fleissOfPatterns(pt: Patterns, boot: BootstrapOptions): Figure & { pBar: number | null; pE: number | null } {
  const nc = new Float64Array(pt.k);
  const value = fleissOf(pt, pt.count, nc);
  const { pBar, pE } = fleissParts(pt, pt.count, nc);
  const ci = percentileInterval(pt.count, boot.resamples, boot.seed, (w) => fleissOf(pt, w, nc));
  return { value: nanToNull(value), ci, items: pt.units, ratings: pt.ratings, pBar: nanToNull(pBar), pE: nanToNull(pE) };
}

/**
 * Cohen's kappa for two reviewers over the units both rated, from their k x k table of
 * categories (`table[a * k + b]`: units reviewer one put in a and reviewer two in b).
 * kappa = (p_o - p_e) / (1 - p_e), p_e from the two reviewers' own marginals.
 */
function cohenOf(k: number, w: Float64Array, row: Float64Array, col: Float64Array): number {
  row.fill(0);
  col.fill(0);
  let n = 0;
  let agree = 0;
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) {
      const x = w[a * k + b]!;
      row[a]! += x;
      col[b]! += x;
      n += x;
      if (a === b) agree += x;
    }
  let pe = 0;
  for (let c = 0; c < k; c++) pe += (row[c]! / n) * (col[c]! / n);
  return pe === 1 ? NaN : (agree / n - pe) / (1 - pe);
}

export function cohenKappa(table: Float64Array, k: number, boot: BootstrapOptions): Figure & { observed: number | null } {
  const row = new Float64Array(k);
  const col = new Float64Array(k);
  let n = 0;
  let agree = 0;
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) {
      n += table[a * k + b]!;
      if (a === b) agree += table[a * k + b]!;
    }
  const value = n === 0 ? NaN : cohenOf(k, table, row, col);
  const ci = percentileInterval(table, boot.resamples, boot.seed, (w) => cohenOf(k, w, row, col));
  return { value: nanToNull(value), ci, items: n, ratings: 2 * n, observed: n ? agree / n : null };
}
