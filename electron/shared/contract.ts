/**
 * The one contract between the UI and the core. The preload, the Electron IPC handlers and the
 * browser-mode host all implement it; the renderer reaches it only through `renderer/api.ts`.
 * Inputs are zod schemas (validated on the trusted side before any service runs); outputs are
 * types. Nothing here imports Node or Electron.
 */
import { z } from 'zod';
import type { Cursor, Facets, ItemDetail, ItemStatus, QuarantineRow, QueuePageRow, QueueRow, RevisionRow } from './models/items.ts';
import type { SourceFileRow, SourceRow } from './models/sources.ts';
import type { HistoryVerdict, LabelSuggestion, SpanEdit, VerdictRow } from './models/review.ts';
import type { TreeHead } from './models/audit.ts';
import type { IngestProgress, IngestSummary, ReindexProgress, ReindexSummary } from './models/ingest.ts';
import type { RouteField, Taxonomy, TaxonomyLabel } from './models/taxonomy.ts';
import type { ExportProgress, ExportSummary, VerifyExportResult } from './models/export.ts';
import type { ImportSummary, SourceSyncResult, SourceSyncStatus } from './models/sync.ts';
import type { Dashboard, DimensionPanels, MetricCatchUp, MetricCell, MetricFacets, MetricFilter, ModelPanels, OperationPanels, OversightReport, Overview } from './models/metrics.ts';
import type { ErrorCode } from './models/errors.ts';
import type { TeamBatchView, TeamChange, TeamItemView, TeamStatus } from './models/team.ts';
import type { TeamAdjudication, TeamExpertClaim, TeamHistoryRow, TeamLeadItem, TeamLeadView, TeamOutcome, TeamPoolRow, TeamSide } from './models/team-expert.ts';
import { expertSettingsSchema, type AgreementReport, type Figure, type AdjudicationQueueRow, type AdjudicationSide, type AdjudicationView, type WellbeingView, type GoldVerdict, type ExpertSettings, type GoldAccuracyRow, type GoldItemRow, type HoldRow, type ItemActionRow, type OverturnReport } from './models/expert.ts';

// The outputs below are plain model types (./models), shared by UI and backend; the contract
// imports nothing from db/ or core.
export type { Cursor, Facets, ItemDetail, ItemStatus, QueueRow, QueuePageRow, QuarantineRow, RevisionRow, SourceRow, SourceFileRow, VerdictRow, HistoryVerdict, SpanEdit, TreeHead, Taxonomy, TaxonomyLabel, RouteField };
export type { ExportProgress, ExportSummary, VerifyExportResult };
export type { IngestProgress, IngestSummary, ImportSummary, SourceSyncResult, SourceSyncStatus };
export type { Dashboard, DimensionPanels, MetricCatchUp, MetricCell, MetricFacets, MetricFilter, ModelPanels, OperationPanels, OversightReport, Overview };
export { ERROR_CODES, isErrorCode, type ErrorCode } from './models/errors.ts';
export type { TeamBatchView, TeamChange, TeamItemView, TeamStatus };
export type { TeamAdjudication, TeamExpertClaim, TeamHistoryRow, TeamLeadItem, TeamLeadView, TeamOutcome, TeamPoolRow, TeamSide };
export type { AgreementReport, Figure, AdjudicationQueueRow, AdjudicationSide, AdjudicationView, WellbeingView, GoldVerdict, ExpertSettings };
export type { GoldAccuracyRow, GoldItemRow, HoldRow, ItemActionRow };

const id = z.string().min(1).max(200);
/** A team database id or fencing token (a PostgreSQL bigint, as decimal text). */
const teamId = z.string().regex(/^[0-9]{1,18}$/, 'a team id is a number');
const teamLabels = z.array(z.string().trim().min(1).max(64)).max(100).default([]);
const shortText = z.string().max(4096);

export const statusSchema = z.enum(['new', 'in_review', 'decided', 'escalated', 'conflict', 'disputed', 'on_hold', 'skipped']);
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
    deployment: shortText.optional(),
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
    /** Reviewed items with a flag call on this detector, policy or category (false positives only, or all). */
    call: z.object({ dim: z.enum(['detector', 'policy', 'category']), value: shortText, falsePositive: z.boolean() }).strict().optional(),
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
    /** provenance.deployment (read from metric_items, migration 0022). */
    deployment: shortText.optional(),
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
  'workspace.routes': z.object({}).strict(),
  'workspace.setReviewer': z.object({ reviewer: z.string().trim().min(1).max(120) }).strict(),
  'queue.page': z
    .object({ filter: queueFilterSchema, after: cursorSchema.nullable(), limit: z.number().int().min(1).max(1000) })
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
  /** Rebuild the full-text rows (older index text) and derived facets; `all` even when current. */
  'search.reindex': z.object({ all: z.boolean().default(false) }).strict(),
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
  /** The dashboard's panels after the overview, in three parts it asks for side by side. */
  'metrics.dimensions': z.object({ filter: metricFilterSchema }).strict(),
  'metrics.models': z.object({ filter: metricFilterSchema }).strict(),
  'metrics.operations': z.object({ filter: metricFilterSchema }).strict(),
  /** Without a filter: the data's whole extent (the dashboard's default range). */
  'metrics.overview': z.object({ filter: metricFilterSchema.optional() }).strict(),
  'metrics.facets': z.object({}).strict(),
  'metrics.report': z.object({ from: isoDay, to: isoDay }).strict(),
  'team.status': z.object({}).strict(),
  /** The password travels once, inward; no output ever carries it. */
  'team.connect': z
    .object({
      url: z.string().trim().min(1).max(2048),
      user: z.string().trim().min(1).max(63),
      password: z.string().max(1024).optional(),
    })
    .strict(),
  'team.disconnect': z.object({ forget: z.boolean().default(false) }).strict(),
  'team.claim': z.object({ count: z.number().int().min(1).max(50) }).strict(),
  'team.item': z.object({ seq: z.number().int().min(1) }).strict(),
  'team.heartbeat': z.object({ seq: z.number().int().min(1) }).strict(),
  'team.release': z.object({ seq: z.number().int().min(1) }).strict(),
  'team.submit': z.object({ seq: z.number().int().min(1), ...verdictFields, decision: z.enum(['violation', 'dismiss', 'escalate']) }).strict(),
  'team.submitNext': z.object({ seq: z.number().int().min(1), ...verdictFields, decision: z.enum(['violation', 'dismiss', 'escalate']) }).strict(),
  'team.push': z.object({}).strict(),
  // Expert review in team mode (issue 13): every rule is the team database's (migration 0007).
  'team.adjudication.claim': z.object({}).strict(),
  'team.adjudication.decide': z
    .object({
      itemId: teamId,
      token: teamId,
      decision: z.enum(['violation', 'dismiss', 'escalate']),
      labels: teamLabels,
      severity: z.string().max(64).nullable().default(null),
      rationale: z.string().max(65_536).nullable().default(null),
    })
    .strict(),
  'team.escalate': z
    .object({
      seq: z.number().int().min(1),
      toRoute: z.string().trim().min(1).max(64),
      question: z.string().trim().min(1).max(10_000),
      firstDecision: z.enum(['violation', 'dismiss']),
      firstLabels: teamLabels,
    })
    .strict(),
  'team.hold': z.object({ seq: z.number().int().min(1), reason: z.string().trim().min(1).max(2000), reviewBy: z.iso.datetime({ offset: true }) }).strict(),
  'team.expert.pool': z.object({}).strict(),
  'team.expert.claim': z.object({}).strict(),
  'team.expert.answer': z
    .object({
      escalationId: teamId,
      token: teamId,
      kind: z.enum(['verdict', 'consult']),
      decision: z.enum(['violation', 'dismiss']).optional(),
      labels: teamLabels,
      note: z.string().trim().max(65_536).optional(),
    })
    .strict(),
  'team.lead.view': z.object({}).strict(),
  'team.lead.releaseHold': z.object({ itemId: teamId }).strict(),
  'team.lead.reopen': z.object({ itemId: teamId, reason: z.string().trim().min(1).max(2000) }).strict(),
  'team.lead.markGold': z.object({ itemId: teamId, decision: z.enum(['violation', 'dismiss', 'escalate']), labels: teamLabels }).strict(),
  'team.lead.route': z.object({ route: z.string().trim().min(1).max(64), goldRate: z.number().min(0).max(1), slaHours: z.number().min(0.02).max(8760) }).strict(),
  'team.history': z.object({ itemId: teamId }).strict(),
  // Agreement over the team's verdicts (migration 0010): leads and data roles only.
  'team.lead.agreement': z
    .object({ route: shortText.optional(), from: isoDay.optional(), to: isoDay.optional(), resamples: z.number().int().min(0).max(10_000).optional(), seed: z.number().int().optional() })
    .strict(),
  'agreement.report': z
    .object({ route: shortText.optional(), from: isoDay.optional(), to: isoDay.optional(), resamples: z.number().int().min(0).max(10_000).optional(), seed: z.number().int().optional() })
    .strict(),
  'adjudication.queue': z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
  'adjudication.next': z.object({ afterItemId: id.optional() }).strict(),
  'adjudication.get': z.object({ itemId: id }).strict(),
  'adjudication.decide': z.object({ itemId: id, ...verdictFields }).strict(),
  'item.hold': z.object({ itemId: id, reason: z.string().trim().min(1).max(4096), reviewBy: z.iso.datetime({ offset: true }) }).strict(),
  'item.release': z.object({ itemId: id }).strict(),
  'item.reopen': z.object({ itemId: id, reason: z.string().trim().min(1).max(4096) }).strict(),
  'item.consult': z.object({ itemId: id, note: z.string().trim().min(1).max(65_536) }).strict(),
  'item.reveal': z.object({ itemId: id }).strict(),
  'item.actions': z.object({ itemId: id }).strict(),
  'holds.list': z.object({}).strict(),
  'expert.overturns': z.object({ route: z.string().min(1).max(64).optional() }).strict(),
  'gold.mark': z.object({ itemId: id, decision: z.enum(['violation', 'dismiss', 'escalate']), labels: z.array(z.string().max(64)).max(100).default([]) }).strict(),
  'gold.unmark': z.object({ itemId: id }).strict(),
  'gold.list': z.object({}).strict(),
  'expert.settings': z.object({}).strict(),
  'expert.setSettings': expertSettingsSchema,
  'wellbeing.status': z.object({}).strict(),
  /** Writes every verdict given here that the team database has not accepted, as JSONL. */
  'team.exportBatch': z.object({ out: z.string().min(1).max(4096) }).strict(),
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
  mode: 'desktop' | 'browser' | 'cli';
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
  /** Items per route, most first (the CLI's stats). */
  'workspace.routes': { route: string; n: number }[];
  'workspace.setReviewer': { reviewer: string };
  'queue.page': { rows: QueuePageRow[]; next: Cursor | null };
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
  'search.reindex': ReindexSummary;
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
  'metrics.dimensions': DimensionPanels;
  'metrics.models': ModelPanels;
  'metrics.operations': OperationPanels;
  'metrics.overview': Overview;
  'metrics.facets': MetricFacets;
  'metrics.report': { html: string; report: OversightReport };
  'team.status': TeamStatus;
  'team.connect': TeamStatus;
  'team.disconnect': TeamStatus;
  'team.claim': TeamStatus;
  'team.item': TeamItemView;
  'team.heartbeat': TeamBatchView;
  'team.release': TeamBatchView;
  'team.submit': TeamBatchView;
  /** The answered row, and the batch's next claimed item (claimed in the same call when online). */
  'team.submitNext': { row: TeamBatchView; next: TeamBatchView | null };
  'team.push': TeamStatus;
  'team.adjudication.claim': TeamAdjudication | null;
  'team.adjudication.decide': TeamOutcome & { sides: TeamSide[] };
  'team.escalate': TeamBatchView;
  'team.hold': TeamBatchView;
  'team.expert.pool': { rows: TeamPoolRow[]; now: string };
  'team.expert.claim': TeamExpertClaim | null;
  'team.expert.answer': TeamOutcome & { overturned: boolean | null };
  'team.lead.view': TeamLeadView;
  'team.lead.releaseHold': TeamLeadView;
  'team.lead.reopen': TeamLeadView;
  'team.lead.markGold': TeamLeadView;
  'team.lead.route': TeamLeadView;
  'team.history': { rows: TeamHistoryRow[] };
  'team.lead.agreement': AgreementReport;
  'agreement.report': AgreementReport;
  'adjudication.queue': { rows: (AdjudicationQueueRow & { masked: string | null })[]; disputed: number };
  'adjudication.next': { itemId: string | null };
  'adjudication.get': AdjudicationView;
  'adjudication.decide': AdjudicationView;
  'item.hold': ItemActionRow;
  'item.release': ItemActionRow;
  'item.reopen': ItemActionRow;
  'item.consult': ItemActionRow;
  'item.reveal': WellbeingView;
  'item.actions': { actions: ItemActionRow[]; masked: string | null; gold: GoldVerdict | null };
  'holds.list': { holds: HoldRow[]; now: string };
  'expert.overturns': OverturnReport;
  'gold.mark': ItemActionRow;
  'gold.unmark': ItemActionRow;
  'gold.list': { items: GoldItemRow[]; accuracy: GoldAccuracyRow[] };
  'expert.settings': ExpertSettings;
  'expert.setSettings': ExpertSettings;
  'wellbeing.status': WellbeingView;
  'team.exportBatch': { path: string; rows: number };
}

/** Events pushed from the core to the UI. */
export interface ApiEvents {
  'job.updated': Job;
  'workspace.changed': {
    reason: 'ingest' | 'verdict' | 'taxonomy' | 'settings' | 'export';
    /** The items whose state changed, when the write was about items (core/handlers/changes.ts). */
    itemIds?: string[];
  };
  /** Delivery back to the sources: after the first background run and every run that did something. */
  'sync.status': { sources: SourceSyncStatus[] };
  /** Team mode: the connection, the queue (LISTEN/NOTIFY), a lease or an outcome changed. */
  'team.changed': TeamChange;
  /** `search.reindex` progress, after each rebuilt chunk. */
  'search.reindexProgress': ReindexProgress;
  /** The metric tables catching up on a backlog (many items or verdicts to count), after each step. */
  'metrics.catchUp': MetricCatchUp;
}
export type EventName = keyof ApiEvents;

/** Errors cross the boundary as data: a code the UI can branch on and one human line. */
export interface ApiErrorBody {
  code: ErrorCode;
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
