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

export type MetricFacets = Record<'route' | 'policy' | 'detector' | 'category' | 'model' | 'version' | 'reviewer', string[]> & {
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

export interface Regression {
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
  regressions: Regression[];
  ttd: TtdRow[];
  backlog: { priority: number; ages: number[]; overdue: number; total: number }[];
  ageBoundsMs: number[];
  reviewers: ReviewerView[];
  volumesReported: boolean;
}

export interface AuditProof {
  head: TreeHead;
  /**
   * Not checked by the report (it would re-hash every event: minutes at a million verdicts): the
   * head is computed from the stored leaf hashes, and the counted leaves are re-hashed from their
   * events, which proves each counted verdict is in the tree with that root. The full chain check
   * of every event is `verdict audit verify`; null here.
   */
  logVerified: null;
  logReason: string;
  /** Verdicts in force behind the decided items counted. */
  countedVerdicts: number;
  /** Each counted verdict's audit event: within the head, its leaf hash recomputed from its body, naming that verdict. */
  allInLog: boolean;
  missing: string[];
  /** sha256 over "verdict_id audit_seq leaf_hash\n" lines in audit order: the exact set counted. */
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
