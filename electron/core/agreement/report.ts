/**
 * The agreement report: Krippendorff's alpha on the decision (overall, per route, per period),
 * per-label binary alpha for the multi-label sets, Cohen's kappa per reviewer pair and Fleiss'
 * kappa per route, each with its bootstrap interval and the items behind it.
 *
 * Input is plain ratings (one per item and reviewer: the reviewer's standing decision), so the
 * same function serves a local workspace (imported verdicts) and a team queue; or the same
 * ratings already grouped into patterns (RatingPatterns: SQL does the grouping at a million
 * ratings). Both forms give the same report, bootstrap intervals included: every figure is
 * computed from the patterns, taken in a canonical order.
 */
import { alphaOfPatterns, cohenKappa, fleissOfPatterns, patternsFrom, type BootstrapOptions, type Figure, type Pattern } from './coefficients.ts';
import type { AgreementReport } from '../../shared/models/expert.ts';
import type { RatingColumns, RatingPatterns } from '../../../db/queries/agreement.ts';
export type { AgreementReport, RatingColumns, RatingPatterns };

export interface Rating {
  /** Any stable item key; ratings of one item must be adjacent or not, either works. */
  item: number;
  reviewer: string;
  decision: string;
  labels: readonly string[];
  route: string;
  /** The period the rating falls in (for example its month, YYYY-MM); an item's period is its earliest. */
  period: string;
}

export interface AgreementOptions {
  resamples?: number;
  seed?: number;
}


const DEFAULT_RESAMPLES = 200;
const DEFAULT_SEED = 20111;

function indexOf<T>(map: Map<T, number>, key: T): number {
  let i = map.get(key);
  if (i === undefined) {
    i = map.size;
    map.set(key, i);
  }
  return i;
}

/** Plain ratings as columns (the form the SQL read produces), dictionaries in order of first appearance. */
export function ratingColumnsOf(ratings: readonly Rating[]): RatingColumns {
  const dict = () => {
    const index = new Map<string, number>();
    const values: string[] = [];
    return { values, of: (v: string) => index.get(v) ?? (index.set(v, values.length), values.push(v) - 1) };
  };
  const [reviewers, decisions, labelSets, routes, periods] = [dict(), dict(), dict(), dict(), dict()];
  const n = ratings.length;
  const cols: RatingColumns = {
    length: n,
    item: new Int32Array(n),
    reviewer: new Uint32Array(n),
    decision: new Uint8Array(n),
    labelSet: new Uint32Array(n),
    route: new Uint32Array(n),
    period: new Uint32Array(n),
    reviewers: reviewers.values,
    decisions: decisions.values,
    labelSets: [],
    routes: routes.values,
    periods: periods.values,
  };
  const sets: string[][] = [];
  for (let r = 0; r < n; r++) {
    const x = ratings[r]!;
    cols.item[r] = x.item;
    cols.reviewer[r] = reviewers.of(x.reviewer);
    cols.decision[r] = decisions.of(x.decision);
    const key = JSON.stringify(x.labels);
    const li = labelSets.of(key);
    if (li === sets.length) sets.push([...x.labels]);
    cols.labelSet[r] = li;
    cols.route[r] = routes.of(x.route);
    cols.period[r] = periods.of(x.period);
  }
  cols.labelSets = sets;
  return cols;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Ratings grouped into patterns here, as ratingPatterns (db/queries/agreement.ts) groups them in SQL. */
export function patternsOfColumns(cols: RatingColumns): RatingPatterns {
  const n = cols.length;
  const K = cols.decisions.length;
  // Ratings grouped by item (a counting sort of positions, stable): items need not be adjacent.
  const items = new Map<number, number>();
  const unitOf = new Uint32Array(n);
  for (let r = 0; r < n; r++) unitOf[r] = indexOf(items, cols.item[r]!);
  const U = items.size;
  const start = new Uint32Array(U + 1);
  for (const u of unitOf) start[u + 1]!++;
  for (let u = 0; u < U; u++) start[u + 1]! += start[u]!;
  const order = new Uint32Array(n);
  const fill = start.slice(0, U);
  for (let r = 0; r < n; r++) order[fill[unitOf[r]!]!++] = r;

  // Keys from dictionary indexes (a period's rank stands for its text in the min), objects only per new pattern.
  const periodRank = new Uint32Array(cols.periods.length);
  cols.periods.map((p, i) => [p, i] as const).sort((a, b) => byText(a[0], b[0])).forEach(([, i], rank) => (periodRank[i] = rank));
  let most = 0;
  for (let u = 0; u < U; u++) most = Math.max(most, start[u + 1]! - start[u]!);
  const rs = new Uint32Array(most);
  const sets = new Uint32Array(most);
  const units = new Map<string, RatingPatterns['units'][number]>();
  const labels = new Map<string, RatingPatterns['labels'][number]>();
  const raters = new Map<string, RatingPatterns['raters'][number]>();
  const counts = new Array<number>(K);
  for (let u = 0; u < U; u++) {
    const m = start[u + 1]! - start[u]!;
    // The unit's ratings by reviewer (insertion sort: units are small).
    for (let i = 0; i < m; i++) {
      const r = order[start[u]! + i]!;
      let j = i;
      for (; j > 0 && cols.reviewer[rs[j - 1]!]! > cols.reviewer[r]!; j--) rs[j] = rs[j - 1]!;
      rs[j] = r;
    }
    counts.fill(0);
    let first = rs[0]!;
    let nsets = 0;
    let rk = '';
    for (let i = 0; i < m; i++) {
      const r = rs[i]!;
      counts[cols.decision[r]!]!++;
      if (periodRank[cols.period[r]!]! < periodRank[cols.period[first]!]!) first = r;
      rk += `${cols.reviewer[r]}:${cols.decision[r]};`;
      const l = cols.labelSet[r]!;
      if (cols.labelSets[l]!.length > 0) {
        let j = nsets++;
        for (; j > 0 && sets[j - 1]! > l; j--) sets[j] = sets[j - 1]!;
        sets[j] = l;
      }
    }
    const uk = `${cols.route[rs[0]!]}:${cols.period[first]}:${counts.join(',')}`;
    const ue = units.get(uk);
    if (ue) ue.items++;
    else units.set(uk, { route: cols.routes[cols.route[rs[0]!]!]!, period: cols.periods[cols.period[first]!]!, counts: [...counts], items: 1 });
    if (nsets) {
      const lk = `${m}:${sets.subarray(0, nsets).join(',')}`;
      const le = labels.get(lk);
      if (le) le.items++;
      else labels.set(lk, { m, sets: Array.from(sets.subarray(0, nsets), (l) => [...cols.labelSets[l]!]), items: 1 });
    }
    const re = raters.get(rk);
    if (re) re.items++;
    else raters.set(rk, { ratings: Array.from(rs.subarray(0, m), (r) => [cols.reviewers[cols.reviewer[r]!]!, cols.decisions[cols.decision[r]!]!] as [string, string]), items: 1 });
  }
  return { decisions: [...cols.decisions], units: [...units.values()], labels: [...labels.values()], raters: [...raters.values()] };
}

function isPatterns(input: readonly Rating[] | RatingColumns | RatingPatterns): input is RatingPatterns {
  return !Array.isArray(input) && 'units' in input;
}

export function agreementReport(input: readonly Rating[] | RatingColumns | RatingPatterns, options: AgreementOptions = {}): AgreementReport {
  const pt = isPatterns(input) ? input : patternsOfColumns(Array.isArray(input) ? ratingColumnsOf(input as readonly Rating[]) : (input as RatingColumns));
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? DEFAULT_SEED;
  const boot: BootstrapOptions = { resamples, seed };

  // The decisions given at all, in name order: the categories of every vector and table below.
  const totals = new Map<string, number>();
  for (const u of pt.units) pt.decisions.forEach((d, c) => totals.set(d, (totals.get(d) ?? 0) + u.counts[c]! * u.items));
  const decisions = [...totals.entries()].filter(([, t]) => t > 0).map(([d]) => d).sort(byText);
  const K = Math.max(decisions.length, 1);
  const column = new Map(decisions.map((d, i) => [d, i]));
  const units = pt.units.map((u) => {
    const counts = new Array<number>(K).fill(0);
    pt.decisions.forEach((d, c) => {
      if (u.counts[c]) counts[column.get(d)!] = u.counts[c]!;
    });
    return { route: u.route, period: u.period, counts, items: u.items };
  });
  const figures = (rows: Pattern[]) => {
    const patterns = patternsFrom(rows, K);
    return { alpha: alphaOfPatterns(patterns, boot), fleiss: strip(fleissOfPatterns(patterns, boot)) };
  };
  const groups = (key: (u: (typeof units)[number]) => string) => {
    const g = new Map<string, Pattern[]>();
    for (const u of units) {
      const list = g.get(key(u));
      if (list) list.push(u);
      else g.set(key(u), [u]);
    }
    return [...g.entries()].sort((a, b) => byText(a[0], b[0]));
  };
  const byRoute = groups((u) => u.route).map(([route, rows]) => ({ route, ...figures(rows) }));
  const byPeriod = groups((u) => u.period).map(([period, rows]) => ({ period, alpha: alphaOfPatterns(patternsFrom(rows, K), boot) }));
  const overall = figures(units);
  const { byPair, byReviewer, reviewers } = pairFigures(pt.raters, column, K, boot);
  return {
    method: {
      alpha: 'Krippendorff nominal (missing data allowed)',
      kappa: 'Cohen per reviewer pair; Fleiss per route (varying raters per item)',
      interval: `95% percentile bootstrap over items, ${resamples} resamples, seed ${seed}`,
      resampling: 'items drawn with replacement, as multinomial counts of their distinct rating patterns (binomial draws exact under 30 expected, normal approximation above)',
      resamples,
      seed,
    },
    items: overall.alpha.items,
    ratings: overall.alpha.ratings,
    reviewers,
    decisions,
    overall,
    byRoute,
    byLabel: labelFigures(pt, units, boot),
    byPair,
    byReviewer,
    byPeriod,
  };
}

/**
 * Per label, a binary rating per reviewer (the label given or not) over every rated item: an
 * item with m ratings of which h carry the label is the vector (m - h, h). Items with no
 * labelled rating are (m, 0) for every label; they are counted from the units by m.
 */
function labelFigures(pt: RatingPatterns, units: { counts: number[]; items: number }[], boot: BootstrapOptions): AgreementReport['byLabel'] {
  const byM = new Map<number, number>();
  let total = 0;
  for (const u of units) {
    const m = u.counts.reduce((a, b) => a + b, 0);
    byM.set(m, (byM.get(m) ?? 0) + u.items);
    if (m >= 2) total += m * u.items;
  }
  const names = [...new Set(pt.labels.flatMap((l) => l.sets.flat()))].sort(byText);
  return names.map((label) => {
    const rows = new Map<string, Pattern & { counts: number[] }>();
    const none = new Map(byM);
    let given = 0;
    for (const l of pt.labels) {
      let h = 0;
      for (const set of l.sets) for (const x of set) if (x === label) h++;
      if (h === 0) continue;
      none.set(l.m, none.get(l.m)! - l.items);
      if (l.m >= 2) given += h * l.items;
      const key = `${l.m - h},${h}`;
      const row = rows.get(key);
      if (row) row.items += l.items;
      else rows.set(key, { counts: [l.m - h, h], items: l.items });
    }
    const all = [...rows.values(), ...[...none].map(([m, items]) => ({ counts: [m, 0], items }))];
    return { label, alpha: alphaOfPatterns(patternsFrom(all, 2), boot), prevalence: total ? given / total : 0 };
  });
}

function strip(f: Figure & { pBar: number | null; pE: number | null }): Figure {
  return { value: f.value, ci: f.ci, items: f.items, ratings: f.ratings };
}

/** Cohen's kappa for every pair of reviewers who rated an item in common, and each reviewer's pairwise agreement. */
function pairFigures(
  raters: RatingPatterns['raters'],
  column: Map<string, number>,
  k: number,
  boot: BootstrapOptions,
): Pick<AgreementReport, 'byPair' | 'byReviewer' | 'reviewers'> {
  const pairs = new Map<string, { a: string; b: string; table: Float64Array }>();
  const stats = new Map<string, { items: number; agree: number; paired: number }>();
  const seen = new Set<string>();
  for (const { ratings, items } of raters) {
    for (const [who] of ratings) seen.add(who);
    if (ratings.length < 2) continue;
    const sorted = [...ratings].sort((x, y) => byText(x[0], y[0]));
    for (const [who] of sorted) {
      const s = stats.get(who) ?? { items: 0, agree: 0, paired: 0 };
      s.items += items;
      stats.set(who, s);
    }
    for (let i = 0; i < sorted.length; i++)
      for (let j = i + 1; j < sorted.length; j++) {
        const [a, da] = sorted[i]!;
        const [b, db] = sorted[j]!;
        const key = JSON.stringify([a, b]);
        let pair = pairs.get(key);
        if (!pair) pairs.set(key, (pair = { a, b, table: new Float64Array(k * k) }));
        pair.table[column.get(da)! * k + column.get(db)!]! += items;
        const same = da === db ? items : 0;
        for (const who of [a, b]) {
          stats.get(who)!.agree += same;
          stats.get(who)!.paired += items;
        }
      }
  }
  const byPair = [...pairs.values()]
    .map(({ a, b, table }) => {
      const f = cohenKappa(table, k, boot);
      return { a, b, kappa: { value: f.value, ci: f.ci, items: f.items, ratings: f.ratings }, observed: f.observed };
    })
    .sort((x, y) => byText(x.a + '\u0000' + x.b, y.a + '\u0000' + y.b));
  const byReviewer = [...stats.entries()]
    .map(([reviewer, s]) => ({ reviewer, items: s.items, agreement: s.paired ? s.agree / s.paired : null }))
    .sort((x, y) => byText(x.reviewer, y.reviewer));
  return { byPair, byReviewer, reviewers: seen.size };
}
