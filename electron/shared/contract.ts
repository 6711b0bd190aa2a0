/**
 * The one contract between the UI and the core. The preload, the Electron IPC handlers and the
 * browser-mode host all implement it; the renderer reaches it only through `renderer/api.ts`.
 * Inputs are zod schemas (validated on the trusted side before any service runs); outputs are
 * types. Nothing here imports Node or Electron.
 */
import { z } from 'zod';
import type { Cursor, ItemDetail as StoredItemDetail, ItemStatus, QueueRow, RevisionRow as StoredRevisionRow } from '../../db/queries/items.ts';
import type { QuarantineRow } from '../../db/queries/quarantine.ts';
import type { SourceFileRow, SourceRow } from '../../db/queries/sources.ts';
import type { HistoryVerdict, SpanEdit, VerdictRow } from '../../db/queries/verdicts.ts';
import type { EscalationRecord } from '../core/record/schema.ts';
import type { LabelSuggestion } from '../core/review/suggestions.ts';
import type { TreeHead } from '../core/audit/merkle.ts';
import type { IngestProgress, IngestSummary } from '../core/ingest/ingest.ts';
import type { RouteField, Taxonomy, TaxonomyLabel } from '../core/review/taxonomy.ts';
import type { ExportProgress, ExportSummary } from '../core/export/index.ts';
import type { VerifyExportResult } from '../core/export/verify.ts';
import type { ImportSummary } from '../core/sync/import.ts';
import type { SourceSyncResult, SourceSyncStatus } from '../core/sync/syncer.ts';
import type { Dashboard, MetricCell, MetricFilter } from '../core/metrics/dashboard.ts';
import type { MetricFacets } from '../core/metrics/handlers.ts';
import type { OversightReport } from '../core/metrics/report.ts';

/** An item as the UI sees it: the stored row with its record parsed as an escalation record. */
export type ItemDetail = StoredItemDetail<EscalationRecord>;
export type RevisionRow = StoredRevisionRow<EscalationRecord>;

export type { Cursor, ItemStatus, QueueRow, QuarantineRow, SourceRow, SourceFileRow, VerdictRow, HistoryVerdict, SpanEdit, TreeHead, Taxonomy, TaxonomyLabel, RouteField };
export type { ExportProgress, ExportSummary, VerifyExportResult };
export type { IngestProgress, IngestSummary, ImportSummary, SourceSyncResult, SourceSyncStatus };
export type { Dashboard, MetricCell, MetricFacets, MetricFilter, OversightReport };

const id = z.string().min(1).max(200);
const shortText = z.string().max(4096);

export const statusSchema = z.enum(['new', 'in_review', 'decided', 'escalated', 'conflict', 'skipped']);
export const decisionSchema = z.enum(['violation', 'dismiss', 'escalate', 'skip']);

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');

/** The oversight dashboard's scope: UTC days from..to inclusive and dimension filters. */
export const metricFilterSchema = z
  .object({
    from: isoDay,
    to: isoDay,
    route: shortText.optional(),
    policy: shortText.optional(),
    detector: shortText.optional(),
    category: shortText.optional(),
    model: shortText.optional(),
    version: shortText.optional(),
    reviewer: shortText.optional(),
  })
  .strict();

/** The items behind one dashboard number (a drill-down sets it as a queue filter). */
export const metricCellSchema = metricFilterSchema
  .extend({
    state: z.array(z.enum(['open', 'violation', 'dismiss', 'escalate'])).max(4).optional(),
    priority: z.number().int().min(0).max(3).optional(),
    day: isoDay.optional(),
    flag: z.enum(['halluc', 'pii', 'breached', 'overturned', 'overlap', 'agreed', 'traced']).optional(),
  })
  .strict();

export const queueFilterSchema = z
  .object({
    status: z.array(statusSchema).max(5).optional(),
    priority: z.array(z.number().int().min(0).max(3)).max(4).optional(),
    route: z.array(shortText).max(50).optional(),
    flagCategory: shortText.optional(),
    flagPolicy: shortText.optional(),
    model: shortText.optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    search: z.string().max(500).optional(),
    oversight: metricCellSchema.optional(),
  })
  .strict();

export const cursorSchema = z.object({ p: z.number().int(), c: z.number().int(), s: z.number().int(), k: z.literal(1).optional() }).strict();

const verdictFields = {
  decision: decisionSchema,
  labels: z.array(z.string().max(64)).max(100).default([]),
  severity: z.enum(['low', 'medium', 'high', 'critical']).nullable().default(null),
  correction: z.string().max(1_000_000).nullable().default(null),
  rationale: z.string().max(65_536).nullable().default(null),
  routeTo: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/).nullable().default(null),
  flagReviews: z.array(z.object({ flag: z.number().int().min(0).max(999), accepted: z.boolean() }).strict()).max(1000).default([]),
  routeFields: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), z.string().max(2000)).default({}),
  spanEdits: z
    .array(
      z.discriminatedUnion('op', [
        z.object({ op: z.literal('add'), field: z.string().max(64), start: z.number().int().min(0), end: z.number().int().min(0), label: z.string().min(1).max(200) }).strict(),
        z.object({ op: z.literal('adjust'), flag: z.number().int().min(0).max(999), span: z.number().int().min(0).max(9999), start: z.number().int().min(0), end: z.number().int().min(0) }).strict(),
        z.object({ op: z.literal('reject'), flag: z.number().int().min(0).max(999), span: z.number().int().min(0).max(9999) }).strict(),
      ]),
    )
    .max(1000)
    .default([]),
};

/** Every call: its input schema. Output types are in `ApiOutputs`. */
export const contract = {
  'workspace.info': z.object({}).strict(),
  'workspace.setReviewer': z.object({ reviewer: z.string().trim().min(1).max(120) }).strict(),
  'queue.page': z
    .object({ filter: queueFilterSchema, after: cursorSchema.nullable(), limit: z.number().int().min(1).max(500) })
    .strict(),
  'queue.counts': z.object({ filter: queueFilterSchema }).strict(),
  'queue.facets': z.object({}).strict(),
  'item.get': z.object({ id }).strict(),
  'verdict.submit': z.object({ itemId: id, revisionId: id, ...verdictFields }).strict(),
  'verdict.amend': z.object({ verdictId: id, ...verdictFields }).strict(),
  'verdict.undo': z.object({}).strict(),
  'taxonomy.get': z.object({}).strict(),
  'taxonomy.set': z.object({ json: z.string().max(1_000_000) }).strict(),
  'sources.list': z.object({}).strict(),
  'ingest.start': z
    .object({
      path: z.string().min(1).max(4096),
      preset: z.enum(['hh-rlhf']).optional(),
      mappingFile: z.string().max(4096).optional(),
    })
    .strict(),
  'jobs.list': z.object({}).strict(),
  'jobs.cancel': z.object({ jobId: id }).strict(),
  'quarantine.list': z.object({ limit: z.number().int().min(1).max(500), beforeSeq: z.number().int().optional() }).strict(),
  'audit.head': z.object({}).strict(),
  'audit.verify': z.object({}).strict(),
  'app.openExternal': z.object({ url: z.string().max(8192) }).strict(),
  'links.check': z.object({ url: z.string().max(8192) }).strict(),
  'links.hosts': z.object({}).strict(),
  'links.setHosts': z.object({ hosts: z.array(z.string().min(1).max(253)).max(500) }).strict(),
  'verdicts.import': z.object({ path: z.string().min(1).max(4096) }).strict(),
  'export.start': z
    .object({
      format: z.enum(['sft', 'preference', 'trl-dpo', 'classifier']),
      out: z.string().min(1).max(4096),
      outputs: z.array(z.enum(['jsonl', 'parquet'])).min(1).max(2).optional(),
      filters: z
        .object({
          decisions: z.array(z.enum(['violation', 'dismiss', 'escalate'])).max(3).optional(),
          labels: z.array(z.string().max(64)).max(100).optional(),
          routes: z.array(shortText).max(50).optional(),
          models: z.array(shortText).max(50).optional(),
          from: z.string().max(64).optional(),
          to: z.string().max(64).optional(),
          reviewers: z.array(shortText).max(50).optional(),
        })
        .strict()
        .optional(),
      seed: z.number().int().min(0).max(2 ** 31).optional(),
      split: z.object({ train: z.number().min(0).max(1), validation: z.number().min(0).max(1), test: z.number().min(0).max(1) }).strict().optional(),
      redact: z.boolean().optional(),
      allowUnredacted: z.boolean().optional(),
      includeDismissed: z.boolean().optional(),
      license: z.string().max(64).optional(),
    })
    .strict(),
  'export.verify': z.object({ dir: z.string().min(1).max(4096) }).strict(),
  'sync.status': z.object({}).strict(),
  'sync.run': z.object({ sourceId: id.optional() }).strict(),
  'sync.retry': z.object({ sourceId: id }).strict(),
  'metrics.dashboard': z.object({ filter: metricFilterSchema }).strict(),
  'metrics.facets': z.object({}).strict(),
  'metrics.report': z.object({ from: isoDay, to: isoDay }).strict(),
} as const;

export type Method = keyof typeof contract;
export type ApiInput<M extends Method> = z.input<(typeof contract)[M]>;
export type ApiParsedInput<M extends Method> = z.output<(typeof contract)[M]>;

export interface WorkspaceInfo {
  path: string;
  id: string;
  isDemo: boolean;
  schemaVersion: number;
  appVersion: string;
  reviewer: string;
  items: number;
  counts: Record<ItemStatus, number>;
  quarantined: number;
  searchPending: number;
  auditHead: TreeHead;
  mode: 'desktop' | 'browser';
}

export interface ItemEvent {
  seq: number;
  type: string;
  at: string;
  actor: string;
  data: Record<string, unknown>;
}

export interface ItemView {
  item: ItemDetail;
  /** Oldest first; `inForce` (from SQL) marks the verdict the item's decision rests on. */
  verdicts: HistoryVerdict[];
  current: VerdictRow | null;
  events: ItemEvent[];
  /** Labels the detector flags suggest (electron/core/review/suggestions.ts), shown as suggestions. */
  suggestedLabels: LabelSuggestion[];
  /** The item route's taxonomy: the labels the form offers (in key order) and the structured fields it asks for. */
  routeTaxonomy: { labels: TaxonomyLabel[]; fields: RouteField[] };
}

export interface Facets {
  routes: string[];
  models: string[];
  flagCategories: string[];
  flagPolicies: string[];
}

export interface Job {
  id: string;
  kind: 'ingest' | 'export';
  label: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  /** Ingest jobs. */
  progress: IngestProgress | null;
  summary: IngestSummary | null;
  /** Export jobs. */
  exportProgress: ExportProgress | null;
  exportSummary: ExportSummary | null;
  error: string | null;
  startedAt: string;
}

export interface SourceView extends SourceRow {
  items: number;
  quarantined: number;
  files: SourceFileRow[];
}

export type VerifyView = { ok: true; head: TreeHead } | { ok: false; head: TreeHead; badSeq: number | null; reason: string };

export interface ApiOutputs {
  'workspace.info': WorkspaceInfo;
  'workspace.setReviewer': { reviewer: string };
  'queue.page': { rows: QueueRow[]; next: Cursor | null };
  /** `capped`: a scanning filter matched more than COUNT_CAP rows, so counts are lower bounds. */
  'queue.counts': { counts: Record<ItemStatus, number>; total: number; capped: boolean };
  'queue.facets': Facets;
  'item.get': ItemView;
  'verdict.submit': VerdictRow;
  'verdict.amend': VerdictRow;
  'verdict.undo': { undone: VerdictRow; undo: VerdictRow } | null;
  'taxonomy.get': Taxonomy;
  'taxonomy.set': Taxonomy;
  'sources.list': SourceView[];
  'ingest.start': Job;
  'jobs.list': Job[];
  'jobs.cancel': Job;
  'quarantine.list': QuarantineRow[];
  'audit.head': TreeHead;
  'audit.verify': VerifyView;
  'app.openExternal': { opened: boolean };
  /** Whether a link may be opened, as what, and whether its host is on the workspace allow-list. */
  'links.check': { href: string; host: string; allowListed: boolean };
  'links.hosts': { hosts: string[] };
  'links.setHosts': { hosts: string[] };
  'verdicts.import': ImportSummary;
  'export.start': Job;
  'export.verify': VerifyExportResult;
  'sync.status': SourceSyncStatus[];
  'sync.run': { results: SourceSyncResult[]; sources: SourceSyncStatus[] };
  'sync.retry': { reset: number; sources: SourceSyncStatus[] };
  'metrics.dashboard': Dashboard;
  'metrics.facets': MetricFacets;
  'metrics.report': { html: string; report: OversightReport };
}

/** Events pushed from the core to the UI. */
export interface ApiEvents {
  'job.updated': Job;
  'workspace.changed': { reason: 'ingest' | 'verdict' | 'taxonomy' | 'settings' | 'export' };
  /** Delivery back to the sources: after the first background run and every run that did something. */
  'sync.status': { sources: SourceSyncStatus[] };
}
export type EventName = keyof ApiEvents;

/** Errors cross the boundary as data: a code the UI can branch on and one human line. */
export interface ApiErrorBody {
  code: string;
  message: string;
}

export type ApiResult<M extends Method> = { ok: true; value: ApiOutputs[M] } | { ok: false; error: ApiErrorBody };

/** What the preload exposes as `window.verdict`, and what browser mode builds over fetch. */
export interface VerdictBridge {
  call<M extends Method>(method: M, input: ApiInput<M>): Promise<ApiResult<M>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

export const IPC_CALL_CHANNEL = 'verdict:call';
export const IPC_EVENT_CHANNEL = 'verdict:event';
export const METHODS = Object.keys(contract) as Method[];
