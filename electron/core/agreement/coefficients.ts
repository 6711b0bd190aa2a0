/**
 * Agreement coefficients over plain arrays, so the same code runs over a local workspace's
 * imported verdicts and over a team queue's verdicts.
 *
 * Units are items; a unit's ratings are given as category counts: `counts[u * k + c]` is how
 * many reviewers put unit u in category c (k categories). Missing ratings are simply absent
 * from the counts, which is how Krippendorff's alpha handles missing data.
 */
import { percentileInterval } from './rng.ts';

/** One figure: the point estimate, its bootstrap interval and the evidence behind it. */
export interface Figure {
  /** null when undefined (fewer than two pairable units, or no variation at all). */
  value: number | null;
  /** 95 % percentile bootstrap interval over units; null when it cannot be formed. */
  ci: [number, number] | null;
  /** Units (items) with at least two ratings: the ones the figure rests on. */
  items: number;
  /** Ratings in those units. */
  ratings: number;
}

export interface BootstrapOptions {
  resamples: number;
  seed: number;
}

const nanToNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Per unit: its number of ratings m, its disagreement (m^2 - sum n_c^2)/(m-1) and agreement for Fleiss. */
interface UnitStats {
  units: Uint32Array;
  m: Float64Array;
  sumsq: Float64Array;
}

function unitStats(counts: Int32Array | Float64Array, k: number, units: ArrayLike<number>): UnitStats {
  const keep: number[] = [];
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    let m = 0;
    for (let c = 0; c < k; c++) m += counts[u * k + c]!;
    if (m >= 2) keep.push(u);
  }
  const out: UnitStats = { units: Uint32Array.from(keep), m: new Float64Array(keep.length), sumsq: new Float64Array(keep.length) };
  for (let i = 0; i < keep.length; i++) {
    const u = keep[i]!;
    let m = 0;
    let s = 0;
    for (let c = 0; c < k; c++) {
      const n = counts[u * k + c]!;
      m += n;
      s += n * n;
    }
    out.m[i] = m;
    out.sumsq[i] = s;
  }
  return out;
}

/**
 * Krippendorff's alpha, nominal metric: 1 - (n - 1) * sum_u D_u / (n^2 - sum_c n_c^2), where
 * D_u = (m_u^2 - sum_c n_uc^2) / (m_u - 1) is unit u's coincidences off the diagonal and n_c
 * the pairable values in category c (Krippendorff 2011, "Computing Krippendorff's
 * Alpha-Reliability", section C).
 */
function alphaOf(
  st: UnitStats,
  counts: Int32Array | Float64Array,
  k: number,
  pick: (i: number) => number,
  draws: number,
  nc: Float64Array,
): number {
  nc.fill(0);
  let n = 0;
  let d = 0;
  for (let j = 0; j < draws; j++) {
    const i = pick(j);
    const m = st.m[i]!;
    n += m;
    d += (m * m - st.sumsq[i]!) / (m - 1);
    const base = st.units[i]! * k;
    for (let c = 0; c < k; c++) nc[c]! += counts[base + c]!;
  }
  let sq = 0;
  for (let c = 0; c < k; c++) sq += nc[c]! * nc[c]!;
  const de = n * n - sq;
  return de === 0 ? NaN : 1 - ((n - 1) * d) / de;
}

/** Krippendorff's alpha (nominal) with a bootstrap interval over units. */
export function krippendorffAlpha(counts: Int32Array | Float64Array, k: number, units: ArrayLike<number>, boot: BootstrapOptions): Figure {
  const st = unitStats(counts, k, units);
  const nc = new Float64Array(k);
  const all = alphaOf(st, counts, k, (j) => j, st.units.length, nc);
  const ratings = st.m.reduce((a, b) => a + b, 0);
  const { ci } = percentileInterval(st.units.length, boot.resamples, boot.seed, (draw) => alphaOf(st, counts, k, draw, st.units.length, nc));
  return { value: nanToNull(all), ci, items: st.units.length, ratings };
}

/**
 * Fleiss' kappa generalised to a varying number of raters per unit: P_u = (sum_c n_uc^2 - m_u)
 * / (m_u (m_u - 1)), P-bar their mean, p_c = n_c / n and P-bar_e = sum_c p_c^2 (Fleiss 1971;
 * with a constant m it is the textbook formula).
 */
function fleissOf(st: UnitStats, counts: Int32Array | Float64Array, k: number, pick: (i: number) => number, draws: number, nc: Float64Array): number {
  nc.fill(0);
  let n = 0;
  let p = 0;
  for (let j = 0; j < draws; j++) {
    const i = pick(j);
    const m = st.m[i]!;
    n += m;
    p += (st.sumsq[i]! - m) / (m * (m - 1));
    const base = st.units[i]! * k;
    for (let c = 0; c < k; c++) nc[c]! += counts[base + c]!;
  }
  const pBar = p / draws;
  let pe = 0;
  for (let c = 0; c < k; c++) pe += (nc[c]! / n) ** 2;
  return pe === 1 ? NaN : (pBar - pe) / (1 - pe);
}

export function fleissKappa(counts: Int32Array | Float64Array, k: number, units: ArrayLike<number>, boot: BootstrapOptions): Figure & { pBar: number | null; pE: number | null } {
  const st = unitStats(counts, k, units);
  const nc = new Float64Array(k);
  const all = fleissOf(st, counts, k, (j) => j, st.units.length, nc);
  const ratings = st.m.reduce((a, b) => a + b, 0);
  const { ci } = percentileInterval(st.units.length, boot.resamples, boot.seed, (draw) => fleissOf(st, counts, k, draw, st.units.length, nc));
  // P-bar and P-bar_e of the full data, for reports that quote them (and the published example).
  let pBar = 0;
  for (let i = 0; i < st.units.length; i++) pBar += (st.sumsq[i]! - st.m[i]!) / (st.m[i]! * (st.m[i]! - 1));
  nc.fill(0);
  for (const u of st.units) for (let c = 0; c < k; c++) nc[c]! += counts[u * k + c]!;
  let pe = 0;
  for (let c = 0; c < k; c++) pe += (nc[c]! / ratings) ** 2;
  return {
    value: nanToNull(all),
    ci,
    items: st.units.length,
    ratings,
    pBar: st.units.length ? pBar / st.units.length : null,
    pE: st.units.length ? pe : null,
  };
}

/**
 * Cohen's kappa for two reviewers over the units both rated: `pairs[i] = a * k + b`, their
 * categories. kappa = (p_o - p_e) / (1 - p_e), p_e from the two reviewers' own marginals.
 */
function cohenOf(pairs: Uint32Array, k: number, pick: (i: number) => number, draws: number, row: Float64Array, col: Float64Array): number {
  row.fill(0);
  col.fill(0);
  let agree = 0;
  for (let j = 0; j < draws; j++) {
    const code = pairs[pick(j)]!;
    const a = Math.floor(code / k);
    const b = code - a * k;
    row[a]! += 1;
    col[b]! += 1;
    if (a === b) agree++;
  }
  let pe = 0;
  for (let c = 0; c < k; c++) pe += (row[c]! / draws) * (col[c]! / draws);
  return pe === 1 ? NaN : (agree / draws - pe) / (1 - pe);
}

export function cohenKappa(pairs: Uint32Array, k: number, boot: BootstrapOptions): Figure & { observed: number | null } {
  const row = new Float64Array(k);
  const col = new Float64Array(k);
  const n = pairs.length;
  const all = n === 0 ? NaN : cohenOf(pairs, k, (j) => j, n, row, col);
  let agree = 0;
  for (const code of pairs) if (Math.floor(code / k) === code % k) agree++;
  const { ci } = percentileInterval(n, boot.resamples, boot.seed, (draw) => cohenOf(pairs, k, draw, n, row, col));
  return { value: nanToNull(all), ci, items: n, ratings: 2 * n, observed: n ? agree / n : null };
}
