/**
 * The agreement report: Krippendorff's alpha on the decision (overall, per route, per period),
 * per-label binary alpha for the multi-label sets, Cohen's kappa per reviewer pair and Fleiss'
 * kappa per route, each with its bootstrap interval and the items behind it.
 *
 * Input is plain ratings (one per item and reviewer: the reviewer's standing decision), so the
 * same function serves a local workspace (imported verdicts) and a team queue.
 */
import { cohenKappa, fleissKappa, krippendorffAlpha, type BootstrapOptions, type Figure } from './coefficients.ts';
import type { AgreementReport } from '../../shared/models/expert.ts';
import type { RatingColumns } from '../../../db/queries/agreement.ts';
export type { AgreementReport, RatingColumns };

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

export function agreementReport(input: readonly Rating[] | RatingColumns, options: AgreementOptions = {}): AgreementReport {
  const cols = Array.isArray(input) ? ratingColumnsOf(input as readonly Rating[]) : (input as RatingColumns);
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? DEFAULT_SEED;
  const boot: BootstrapOptions = { resamples, seed };
  const n = cols.length;
  const items = new Map<number, number>();
  const labels = new Map<string, number>();
  // Each distinct label set's labels as label indexes, once.
  const setLabels = cols.labelSets.map((set) => set.map((l) => indexOf(labels, l)));
  const unitOf = new Uint32Array(n);
  const decisionOf = cols.decision;
  const reviewerOf = cols.reviewer;
  let lastItem = NaN;
  let lastUnit = 0;
  for (let r = 0; r < n; r++) {
    const it = cols.item[r]!;
    // Ratings come grouped by item from SQL: skip the map while the item repeats.
    if (it !== lastItem) {
      lastItem = it;
      lastUnit = indexOf(items, it);
    }
    unitOf[r] = lastUnit;
  }
  const U = items.size;
  const K = Math.max(cols.decisions.length, 1);
  const counts = new Int32Array(U * K);
  const routeIx = new Int32Array(U).fill(-1);
  const periodOf: string[] = new Array<string>(U);
  const m = new Int32Array(U);
  const labelHits = new Map<number, Int32Array>();
  for (let r = 0; r < n; r++) {
    const u = unitOf[r]!;
    counts[u * K + decisionOf[r]!]!++;
    m[u]!++;
    if (routeIx[u] === -1) routeIx[u] = cols.route[r]!;
    const p = cols.periods[cols.period[r]!]!;
    if (periodOf[u] === undefined || p < periodOf[u]!) periodOf[u] = p;
    for (const li of setLabels[cols.labelSet[r]!]!) {
      let hits = labelHits.get(li);
      if (!hits) labelHits.set(li, (hits = new Int32Array(U)));
      hits[u]!++;
    }
  }
  const routeOf: string[] = Array.from(routeIx, (i) => cols.routes[i]!);
  const allUnits = Uint32Array.from({ length: U }, (_, i) => i);
  const groupUnits = (key: string[]): Map<string, number[]> => {
    const g = new Map<string, number[]>();
    for (let u = 0; u < U; u++) {
      const list = g.get(key[u]!);
      if (list) list.push(u);
      else g.set(key[u]!, [u]);
    }
    return new Map([...g.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  };

  const byRoute = [...groupUnits(routeOf)].map(([route, us]) => ({
    route,
    alpha: krippendorffAlpha(counts, K, us, boot),
    fleiss: strip(fleissKappa(counts, K, us, boot)),
  }));
  const byPeriod = [...groupUnits(periodOf)].map(([period, us]) => ({ period, alpha: krippendorffAlpha(counts, K, us, boot) }));

  // Per label: a binary rating per reviewer (the label given or not), over every rated item.
  const binary = new Int32Array(U * 2);
  const byLabel = [...labels.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([label, li]) => {
      const hits = labelHits.get(li)!;
      let given = 0;
      let total = 0;
      for (let u = 0; u < U; u++) {
        binary[u * 2] = m[u]! - hits[u]!;
        binary[u * 2 + 1] = hits[u]!;
        if (m[u]! >= 2) {
          given += hits[u]!;
          total += m[u]!;
        }
      }
      return { label, alpha: krippendorffAlpha(binary, 2, allUnits, boot), prevalence: total ? given / total : 0 };
    });

  const { byPair, byReviewer } = pairFigures(unitOf, reviewerOf, decisionOf, cols.reviewers, K, boot);
  const overall = { alpha: krippendorffAlpha(counts, K, allUnits, boot), fleiss: strip(fleissKappa(counts, K, allUnits, boot)) };
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
    reviewers: cols.reviewers.length,
    decisions: [...cols.decisions],
    overall,
    byRoute,
    byLabel,
    byPair,
    byReviewer,
    byPeriod,
  };
}

function strip(f: Figure & { pBar: number | null; pE: number | null }): Figure {
  return { value: f.value, ci: f.ci, items: f.items, ratings: f.ratings };
}

/** Cohen's kappa for every pair of reviewers who rated an item in common, and each reviewer's pairwise agreement. */
function pairFigures(
  unitOf: Uint32Array,
  reviewerOf: Uint32Array,
  decisionOf: Uint8Array,
  names: string[],
  k: number,
  boot: BootstrapOptions,
): Pick<AgreementReport, 'byPair' | 'byReviewer'> {
  // Ratings grouped by unit: a counting sort of rating positions by unit (stable, linear).
  let units = 0;
  for (const u of unitOf) units = Math.max(units, u + 1);
  const start = new Uint32Array(units + 1);
  for (const u of unitOf) start[u + 1]!++;
  for (let u = 0; u < units; u++) start[u + 1]! += start[u]!;
  const order = new Uint32Array(unitOf.length);
  const fill = start.slice(0, units);
  for (let r = 0; r < unitOf.length; r++) order[fill[unitOf[r]!]!++] = r;
  const pairs = new Map<number, Float64Array>();
  const agreeWith = new Float64Array(names.length);
  const pairedWith = new Float64Array(names.length);
  const itemsOf = new Float64Array(names.length);
  const R = names.length;
  for (let s = 0; s < order.length; ) {
    let e = s;
    while (e < order.length && unitOf[order[e]!] === unitOf[order[s]!]) e++;
    if (e - s >= 2) {
      for (let i = s; i < e; i++) itemsOf[reviewerOf[order[i]!]!]!++;
      for (let i = s; i < e; i++)
        for (let j = i + 1; j < e; j++) {
          let a = order[i]!;
          let b = order[j]!;
          if (names[reviewerOf[a]!]! > names[reviewerOf[b]!]!) [a, b] = [b, a];
          const key = reviewerOf[a]! * R + reviewerOf[b]!;
          let table = pairs.get(key);
          if (!table) pairs.set(key, (table = new Float64Array(k * k)));
          table[decisionOf[a]! * k + decisionOf[b]!]!++;
          const same = decisionOf[a] === decisionOf[b] ? 1 : 0;
          agreeWith[reviewerOf[a]!]! += same;
          agreeWith[reviewerOf[b]!]! += same;
          pairedWith[reviewerOf[a]!]!++;
          pairedWith[reviewerOf[b]!]!++;
        }
    }
    s = e;
  }
  const byPair = [...pairs.entries()]
    .map(([key, table]) => {
      const f = cohenKappa(table, k, boot);
      return { a: names[Math.floor(key / R)]!, b: names[key % R]!, kappa: { value: f.value, ci: f.ci, items: f.items, ratings: f.ratings }, observed: f.observed };
    })
    .sort((x, y) => (x.a + '\u0000' + x.b < y.a + '\u0000' + y.b ? -1 : 1));
  const byReviewer = names
    .map((reviewer, i) => ({ reviewer, items: itemsOf[i]!, agreement: pairedWith[i]! ? agreeWith[i]! / pairedWith[i]! : null }))
    .filter((r) => r.items > 0)
    .sort((x, y) => (x.reviewer < y.reviewer ? -1 : 1));
  return { byPair, byReviewer };
}
