/**
 * Export options: what the caller may pass, the defaults, and the normalised form that is
 * recorded in the manifest and the audit event (so two exports with equal options record equal
 * filters byte for byte).
 */
import { z } from 'zod';
import { UsageError } from '../util/errors.ts';
import type { ExportProgress } from '../../shared/models/export.ts';
export type { ExportProgress };

export const EXPORT_FORMATS = ['sft', 'preference', 'trl-dpo', 'classifier'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const OUTPUT_KINDS = ['jsonl', 'parquet'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

export const SPLITS = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];

export const EXPORT_DECISIONS = ['violation', 'dismiss', 'escalate'] as const;
export type ExportDecision = (typeof EXPORT_DECISIONS)[number];

/** Only final decisions by default: an escalated item is still waiting for its verdict. */
export const DEFAULT_DECISIONS: readonly ExportDecision[] = ['violation', 'dismiss'];
export const DEFAULT_SPLIT = { train: 0.8, validation: 0.1, test: 0.1 } as const;
export const DEFAULT_SEED = 1;
export const DEFAULT_SHARD_ROWS = 100_000;
export const DEFAULT_ROW_GROUP_ROWS = 5_000;
export const DEFAULT_LICENSE = 'other';

export interface ExportFilters {
  decisions?: ExportDecision[];
  labels?: string[];
  routes?: string[];
  models?: string[];
  /** Inclusive lower bound on the item's creation time (any ISO 8601 date or date-time). */
  from?: string;
  /** Exclusive upper bound on the item's creation time. */
  to?: string;
  reviewers?: string[];
}

export interface ExportOptions {
  format: ExportFormat;
  /** The output folder: created if missing; must be empty if it exists. */
  out: string;
  /** Default: both. */
  outputs?: OutputKind[];
  filters?: ExportFilters;
  seed?: number;
  /** train / validation / test ratios; must sum to 1. */
  split?: { train: number; validation: number; test: number };
  /** Redact PII in every exported text (default true). */
  redact?: boolean;
  /** Export even though PII-flagged items are unresolved, or flagged items would leave unredacted. Audited. */
  allowUnredacted?: boolean;
  /** sft only: dismissed items without a correction contribute their original output. */
  includeDismissed?: boolean;
  /** Preference formats: keep pairs whose prompts differ (left out and counted by default). */
  keepInconsistent?: boolean;
  /** Dataset card license (an SPDX id or a Hugging Face license name). Default `other`. */
  license?: string;
  shardRows?: number;
  rowGroupRows?: number;
  /** Who ran the export, for the audit event. */
  actor?: string;
  /**
   * Worker threads for redaction and row building; 0 runs everything in this thread. Default:
   * one per spare core (max 3) when at least 20,000 items are selected, else 0. Output is
   * byte-identical whatever the count.
   */
  threads?: number;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
}

/** The normalised filters, as recorded in the manifest and the audit event. */
export interface NormalizedFilters {
  decisions: ExportDecision[];
  labels: string[];
  routes: string[];
  models: string[];
  from: string | null;
  to: string | null;
  reviewers: string[];
}

export interface NormalizedOptions {
  format: ExportFormat;
  out: string;
  outputs: OutputKind[];
  filters: NormalizedFilters;
  seed: number;
  split: { train: number; validation: number; test: number };
  redact: boolean;
  allowUnredacted: boolean;
  includeDismissed: boolean;
  keepInconsistent: boolean;
  license: string;
  shardRows: number;
  rowGroupRows: number;
  actor: string;
}

const sortedUnique = (xs: readonly string[] | undefined): string[] =>
  [...new Set((xs ?? []).map((x) => x.trim()).filter((x) => x !== ''))].sort();

function isoBound(v: string | undefined, name: string): string | null {
  if (v === undefined || v === '') return null;
  const d = new Date(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(d.getTime()))
    throw new UsageError(`--${name} must be an ISO 8601 date or date-time such as 2026-10-01 or 2026-10-01T12:00:00Z, got "${v}"`);
  return d.toISOString();
}

const licenseSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.+-]{0,63}$/, 'a license id such as other, cc-by-4.0 or apache-2.0');

export function normalizeOptions(o: ExportOptions): NormalizedOptions {
  if (!(EXPORT_FORMATS as readonly string[]).includes(o.format))
    throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got "${String(o.format)}"`);
  if (!o.out) throw new UsageError('give an output folder with --out DIR');
  const outputs = o.outputs && o.outputs.length ? [...new Set(o.outputs)].sort() : [...OUTPUT_KINDS];
  for (const k of outputs) if (!(OUTPUT_KINDS as readonly string[]).includes(k)) throw new UsageError(`unknown output kind "${k}"`);
  const f = o.filters ?? {};
  const decisions = f.decisions && f.decisions.length ? [...new Set(f.decisions)].sort() : [...DEFAULT_DECISIONS];
  for (const d of decisions)
    if (!(EXPORT_DECISIONS as readonly string[]).includes(d))
      throw new UsageError(`--decision must be one of ${EXPORT_DECISIONS.join(', ')} (skips never count), got "${d}"`);
  const from = isoBound(f.from, 'from');
  const to = isoBound(f.to, 'to');
  if (from && to && from >= to) throw new UsageError(`--from (${from}) must be before --to (${to})`);
  const seed = o.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got "${String(seed)}"`);
  const split = o.split ?? { ...DEFAULT_SPLIT };
  const parts = [split.train, split.validation, split.test];
  if (parts.some((x) => !Number.isFinite(x) || x < 0) || Math.abs(parts.reduce((a, b) => a + b, 0) - 1) > 1e-9)
    throw new UsageError(`--split must be three non-negative ratios that sum to 1 (train,validation,test), got ${parts.join(',')}`);
  const license = o.license ?? DEFAULT_LICENSE;
  const lic = licenseSchema.safeParse(license);
  if (!lic.success) throw new UsageError(`--license must be ${lic.error.issues[0]!.message}, got "${license}"`);
  const positive = (v: number | undefined, fallback: number, name: string) => {
    const n = v ?? fallback;
    if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer, got "${String(v)}"`);
    return n;
  };
  if (o.includeDismissed && o.format !== 'sft') throw new UsageError('--include-dismissed applies to --format sft only');
  return {
    format: o.format,
    out: o.out,
    outputs: outputs as OutputKind[],
    filters: {
      decisions: decisions as ExportDecision[],
      labels: sortedUnique(f.labels),
      routes: sortedUnique(f.routes),
      models: sortedUnique(f.models),
      from,
      to,
      reviewers: sortedUnique(f.reviewers),
    },
    seed,
    split: { train: split.train, validation: split.validation, test: split.test },
    redact: o.redact ?? true,
    allowUnredacted: o.allowUnredacted ?? false,
    includeDismissed: o.includeDismissed ?? false,
    keepInconsistent: o.keepInconsistent ?? false,
    license,
    shardRows: positive(o.shardRows, DEFAULT_SHARD_ROWS, 'shardRows'),
    rowGroupRows: positive(o.rowGroupRows, DEFAULT_ROW_GROUP_ROWS, 'rowGroupRows'),
    actor: o.actor ?? 'system',
  };
}
