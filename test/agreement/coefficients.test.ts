/**
 * The agreement coefficients against published worked examples (to the published precision)
 * and against a pairwise computation written independently here on random data.
 */
import { describe, expect, it } from 'vitest';
import { agreementReport, cohenKappa, fleissKappa, krippendorffAlpha, type Rating } from '../../electron/core/agreement/index.ts';
import { seededRandom } from '../../electron/core/agreement/rng.ts';

const NO_BOOT = { resamples: 0, seed: 1 };

/** Reliability data as observers x units (0 = missing) to unit-by-category counts. */
function countsOf(rows: number[][], k: number): { counts: Int32Array; units: number[] } {
  const n = rows[0]!.length;
  const counts = new Int32Array(n * k);
  for (const row of rows) row.forEach((v, u) => v && counts[u * k + v]!++);
  return { counts, units: [...Array(n).keys()] };
}

describe('Krippendorff alpha, Krippendorff (2011) "Computing Krippendorff\'s Alpha-Reliability"', () => {
  it('section C, nominal data, 4 observers, 12 units, missing values: alpha = 0.743', () => {
    const { counts, units } = countsOf(
      [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3],
        [0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0],
      ],
      6,
    );
    const f = krippendorffAlpha(counts, 6, units, NO_BOOT);
    expect(f.value!.toFixed(3)).toBe('0.743');
    // Unit 12 has one value and is not pairable: 11 units, 40 pairable values (n.. in the paper).
    expect(f.items).toBe(11);
    expect(f.ratings).toBe(40);
  });

  it('section A, binary data, two observers, 10 units: alpha = 0.095', () => {
    // Values 0/1 shifted to categories 1/2 (0 marks missing in countsOf).
    const A = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0].map((v) => v + 1);
    const B = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0].map((v) => v + 1);
    const { counts, units } = countsOf([A, B], 3);
    expect(krippendorffAlpha(counts, 3, units, NO_BOOT).value!.toFixed(3)).toBe('0.095');
  });
});

describe("Fleiss' kappa", () => {
  it('the 10 subjects x 14 raters x 5 categories worked example (Wikipedia, "Fleiss\' kappa", Worked example): P=0.378, Pe=0.213, kappa=0.210', () => {
    // This is the Wikipedia table, not Fleiss's (1971) 30-patient example (kappa 0.430).
    const table = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const f = fleissKappa(Int32Array.from(table.flat()), 5, [...Array(10).keys()], NO_BOOT);
    expect(f.pBar!.toFixed(3)).toBe('0.378');
    expect(f.pE!.toFixed(3)).toBe('0.213');
    expect(f.value!.toFixed(3)).toBe('0.210');
    expect(f.items).toBe(10);
    expect(f.ratings).toBe(140);
  });
});

describe("Cohen's kappa", () => {
  it('50 grant proposals, two readers (Wikipedia, "Cohen\'s kappa", Simple example): p_o = 0.7, kappa = 0.4', () => {
    // yes/yes 20, A yes B no 5, A no B yes 10, no/no 15; categories 0 = yes, 1 = no.
    const f = cohenKappa(Float64Array.from([20, 5, 10, 15]), 2, NO_BOOT);
    expect(f.observed).toBeCloseTo(0.7, 12);
    expect(f.value!.toFixed(1)).toBe('0.4');
    expect(f.items).toBe(50);
  });
});

/* ---- an independent computation: every pair of values enumerated, no coincidence matrix ---- */

function pairwiseAlpha(units: string[][]): number {
  const pairable = units.filter((u) => u.length >= 2);
  const values = pairable.flat();
  const n = values.length;
  let within = 0;
  for (const u of pairable) {
    let d = 0;
    for (let i = 0; i < u.length; i++) for (let j = 0; j < u.length; j++) if (i !== j && u[i] !== u[j]) d++;
    within += d / (u.length - 1);
  }
  let between = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && values[i] !== values[j]) between++;
  const dObserved = within / n;
  const dExpected = between / (n * (n - 1));
  return 1 - dObserved / dExpected;
}

function pairwiseFleiss(units: string[][]): number {
  const pairable = units.filter((u) => u.length >= 2);
  let agreeing = 0;
  for (const u of pairable) {
    let a = 0;
    for (let i = 0; i < u.length; i++) for (let j = 0; j < u.length; j++) if (i !== j && u[i] === u[j]) a++;
    agreeing += a / (u.length * (u.length - 1));
  }
  const values = pairable.flat();
  const share = new Map<string, number>();
  for (const v of values) share.set(v, (share.get(v) ?? 0) + 1 / values.length);
  const pe = [...share.values()].reduce((s, p) => s + p * p, 0);
  return (agreeing / pairable.length - pe) / (1 - pe);
}

function pairwiseCohen(a: string[], b: string[]): number {
  const n = a.length;
  const po = a.filter((x, i) => x === b[i]).length / n;
  const cats = new Set([...a, ...b]);
  let pe = 0;
  for (const c of cats) pe += (a.filter((x) => x === c).length / n) * (b.filter((x) => x === c).length / n);
  return (po - pe) / (1 - pe);
}

describe('agreementReport against the pairwise computation on random data', () => {
  const rng = seededRandom(42);
  const reviewers = ['ana', 'ben', 'cy', 'dee'];
  const decisions = ['violation', 'dismiss', 'escalate'];
  const labelSet = ['S1', 'S4', 'S11'];
  const ratings: Rating[] = [];
  for (let item = 0; item < 300; item++) {
    const truth = decisions[Math.floor(rng() * 3)]!;
    for (const reviewer of reviewers) {
      if (rng() < 0.35) continue; // missing
      const decision = rng() < 0.7 ? truth : decisions[Math.floor(rng() * 3)]!;
      const labels = labelSet.filter(() => rng() < 0.3);
      ratings.push({ item, reviewer, decision, labels, route: item % 3 === 0 ? 'clinical' : 'default', period: item < 150 ? '2026-11' : '2026-12' });
    }
  }
  const report = agreementReport(ratings, { resamples: 100, seed: 7 });
  const unitsWhere = (keep: (item: number) => boolean, value: (r: Rating) => string): string[][] => {
    const byItem = new Map<number, string[]>();
    for (const r of ratings) if (keep(r.item)) byItem.set(r.item, [...(byItem.get(r.item) ?? []), value(r)]);
    return [...byItem.values()];
  };

  it('alpha overall, per route and per period', () => {
    expect(report.overall.alpha.value).toBeCloseTo(pairwiseAlpha(unitsWhere(() => true, (r) => r.decision)), 12);
    const clinical = report.byRoute.find((r) => r.route === 'clinical')!;
    expect(clinical.alpha.value).toBeCloseTo(pairwiseAlpha(unitsWhere((i) => i % 3 === 0, (r) => r.decision)), 12);
    const nov = report.byPeriod.find((p) => p.period === '2026-11')!;
    expect(nov.alpha.value).toBeCloseTo(pairwiseAlpha(unitsWhere((i) => i < 150, (r) => r.decision)), 12);
    expect(report.items).toBe(unitsWhere(() => true, (r) => r.decision).filter((u) => u.length >= 2).length);
  });

  it('Fleiss per route and binary alpha per label', () => {
    const route = report.byRoute.find((r) => r.route === 'default')!;
    expect(route.fleiss.value).toBeCloseTo(pairwiseFleiss(unitsWhere((i) => i % 3 !== 0, (r) => r.decision)), 12);
    for (const label of labelSet) {
      const row = report.byLabel.find((l) => l.label === label)!;
      expect(row.alpha.value).toBeCloseTo(pairwiseAlpha(unitsWhere(() => true, (r) => String(r.labels.includes(label)))), 12);
    }
  });

  it("Cohen's kappa for every reviewer pair, over the items both rated", () => {
    expect(report.byPair).toHaveLength(6);
    for (const pair of report.byPair) {
      const a: string[] = [];
      const b: string[] = [];
      for (let item = 0; item < 300; item++) {
        const ra = ratings.find((r) => r.item === item && r.reviewer === pair.a);
        const rb = ratings.find((r) => r.item === item && r.reviewer === pair.b);
        if (ra && rb) {
          a.push(ra.decision);
          b.push(rb.decision);
        }
      }
      expect(pair.kappa.items).toBe(a.length);
      expect(pair.kappa.value).toBeCloseTo(pairwiseCohen(a, b), 12);
    }
  });

  it('bootstrap intervals: seeded (same figures twice), bracket the estimate, state their resamples', () => {
    const again = agreementReport(ratings, { resamples: 100, seed: 7 });
    expect(again.overall.alpha.ci).toEqual(report.overall.alpha.ci);
    const [lo, hi] = report.overall.alpha.ci!;
    expect(lo).toBeLessThan(report.overall.alpha.value!);
    expect(hi).toBeGreaterThan(report.overall.alpha.value!);
    expect(report.method.interval).toBe('95% percentile bootstrap over items, 100 resamples, seed 7');
    const other = agreementReport(ratings, { resamples: 100, seed: 8 });
    expect(other.overall.alpha.ci).not.toEqual(report.overall.alpha.ci);
  });

  it('no variation at all gives no figure rather than a division by zero', () => {
    const same = agreementReport([
      { item: 1, reviewer: 'a', decision: 'dismiss', labels: [], route: 'r', period: 'p' },
      { item: 1, reviewer: 'b', decision: 'dismiss', labels: [], route: 'r', period: 'p' },
    ]);
    expect(same.overall.alpha.value).toBeNull();
    expect(same.overall.alpha.items).toBe(1);
  });
});

describe('the pattern bootstrap', () => {
  it('gives the interval that resampling item indices gives (same distribution, 1,000 resamples each)', () => {
    const rng = seededRandom(3);
    const units: string[][] = [];
    for (let u = 0; u < 150; u++) {
      const truth = rng() < 0.6 ? 'v' : 'd';
      units.push(['a', 'b', 'c'].filter(() => rng() < 0.85).map(() => (rng() < 0.8 ? truth : truth === 'v' ? 'd' : 'v')));
    }
    const counts = new Int32Array(units.length * 2);
    units.forEach((u, i) => u.forEach((v) => counts[i * 2 + (v === 'v' ? 0 : 1)]!++));
    const f = krippendorffAlpha(counts, 2, [...units.keys()], { resamples: 1000, seed: 9 });
    // Naive: draw 400 item indices with replacement, recompute alpha pairwise.
    const draw = seededRandom(10);
    const pairable = units.filter((u) => u.length >= 2);
    const values: number[] = [];
    for (let b = 0; b < 1000; b++) values.push(pairwiseAlpha(Array.from({ length: pairable.length }, () => pairable[Math.floor(draw() * pairable.length)]!)));
    values.sort((a, b) => a - b);
    const lo = values[Math.floor(0.025 * 999)]!;
    const hi = values[Math.ceil(0.975 * 999)]!;
    expect(Math.abs(f.ci![0] - lo)).toBeLessThan(0.03);
    expect(Math.abs(f.ci![1] - hi)).toBeLessThan(0.03);
  });
});
