/**
 * The oversight dashboard's data: every panel from the pre-aggregated tables (db/queries/metrics.ts),
 * every number with the cell of items behind it so the UI can drill down to exactly those items.
 * Definitions: docs/metrics.md.
 */
import type Database from 'better-sqlite3';
import {
  AGE_BOUNDS_MS,
  backlog,
  countsByFlagDims,
  countsByModelCells,
  cubeBy,
  cubeTotals,
  flagCallsBy,
  rollUp,
  metricDays,
  reviewerThroughput,
  screenedByDay,
  screenedEvents,
  SLA_MS,
  TTD_BOUNDS_MS,
  ttdHistogram,
  type CubeTotals,
  type FlagDim,
  type MetricCell,
  type MetricFilter,
  type StateCounts,
} from '../../../db/queries/metrics.ts';
import { histogramQuantile, ratio, twoProportionZ, wilson } from './stats.ts';
import type { Headline, RateRow, ModelRow, Regression, DayRow, TtdRow, ReviewerView, Dashboard, Overview, FlagRateRow, DeploymentRow, DimensionPanels, ModelPanels, OperationPanels } from '../../shared/models/metrics.ts';
export type { Headline, RateRow, ModelRow, Regression, DayRow, TtdRow, ReviewerView, Dashboard, Overview, FlagRateRow, DeploymentRow, DimensionPanels, ModelPanels, OperationPanels };

export type { MetricCell, MetricFilter };

type FlagDimCells = ReturnType<typeof countsByFlagDims>;
type ModelCells = ReturnType<typeof countsByModelCells>;

/**
 * The panels after the overview, in three calls the dashboard makes side by side (each panel
 * shows as soon as its call answers). Each is one pass over its aggregate: the detector, category,
 * policy and false-positive panels share one read of the cube in key order; the model, version and
 * deployment panels and the regression checks share one walk of the cube's model index.
 */
export function dimensionPanels(db: Database.Database, f: MetricFilter): DimensionPanels {
  const cells = countsByFlagDims(db, f);
  return {
    detectors: rateRows(cells, f, 'detector', 'dismiss'),
    categories: rateRows(cells, f, 'category', 'violation'),
    policies: rateRows(cells, f, 'policy', 'violation'),
    flagRates: {
      detector: flagRateRows(db, f, 'detector', cells),
      policy: flagRateRows(db, f, 'policy', cells),
      category: flagRateRows(db, f, 'category', cells),
    },
  };
}

export function modelPanels(db: Database.Database, f: MetricFilter): ModelPanels {
  const cells = countsByModelCells(db, f);
  return {
    models: modelRows(cells, f),
    versions: versionRows(cells, f),
    deployments: deploymentRows(cells, f),
    regressions: [...regressions(cells, f), ...deploymentRegressions(cells, f)].sort((a, b) => b.z - a.z),
  };
}

export function operationPanels(db: Database.Database, f: MetricFilter): OperationPanels {
  return { ttd: ttdRows(db, f), backlog: backlog(db, Date.now()), ageBoundsMs: AGE_BOUNDS_MS, reviewers: reviewerRows(db, f) };
}

/** What the bench times: the overview's queries and each call (its panels come from one pass). */
export const PANELS = {
  totals: (db: Database.Database, f: MetricFilter) => cubeTotals(db, f),
  daily: (db: Database.Database, f: MetricFilter) => dailyRows(db, f),
  volumes: (db: Database.Database, f: MetricFilter) => screenedEvents(db, f),
  dimensions: dimensionPanels,
  models: modelPanels,
  operations: operationPanels,
} as const;

function dailyRows(db: Database.Database, f: MetricFilter): DayRow[] {
  // Volumes follow a model/version filter; under any other filter a day's screened count would
  // be a different population from its escalations, so it is left out (null).
  const screened = volumeBlind(f) ? new Map<string, number>() : screenedByDay(db, f);
  const rows = cubeBy(db, f, ['day'], 400).sort((a, b) => (a.key[0]! < b.key[0]! ? -1 : 1));
  return rows.map((r) => ({
    day: r.key[0]!,
    open: r.open,
    violation: r.violation,
    dismiss: r.dismiss,
    escalate: r.escalate,
    screened: screened.get(r.key[0]!) ?? null,
  }));
}

function rateRows(cells: FlagDimCells, f: MetricFilter, dim: 'detector' | 'category' | 'policy', numerator: 'violation' | 'dismiss'): RateRow[] {
  return rollUp(cells, (r) => [r[dim]], 30)
    .map((r) => {
      const reviewed = r.violation + r.dismiss;
      const k = numerator === 'violation' ? r.violation : r.dismiss;
      return {
        key: r.key[0] || '(none)',
        reviewed,
        confirmed: r.violation,
        dismissed: r.dismiss,
        ...wilson(k, reviewed),
        cell: { ...f, [dim]: r.key[0]!, state: [numerator] },
      };
    })
    .filter((r) => r.reviewed > 0)
    .sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0) || b.reviewed - a.reviewed || a.key.localeCompare(b.key));
}

/** A rolled-up cell's confirmed-violation rate among its reviewed items (model, version and deployment rows). */
function violationRate(r: { n: number; violation: number; dismiss: number }) {
  const reviewed = r.violation + r.dismiss;
  return { items: r.n, reviewed, confirmed: r.violation, dismissed: r.dismiss, ...wilson(r.violation, reviewed) };
}

function modelRows(cells: ModelCells, f: MetricFilter): ModelRow[] {
  return rollUp(cells, (r) => [r.model, r.version], 60)
    .map((r) => {
      return {
        key: `${r.key[0]} ${r.key[1]}`,
        model: r.key[0]!,
        version: r.key[1]!,
        ...violationRate(r),
        cell: { ...f, model: r.key[0]!, version: r.key[1]!, state: ['violation' as const] },
      };
    })
    .sort((a, b) => a.model.localeCompare(b.model) || a.version.localeCompare(b.version));
}

function versionRows(cells: ModelCells, f: MetricFilter): ModelRow[] {
  return rollUp(cells, (r) => [r.version], 60)
    .map((r) => {
      return {
        key: `${ALL_MODELS} ${r.key[0]}`,
        model: ALL_MODELS,
        version: r.key[0]!,
        ...violationRate(r),
        cell: { ...f, version: r.key[0]!, state: ['violation' as const] },
      };
    })
    .sort((a, b) => a.version.localeCompare(b.version));
}

/** Violation rate per deployment (provenance.deployment), across the models the filter keeps. */
function deploymentRows(cells: ModelCells, f: MetricFilter): DeploymentRow[] {
  return rollUp(cells, (r) => [r.deployment], 60)
    .map((r) => {
      return {
        key: r.key[0] || '(none)',
        deployment: r.key[0]!,
        ...violationRate(r),
        cell: { ...f, deployment: r.key[0]!, state: ['violation' as const] },
      };
    })
    .sort((a, b) => a.deployment.localeCompare(b.deployment));
}

/** The label of a deployment regression's baseline: every other deployment, pooled. */
export const OTHER_DEPLOYMENTS = '(other deployments)';

/**
 * Per category, each deployment against all the other deployments pooled: flagged when its
 * confirmed-violation rate is higher with z ≥ REGRESSION_Z (a canary deployment that regresses).
 * Items without a deployment are in no comparison.
 */
function deploymentRegressions(modelCells: ModelCells, f: MetricFilter): Regression[] {
  const cells = rollUp(modelCells, (r) => [r.deployment, r.category]).filter((r) => r.key[0] !== '' && r.violation + r.dismiss > 0);
  if (new Set(cells.map((r) => r.key[0])).size < 2) return [];
  const perCategory = new Map<string, { k: number; n: number }>();
  for (const r of cells) {
    const t = perCategory.get(r.key[1]!) ?? { k: 0, n: 0 };
    t.k += r.violation;
    t.n += r.violation + r.dismiss;
    perCategory.set(r.key[1]!, t);
  }
  const out: Regression[] = [];
  for (const r of cells) {
    const [deployment, category] = r.key as [string, string];
    const all = perCategory.get(category)!;
    const k = r.violation;
    const n = r.violation + r.dismiss;
    const z = twoProportionZ(k, n, all.k - k, all.n - n);
    if (z === null || z < REGRESSION_Z) continue;
    out.push({
      dimension: 'deployment',
      category,
      model: f.model ?? ALL_MODELS,
      baseline: OTHER_DEPLOYMENTS,
      candidate: deployment,
      baseRate: (all.k - k) / (all.n - n),
      candidateRate: k / n,
      nBase: all.n - n,
      nCandidate: n,
      z,
      cell: { ...f, deployment, category, state: ['violation'] },
    });
  }
  return out;
}

/**
 * False-positive rate per detector, policy or category from flag calls (metric_flag_items): false
 * positives ÷ reviewed items with a call on the value, 95 % interval; the bar drills down to the
 * items whose call on it is a false positive.
 */
function flagRateRows(db: Database.Database, f: MetricFilter, dim: FlagDim, cells: FlagDimCells): FlagRateRow[] {
  return flagCallsBy(db, f, dim, rollUp(cells, (r) => [r[dim]]))
    .map((r) => ({
      key: r.value || '(none)',
      calls: r.units,
      falsePositives: r.falsePos,
      ...wilson(r.falsePos, r.units),
      perFlag: r.perFlag,
      perFlagFalsePositives: r.perFlagFalsePos,
      cell: { ...f, call: { dim, value: r.value, falsePositive: true } },
    }))
    .sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0) || b.calls - a.calls || a.key.localeCompare(b.key));
}

/**
 * Per model and category, each version against the model's baseline (its version with the most
 * reviewed items): flagged when its confirmed-violation rate is higher with z ≥ 2.58 (p < 0.01,
 * one-sided 0.005).
 */
export const REGRESSION_Z = 2.58;

/** All models together: model versions are usually releases of the whole system. */
export const ALL_MODELS = '(all models)';

function regressions(cells: ModelCells, f: MetricFilter): Regression[] {
  // From the model pass's cells; the pooled rows (all models) are summed here.
  const perModel: ({ key: string[] } & StateCounts)[] = rollUp(cells, (r) => [r.model, r.version, r.category]);
  const pooledMap = new Map<string, { key: string[]; violation: number; dismiss: number }>();
  for (const r of perModel) {
    const k = `${r.key[1]}\u0000${r.key[2]}`;
    const p = pooledMap.get(k) ?? { key: [ALL_MODELS, r.key[1]!, r.key[2]!], violation: 0, dismiss: 0 };
    p.violation += r.violation;
    p.dismiss += r.dismiss;
    pooledMap.set(k, p);
  }
  const rows = f.model === undefined ? [...pooledMap.values(), ...perModel] : perModel;
  const byModel = new Map<string, Map<string, Map<string, { k: number; n: number }>>>();
  const reviewedByVersion = new Map<string, number>();
  for (const r of rows) {
    const [model, version, category] = r.key as [string, string, string];
    const n = r.violation + r.dismiss;
    if (n === 0) continue;
    const m = byModel.get(model) ?? new Map<string, Map<string, { k: number; n: number }>>();
    byModel.set(model, m);
    const v = m.get(version) ?? new Map<string, { k: number; n: number }>();
    m.set(version, v);
    v.set(category, { k: r.violation, n });
    reviewedByVersion.set(`${model}\u0000${version}`, (reviewedByVersion.get(`${model}\u0000${version}`) ?? 0) + n);
  }
  const out: Regression[] = [];
  for (const [model, versions] of byModel) {
    if (versions.size < 2) continue;
    const baseline = [...versions.keys()].sort(
      (a, b) => (reviewedByVersion.get(`${model}\u0000${b}`) ?? 0) - (reviewedByVersion.get(`${model}\u0000${a}`) ?? 0) || a.localeCompare(b),
    )[0]!;
    const base = versions.get(baseline)!;
    for (const [version, cats] of versions) {
      if (version === baseline) continue;
      for (const [category, c] of cats) {
        const b = base.get(category);
        if (!b) continue;
        const z = twoProportionZ(c.k, c.n, b.k, b.n);
        if (z !== null && z >= REGRESSION_Z) {
          out.push({
            dimension: 'version',
            category,
            model,
            baseline,
            candidate: version,
            baseRate: b.k / b.n,
            candidateRate: c.k / c.n,
            nBase: b.n,
            nCandidate: c.n,
            z,
            cell: { ...f, ...(model === ALL_MODELS ? {} : { model }), version, category, state: ['violation'] },
          });
        }
      }
    }
  }
  return out.sort((a, b) => b.z - a.z);
}

function ttdRows(db: Database.Database, f: MetricFilter): TtdRow[] {
  const hist = ttdHistogram(db, f);
  const out: TtdRow[] = [];
  for (let p = 0; p < 4; p++) {
    const counts = new Array<number>(TTD_BOUNDS_MS.length + 1).fill(0);
    let breached = 0;
    for (const h of hist) {
      if (h.priority !== p) continue;
      counts[h.bucket] = h.n;
      breached += h.breached;
    }
    const decided = counts.reduce((a, b) => a + b, 0);
    const p50 = histogramQuantile(counts, TTD_BOUNDS_MS, 0.5);
    const p95 = histogramQuantile(counts, TTD_BOUNDS_MS, 0.95);
    out.push({
      priority: p,
      slaMs: SLA_MS[p]!,
      decided,
      p50Ms: p50?.upperMs ?? null,
      p95Ms: p95?.upperMs ?? null,
      p95Open: p95 !== null && p95.upperMs === null,
      breached,
      // The same scope as metric_ttd: route, model, version and deployment.
      cell: { from: f.from, to: f.to, ...pickTtdScope(f), priority: p, flag: 'breached' },
    });
  }
  return out;
}

function pickTtdScope(f: MetricFilter): Partial<MetricFilter> {
  const out: Partial<MetricFilter> = {};
  if (f.route !== undefined) out.route = f.route;
  if (f.model !== undefined) out.model = f.model;
  if (f.version !== undefined) out.version = f.version;
  if (f.deployment !== undefined) out.deployment = f.deployment;
  return out;
}

function reviewerRows(db: Database.Database, f: MetricFilter): ReviewerView[] {
  return reviewerThroughput(db, f).map((r) => ({
    reviewer: r.reviewer,
    decisions: r.decisions,
    perActiveDay: r.decisions / Math.max(1, r.days),
    secondsPerItem: r.timed > 0 ? r.activeMs / r.timed / 1000 : null,
  }));
}

/** Filters that volumes (reported per model and version) cannot follow. */
const volumeBlind = (f: MetricFilter) => [f.route, f.policy, f.detector, f.category, f.deployment, f.reviewer].some((v) => v !== undefined);

function headline(t: CubeTotals, f: MetricFilter, screened: number): Headline[] {
  const reviewed = t.violation + t.dismiss;
  const decided = reviewed + t.escalate;
  const h = (key: string, label: string, num: number, den: number, unit: Headline['unit'], cell: MetricCell | null, note?: string): Headline => ({
    key,
    label,
    value: unit === 'count' ? num : unit === 'per1000' ? (den > 0 ? (1000 * num) / den : null) : ratio(num, den),
    unit,
    num,
    den,
    cell,
    ...(note ? { note } : {}),
  });
  const perThousand =
    screened > 0 && !volumeBlind(f)
      ? h('escalation_per_1000', 'Escalations per 1,000 screened', t.n, screened, 'per1000', { ...f })
      : {
          ...h('escalation_per_1000', 'Escalations per 1,000 screened', t.n, 0, 'per1000', { ...f }),
          note:
            screened > 0
              ? 'volumes are reported per model and version; this filter cannot apply to them'
              : 'no screened-event volumes reported for this range: see expert escalation rate (per reviewed item)',
        };
  return [
    h('items', 'Escalations', t.n, t.n, 'count', { ...f }),
    h('violation_rate', 'Violation rate', t.violation, reviewed, 'rate', { ...f, state: ['violation'] }),
    h('false_positive_rate', 'False-positive rate', t.dismiss, reviewed, 'rate', { ...f, state: ['dismiss'] }),
    h('hallucination_rate', 'Hallucination rate', t.halluc, reviewed, 'rate', { ...f, flag: 'halluc' }),
    h('pii_exposures', 'PII exposures confirmed', t.pii, t.pii, 'count', { ...f, flag: 'pii' }),
    perThousand,
    h('expert_escalation_rate', 'Expert escalation rate', t.escalate, decided, 'rate', { ...f, state: ['escalate'] }),
    h('overturn_rate', 'Overturn rate', t.overturned, reviewed, 'rate', { ...f, flag: 'overturned' }),
    h('audit_completeness', 'Audit completeness', t.traced, t.n, 'rate', { ...f, flag: 'traced' }),
    h('agreement', 'Agreement (overlap)', t.agreed, t.overlap, 'rate', { ...f, flag: 'agreed' }),
    h('sla_breaches', 'Decided past SLA', t.breached, t.decided, 'count', { ...f, flag: 'breached' }),
    h('backlog_open', 'Open in range', t.open, t.n, 'count', { ...f, state: ['open'] }),
  ];
}

/** The default range: the data's extent, or the last 30 days when there is none. */
export function defaultRange(db: Database.Database, now = new Date()): MetricFilter {
  const extent = metricDays(db);
  if (extent) return { from: extent.first, to: extent.last };
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(now.getTime() - 29 * 86_400_000), to: day(now.getTime()) };
}

/** The first panels: headline tiles and escalations per day (three small cube reads). */
export function overview(db: Database.Database, f: MetricFilter): Overview {
  const totals = PANELS.totals(db, f);
  const vol = PANELS.volumes(db, f);
  return {
    filter: f,
    extent: metricDays(db),
    totals,
    headline: headline(totals, f, vol.screened),
    daily: PANELS.daily(db, f),
    volumesReported: vol.screened > 0,
  };
}

/** Every panel in one answer (the report, the CLI); the app asks for the four parts side by side. */
export function dashboard(db: Database.Database, f: MetricFilter): Dashboard {
  return { ...overview(db, f), ...dimensionPanels(db, f), ...modelPanels(db, f), ...operationPanels(db, f) };
}
