/**
 * The workspace schema. Ids that can leave the machine (items, revisions, verdicts, events,
 * sources) are UUIDv7 text; integer `seq` columns exist for keyset paging, the FTS rowid and
 * the audit leaf index, and never leave the workspace on their own.
 *
 * The FTS5 table and the append-only triggers live in a custom migration (drizzle cannot
 * describe them); see db/migrations.
 */
import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const sources = sqliteTable('sources', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: ['jsonl', 'postgres', 'stdin', 'import'] }).notNull(),
  name: text('name').notNull(),
  uri: text('uri').notNull().unique(),
  preset: text('preset'),
  mapping: text('mapping'),
  createdAt: text('created_at').notNull(),
});

/** How far each file of a source has been read, so a pull takes only what is new. */
export const sourceFiles = sqliteTable(
  'source_files',
  {
    id: text('id').primaryKey(),
    sourceId: text('source_id')
      .notNull()
      .references(() => sources.id),
    path: text('path').notNull(),
    size: integer('size').notNull(),
    offset: integer('offset').notNull(),
    lines: integer('lines').notNull(),
    prefixSha256: text('prefix_sha256').notNull(),
    tailSha256: text('tail_sha256').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('source_files_source_path').on(t.sourceId, t.path)],
);

export const items = sqliteTable(
  'items',
  {
    seq: integer('seq').primaryKey(),
    id: text('id').notNull().unique(),
    sourceId: text('source_id')
      .notNull()
      .references(() => sources.id),
    externalId: text('external_id').notNull(),
    createdAt: text('created_at').notNull(),
    /** created_at as epoch milliseconds: the queue indexes key on it (6 bytes, not 24). */
    createdMs: integer('created_ms').notNull().default(0),
    /** A 52-bit hash of external_id: the idempotency lookup's index stays small and cheap to grow. */
    extKey: integer('ext_key').notNull().default(0),
    ingestedAt: text('ingested_at').notNull(),
    priority: integer('priority').notNull(),
    riskTier: text('risk_tier'),
    route: text('route').notNull(),
    status: text('status', { enum: ['new', 'in_review', 'decided', 'escalated', 'conflict', 'skipped'] }).notNull(),
    revision: integer('revision').notNull(),
    contentSha256: text('content_sha256').notNull(),
    flagCount: integer('flag_count').notNull(),
    topFlagSource: text('top_flag_source'),
    topFlagCategory: text('top_flag_category'),
    topFlagPolicy: text('top_flag_policy'),
    topFlagScore: real('top_flag_score'),
    model: text('model'),
    snippet: text('snippet').notNull(),
  },
  (t) => [
    // Not unique by itself: ingest checks source_id and external_id on the (rare) rows it finds.
    index('items_ext').on(t.extKey),
    // The queue order: priority first, then oldest first; seq breaks ties for keyset paging.
    // One index serves every status filter: a page over several statuses merges one ordered
    // scan per status (db/queries/items.ts), which spares an ingest a third random-order index.
    index('items_queue').on(t.status, t.priority, t.createdMs, t.seq),
  ],
);

/** Every content version of an item ever received; never updated. */
export const itemRevisions = sqliteTable(
  'item_revisions',
  {
    seq: integer('seq').primaryKey(),
    id: text('id').notNull().unique(),
    itemSeq: integer('item_seq')
      .notNull()
      .references(() => items.seq),
    revision: integer('revision').notNull(),
    contentSha256: text('content_sha256').notNull(),
    record: text('record').notNull(),
    sourceFile: text('source_file'),
    line: integer('line'),
    ingestedAt: text('ingested_at').notNull(),
  },
  (t) => [uniqueIndex('item_revisions_item_rev').on(t.itemSeq, t.revision)],
);

/** Items whose text is not yet in the full-text index. */
export const ftsQueue = sqliteTable('fts_queue', {
  itemSeq: integer('item_seq').primaryKey(),
});

export const quarantine = sqliteTable(
  'quarantine',
  {
    seq: integer('seq').primaryKey(),
    id: text('id').notNull().unique(),
    sourceId: text('source_id').references(() => sources.id),
    file: text('file').notNull(),
    line: integer('line').notNull(),
    byteOffset: integer('byte_offset').notNull(),
    error: text('error').notNull(),
    jsonPath: text('json_path').notNull(),
    raw: text('raw').notNull(),
    rawBytes: integer('raw_bytes').notNull(),
    rawSha256: text('raw_sha256').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('quarantine_source').on(t.sourceId, t.seq)],
);

export const verdicts = sqliteTable(
  'verdicts',
  {
    seq: integer('seq').primaryKey(),
    id: text('id').notNull().unique(),
    itemSeq: integer('item_seq')
      .notNull()
      .references(() => items.seq),
    revisionId: text('revision_id').notNull(),
    kind: text('kind', { enum: ['verdict', 'amendment', 'undo', 'import', 'adjudication'] }).notNull(),
    supersedes: text('supersedes'),
    reviewer: text('reviewer').notNull(),
    decision: text('decision', { enum: ['violation', 'dismiss', 'escalate', 'skip', 'retracted'] }).notNull(),
    routeTo: text('route_to'),
    labels: text('labels').notNull().default('[]'),
    severity: text('severity'),
    correction: text('correction'),
    rationale: text('rationale'),
    decidedAt: text('decided_at').notNull(),
    auditSeq: integer('audit_seq').notNull(),
    /** JSON [{flag, accepted}]: the reviewer's accept/reject of each detector flag (migration 0007). */
    flagReviews: text('flag_reviews').notNull().default('[]'),
    /** JSON span edits (add / adjust / reject), canonical and sorted (migration 0009). */
    spanEdits: text('span_edits').notNull().default('[]'),
    /** JSON object of the route's structured fields (migration 0009). */
    routeFields: text('route_fields').notNull().default('{}'),
  },
  (t) => [
    index('verdicts_item').on(t.itemSeq, t.seq),
    index('verdicts_supersedes').on(t.supersedes),
    index('verdicts_reviewer').on(t.reviewer, t.seq),
  ],
);

/**
 * The audit log: leaf `seq` of an RFC 6962 tree. `body` is the canonical (RFC 8785) event;
 * `leaf_hash` is SHA-256(0x00 || body) in hex. Triggers refuse UPDATE and DELETE.
 */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    seq: integer('seq').primaryKey(),
    id: text('id').notNull().unique(),
    type: text('type').notNull(),
    at: text('at').notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    leafHash: text('leaf_hash').notNull(),
  },
  (t) => [index('audit_events_subject').on(t.subject, t.seq)],
);

/**
 * The transactional outbox: one row per verdict, written in the verdict's own transaction, for
 * delivery back to the source its item came from (see electron/core/sync). Rows of sources with
 * no return path (stdin, demo) are born `no_return_path` and never delivered.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    seq: integer('seq').primaryKey(),
    verdictId: text('verdict_id')
      .notNull()
      .unique()
      .references(() => verdicts.id),
    sourceId: text('source_id')
      .notNull()
      .references(() => sources.id),
    state: text('state', { enum: ['pending', 'delivered', 'failed', 'no_return_path'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: text('created_at').notNull(),
    deliveredAt: text('delivered_at'),
  },
  (t) => [
    index('outbox_source_state').on(t.sourceId, t.state),
    // Only what still has to go out: delivery scans stay small however long the history grows.
    index('outbox_due')
      .on(t.sourceId, t.seq)
      .where(sql`state IN ('pending', 'failed')`),
  ],
);

/** Per-source delivery state: backoff after failures, the last error, the last success. */
export const syncState = sqliteTable('sync_state', {
  sourceId: text('source_id')
    .primaryKey()
    .references(() => sources.id),
  target: text('target'),
  failures: integer('failures').notNull().default(0),
  nextAttemptAt: text('next_attempt_at'),
  lastAttemptAt: text('last_attempt_at'),
  lastError: text('last_error'),
  lastDeliveredAt: text('last_delivered_at'),
});

/**
 * What `verdicts import` has already done, so importing a file again changes nothing. `key` is
 * `v1:<sha256>` of an imported verdict's normalized content, or `q1:<sha256>` of a quarantined
 * line's file, line number, bytes and error.
 */
export const verdictImports = sqliteTable('verdict_imports', {
  key: text('key').primaryKey(),
  verdictId: text('verdict_id').references(() => verdicts.id),
  quarantineId: text('quarantine_id').references(() => quarantine.id),
  file: text('file').notNull(),
  line: integer('line').notNull(),
  createdAt: text('created_at').notNull(),
});

/** Hold, release, reopen, gold, consult and reveal actions on an item (migration 0010): append-only, audited. */
export const itemActions = sqliteTable(
  'item_actions',
  {
    seq: integer('seq').primaryKey(),
    id: text('id').notNull().unique(),
    itemSeq: integer('item_seq')
      .notNull()
      .references(() => items.seq),
    kind: text('kind', { enum: ['hold', 'release', 'reopen', 'gold', 'consult', 'reveal'] }).notNull(),
    reason: text('reason'),
    dueAt: text('due_at'),
    data: text('data').notNull().default('{}'),
    actor: text('actor').notNull(),
    at: text('at').notNull(),
    auditSeq: integer('audit_seq').notNull(),
  },
  (t) => [index('item_actions_item').on(t.itemSeq, t.seq), index('item_actions_kind').on(t.kind, t.seq)],
);
