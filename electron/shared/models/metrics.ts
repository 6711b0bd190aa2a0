/** The oversight dashboard and report as the UI and the CLI see them (definitions: docs/metrics.md). */
import type { z } from 'zod';
import type { metricCellSchema, metricFilterSchema } from '../contract.ts';
import type { TreeHead } from './audit.ts';

/** The dashboard's scope: UTC days [from, to] inclusive, plus optional dimension filters. */
export type MetricFilter = z.infer<typeof metricFilterSchema>;
/** One number's cell: a filter narrowed further. Every panel value has one; the queue can list it. */
export type MetricCell = z.infer<typeof metricCellSchema>;

export interface CubeTotals {
  n: number;
  traced: number;
  decided: number;
  breached: number;
  overturned: number;
  overlap: number;
  agreed: number;
  halluc: number;
  pii: number;
  ttdMs: number;
  violation: number;
  dismiss: number;
  escalate: number;
  open: number;
}

export interface NotableItem {
  id: string;
  externalId: string;
  category: string;
  version: string;
  state: string;
  priority: number;
}

export type MetricFacets = Record<'route' | 'policy' | 'detector' | 'category' | 'model' | 'version' | 'deployment' | 'reviewer', string[]> & {
  extent: { first: string; last: string } | null;
};

export interface Headline {
  key: string;
  label: string;
  value: number | null;
  unit: 'rate' | 'count' | 'per1000' | 'ms';
  num: number;
  den: number;
  /** The items behind the numerator. */
  cell: MetricCell | null;
  note?: string;
}

export interface RateRow {
  key: string;
  /** Items reviewed (decision in force: violation or dismiss). */
  reviewed: number;
  confirmed: number;
  dismissed: number;
  rate: number | null;
  lo: number | null;
  hi: number | null;
  /** The items behind the bar: the confirmed (violation rate) or dismissed (false-positive rate) ones. */
  cell: MetricCell;
}

export interface ModelRow extends RateRow {
  model: string;
  version: string;
  items: number;
}

/** False-positive rate of one detector, policy or category value from flag calls (docs/metrics.md). */
export interface FlagRateRow {
  key: string;
  /** Reviewed items with a call on this value (one per item). */
  calls: number;
  falsePositives: number;
  rate: number | null;
  lo: number | null;
  hi: number | null;
  /** Of `calls`, those from per-flag calls, and their false positives; the rest are top flags judged by the item's decision. */
  perFlag: number;
  perFlagFalsePositives: number;
  /** The items behind the bar: those whose call on this value is a false positive. */
  cell: MetricCell;
}

export interface DeploymentRow extends RateRow {
  deployment: string;
  items: number;
}

export interface Regression {
  /** What was compared: model versions (against the model's baseline version) or deployments (against the other deployments pooled). */
  dimension: 'version' | 'deployment';
  category: string;
  model: string;
  baseline: string;
  candidate: string;
  baseRate: number;
  candidateRate: number;
  nBase: number;
  nCandidate: number;
  z: number;
  cell: MetricCell;
}

export interface DayRow {
  day: string;
  open: number;
  violation: number;
  dismiss: number;
  escalate: number;
  screened: number | null;
}

export interface TtdRow {
  priority: number;
  slaMs: number;
  decided: number;
  p50Ms: number | null;
  p95Ms: number | null;
  /** True when the quantile lies past the last histogram bound (more than 7 days). */
  p95Open: boolean;
  breached: number;
  cell: MetricCell;
}

export interface ReviewerView {
  reviewer: string;
  decisions: number;
  perActiveDay: number;
  secondsPerItem: number | null;
}

export interface Dashboard {
  filter: MetricFilter;
  extent: { first: string; last: string } | null;
  totals: CubeTotals;
  headline: Headline[];
  daily: DayRow[];
  detectors: RateRow[];
  categories: RateRow[];
  policies: RateRow[];
  models: ModelRow[];
  /** Each model version across all models (model = ALL_MODELS). */
  versions: ModelRow[];
  /** Violation rate per deployment, 95 % interval. */
  deployments: DeploymentRow[];
  /** False-positive rates from flag calls, per detector, policy and category. */
  flagRates: { detector: FlagRateRow[]; policy: FlagRateRow[]; category: FlagRateRow[] };
  regressions: Regression[];
  ttd: TtdRow[];
  backlog: { priority: number; ages: number[]; overdue: number; total: number }[];
  ageBoundsMs: number[];
  reviewers: ReviewerView[];
  volumesReported: boolean;
}

/** The dashboard's first panels (headline tiles and escalations per day): one cheap call, painted first. */
export type Overview = Pick<Dashboard, 'filter' | 'extent' | 'totals' | 'headline' | 'daily' | 'volumesReported'>;
/** The rest, in three calls the dashboard makes side by side; each panel shows when its call answers. */
export type DimensionPanels = Pick<Dashboard, 'detectors' | 'categories' | 'policies' | 'flagRates'>;
export type ModelPanels = Pick<Dashboard, 'models' | 'versions' | 'deployments' | 'regressions'>;
export type OperationPanels = Pick<Dashboard, 'ttd' | 'backlog' | 'ageBoundsMs' | 'reviewers'>;

/** Progress of a metric catch-up: the items (ingested) or verdicts counted so far of those pending when it began. */
export interface MetricCatchUp {
  phase: 'items' | 'verdicts';
  done: number;
  total: number;
}

export interface AuditProof {
  head: TreeHead;
  /**
   * Not checked by the report (it would re-hash every event: minutes at a million verdicts): the
   * head comes from the saved tree edge. Each counted verdict's event was re-hashed to its leaf
   * and found to name the verdict when the metric upkeep recorded the verdict; the report checks
   * that leaf against the log as it is now. The full chain check of every event is
   * `verdict audit verify`; null here.
   */
  logVerified: null;
  logReason: string;
  /** Verdicts in force behind the decided items counted. */
  countedVerdicts: number;
  /**
   * Each counted verdict's audit event: checked by the upkeep (its body hashes to its leaf and
   * names the verdict), and now at the same seq within the head with that same leaf hash.
   */
  allInLog: boolean;
  /** How many counted verdicts are not proven; `missing` names the first 20. */
  unproven: number;
  missing: string[];
  /** Counted events whose bodies the report re-hashed itself (an evenly spread sample). */
  rehashed: number;
  /** sha256 over "audit_seq leaf_hash\n" lines in audit order (each leaf commits to its event, which names its verdict): the exact set counted. */
  digest: string;
}

export interface OversightReport {
  format: 'verdict-oversight-report/1';
  generatedAt: string;
  appVersion: string;
  workspaceId: string;
  range: { from: string; to: string };
  definitions: { key: string; label: string; definition: string }[];
  headline: Omit<Headline, 'cell'>[];
  dashboard: Omit<Dashboard, 'headline' | 'filter'>;
  notable: { breached: NotableItem[]; overturned: NotableItem[]; pii: NotableItem[]; halluc: NotableItem[] };
  audit: AuditProof;
}
