/**
 * The export form: its draft shape, the formats described for people, and the translation
 * into an `export.start` request with inline validation (the core checks everything again).
 */
import type { ExportRequest } from './queries.ts';

export type ExportFormat = ExportRequest['format'];
export type ExportDecision = NonNullable<NonNullable<ExportRequest['filters']>['decisions']>[number];
export type SplitName = 'train' | 'validation' | 'test';

export interface FormatInfo {
  value: ExportFormat;
  name: string;
  /** One line: what a row holds. */
  shape: string;
  /** One line: which reviewed items give a row. */
  rows: string;
}

export const FORMATS: FormatInfo[] = [
  {
    value: 'classifier',
    name: 'Classifier',
    shape: '{item_id, route, input, output, decision, labels, severity}',
    rows: 'One row per reviewed item, for a Llama Guard-style safety classifier.',
  },
  {
    value: 'sft',
    name: 'SFT',
    shape: '{messages: [...input, assistant: correction]}',
    rows: 'Chat fine-tuning: items with a corrected output (OpenAI chat format).',
  },
  {
    value: 'preference',
    name: 'Preference',
    shape: '{input, preferred_output, non_preferred_output}',
    rows: 'OpenAI preference pairs: the correction is preferred over the original.',
  },
  {
    value: 'trl-dpo',
    name: 'TRL DPO',
    shape: '{prompt, chosen, rejected}',
    rows: 'Hugging Face TRL pairs: the correction chosen, the original rejected.',
  },
];

export const DECISION_OPTIONS: { value: ExportDecision; label: string; color: string }[] = [
  { value: 'violation', label: 'Violation', color: 'red' },
  { value: 'dismiss', label: 'False positive', color: 'teal' },
  { value: 'escalate', label: 'Escalated', color: 'grape' },
];

export const SPLITS: SplitName[] = ['train', 'validation', 'test'];

export interface ExportDraft {
  format: ExportFormat;
  jsonl: boolean;
  parquet: boolean;
  decisions: ExportDecision[];
  labels: string[];
  routes: string[];
  models: string[];
  /** yyyy-mm-dd, local time, inclusive. */
  from: string;
  to: string;
  reviewers: string[];
  seed: number | string;
  split: Record<SplitName, number | string>;
  redact: boolean;
  allowUnredacted: boolean;
  includeDismissed: boolean;
  license: string;
  out: string;
}

export const DEFAULT_DRAFT: ExportDraft = {
  format: 'classifier',
  jsonl: true,
  parquet: true,
  decisions: ['violation', 'dismiss'],
  labels: [],
  routes: [],
  models: [],
  from: '',
  to: '',
  reviewers: [],
  seed: 1,
  split: { train: 0.8, validation: 0.1, test: 0.1 },
  redact: true,
  allowUnredacted: false,
  includeDismissed: false,
  license: 'other',
  out: '',
};

export type DraftErrors = Partial<Record<'outputs' | 'decisions' | 'split' | 'seed' | 'license' | 'dates', string>>;

const LICENSE_RE = /^[A-Za-z0-9][A-Za-z0-9.+-]{0,63}$/;

const num = (v: number | string): number => (typeof v === 'number' ? v : v.trim() === '' ? Number.NaN : Number(v));

/** Local midnight of a yyyy-mm-dd day (plus `addDays`) as an ISO instant. */
function localMidnightIso(day: string, addDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + addDays);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function splitSum(d: ExportDraft): number {
  return SPLITS.reduce((a, s) => a + num(d.split[s]), 0);
}

/** Inline problems with the draft (empty when it can be sent). The folder is checked by the core. */
export function validateDraft(d: ExportDraft): DraftErrors {
  const e: DraftErrors = {};
  if (!d.jsonl && !d.parquet) e.outputs = 'Pick at least one output.';
  if (d.decisions.length === 0) e.decisions = 'Pick at least one decision.';
  const parts = SPLITS.map((s) => num(d.split[s]));
  if (parts.some((x) => !Number.isFinite(x) || x < 0 || x > 1)) e.split = 'Each ratio is a number from 0 to 1.';
  else {
    const sum = parts.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-9) e.split = `The ratios add up to ${Number(sum.toFixed(4))}; they must sum to 1.`;
  }
  const seed = num(d.seed);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 2 ** 31) e.seed = 'A whole number from 0 to 2147483648.';
  if (!LICENSE_RE.test(d.license)) e.license = 'A license id such as other, cc-by-4.0 or apache-2.0.';
  if (d.from && d.to && d.from > d.to) e.dates = '“From” must not be after “To”.';
  return e;
}

/** The request for `export.start` (defaults left out where the core's default is the same). */
export function toRequest(d: ExportDraft): ExportRequest {
  const outputs: ('jsonl' | 'parquet')[] = [];
  if (d.jsonl) outputs.push('jsonl');
  if (d.parquet) outputs.push('parquet');
  const filters: NonNullable<ExportRequest['filters']> = { decisions: [...d.decisions] };
  if (d.labels.length) filters.labels = [...d.labels];
  if (d.routes.length) filters.routes = [...d.routes];
  if (d.models.length) filters.models = [...d.models];
  const reviewers = d.reviewers.map((r) => r.trim()).filter(Boolean);
  if (reviewers.length) filters.reviewers = reviewers;
  const from = d.from ? localMidnightIso(d.from) : undefined;
  const to = d.to ? localMidnightIso(d.to, 1) : undefined;
  if (from) filters.from = from;
  if (to) filters.to = to;
  const req: ExportRequest = {
    format: d.format,
    out: d.out.trim(),
    outputs,
    filters,
    seed: num(d.seed),
    split: { train: num(d.split.train), validation: num(d.split.validation), test: num(d.split.test) },
    redact: d.redact,
    allowUnredacted: d.allowUnredacted,
    license: d.license.trim(),
  };
  if (d.format === 'sft') req.includeDismissed = d.includeDismissed;
  return req;
}
