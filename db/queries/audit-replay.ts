/**
 * What `audit verify` reads to replay the log against the state tables (electron/core/audit/replay.ts):
 * the events that describe rows, and the rows joined with what they are checked against.
 */
import type Database from 'better-sqlite3';

export interface RevisionReplayRow {
  seq: number;
  id: string;
  itemSeq: number;
  revision: number;
  sha: string;
  /** The stored record as bytes, hashed as stored. */
  record: Buffer;
  itemId: string | null;
}

export interface VerdictReplayRow {
  seq: number;
  id: string;
  itemSeq: number;
  itemId: string | null;
  revisionId: string;
  kind: string;
  supersedes: string | null;
  reviewer: string;
  decision: string;
  routeTo: string | null;
  labels: string;
  severity: string | null;
  correction: string | null;
  rationale: string | null;
  decidedAt: string;
  auditSeq: number;
  flagReviews: string;
  spanEdits: string;
  routeFields: string;
  /** The event the row names by audit_seq (null when there is none). */
  eventType: string | null;
  body: string | null;
}

export interface ItemReplayRow {
  seq: number;
  id: string;
  revision: number;
  sha: string;
  status: string;
  route: string;
  /** The queue fields the ingest derives from the record (electron/core/ingest/prepared.ts). */
  priority: number;
  riskTier: string | null;
  flagCount: number;
  topFlagSource: string | null;
  topFlagCategory: string | null;
  topFlagPolicy: string | null;
  topFlagScore: number | null;
  model: string | null;
  snippet: string;
  createdAt: string;
  createdMs: number;
  /** content_sha256 of the revision the item says is its latest. */
  revSha: string | null;
}

export interface SourceReplayRow {
  id: string;
  kind: string;
  uri: string;
  preset: string | null;
  mapping: string | null;
  eventSeq: number | null;
  body: string | null;
}

/** `ingest.batch` events from `since` on, in log order. */
export function ingestBatchEvents(sqlite: Database.Database, since: number): IterableIterator<{ seq: number; body: string }> {
  return sqlite
    .prepare("SELECT seq, body FROM audit_events WHERE type = 'ingest.batch' AND seq >= ? ORDER BY seq")
    .iterate(since) as IterableIterator<{ seq: number; body: string }>;
}

/** The seq of the first of the last `n` item revisions (null when there are none). */
export function firstOfLastRevisions(sqlite: Database.Database, n: number): number | null {
  return (sqlite.prepare('SELECT min(seq) FROM (SELECT seq FROM item_revisions ORDER BY seq DESC LIMIT ?)').pluck().get(n) as number | null) ?? null;
}

/** Item revisions from `fromSeq` on, in insertion order, with their item's id (null if it is gone). */
export function revisionsFrom(sqlite: Database.Database, fromSeq: number): IterableIterator<RevisionReplayRow> {
  return sqlite
    .prepare(
      `SELECT r.seq, r.id, r.item_seq AS itemSeq, r.revision, r.content_sha256 AS sha, CAST(r.record AS BLOB) AS record, i.id AS itemId
       FROM item_revisions r LEFT JOIN items i ON i.seq = r.item_seq WHERE r.seq >= ? ORDER BY r.seq`,
    )
    .iterate(fromSeq) as IterableIterator<RevisionReplayRow>;
}

/** The last verdict row written for an event before `auditSeq` (0 when none). */
export function lastVerdictBeforeEvent(sqlite: Database.Database, auditSeq: number): number {
  return (sqlite.prepare('SELECT max(seq) FROM verdicts WHERE audit_seq < ?').pluck().get(auditSeq) as number | null) ?? 0;
}

/** Verdict rows from `fromSeq` on, each with its item's id and the event it names. */
export function verdictsWithEventsFrom(sqlite: Database.Database, fromSeq: number): IterableIterator<VerdictReplayRow> {
  return sqlite
    .prepare(
      `SELECT v.seq, v.id, v.item_seq AS itemSeq, i.id AS itemId, v.revision_id AS revisionId, v.kind, v.supersedes, v.reviewer,
         v.decision, v.route_to AS routeTo, v.labels, v.severity, v.correction, v.rationale, v.decided_at AS decidedAt,
         v.audit_seq AS auditSeq, v.flag_reviews AS flagReviews, v.span_edits AS spanEdits, v.route_fields AS routeFields, a.type AS eventType, a.body
       FROM verdicts v LEFT JOIN items i ON i.seq = v.item_seq LEFT JOIN audit_events a ON a.seq = v.audit_seq
       WHERE v.seq >= ? ORDER BY v.seq`,
    )
    .iterate(fromSeq) as IterableIterator<VerdictReplayRow>;
}

/** Events of these types from `since` on. */
export function countEventsOfTypes(sqlite: Database.Database, types: string[], since: number): number {
  return sqlite
    .prepare(`SELECT count(*) FROM audit_events WHERE type IN (${types.map(() => '?').join(', ')}) AND seq >= ?`)
    .pluck()
    .get(...types, since) as number;
}

/** The first verdict event from `since` on whose row (same id, pointing back at it) is gone. */
export function firstVerdictEventWithoutRow(sqlite: Database.Database, types: string[], since: number): { seq: number; id: string } | undefined {
  return sqlite
    .prepare(
      `SELECT a.seq, json_extract(a.body, '$.data.verdict_id') AS id FROM audit_events a
       WHERE a.type IN (${types.map(() => '?').join(', ')}) AND a.seq >= ?
         AND NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.id = json_extract(a.body, '$.data.verdict_id') AND v.audit_seq = a.seq)
       ORDER BY a.seq LIMIT 1`,
    )
    .get(...types, since) as { seq: number; id: string } | undefined;
}

/** Every item with the content hash of the revision it names, in seq order. */
export function itemsWithLatestRevision(sqlite: Database.Database): IterableIterator<ItemReplayRow> {
  return sqlite
    .prepare(
      `SELECT i.seq, i.id, i.revision, i.content_sha256 AS sha, i.status, i.route, i.priority, i.risk_tier AS riskTier,
         i.flag_count AS flagCount, i.top_flag_source AS topFlagSource, i.top_flag_category AS topFlagCategory,
         i.top_flag_policy AS topFlagPolicy, i.top_flag_score AS topFlagScore, i.model, i.snippet, i.created_at AS createdAt,
         i.created_ms AS createdMs, r.content_sha256 AS revSha
       FROM items i LEFT JOIN item_revisions r ON r.item_seq = i.seq AND r.revision = i.revision ORDER BY i.seq`,
    )
    .iterate() as IterableIterator<ItemReplayRow>;
}

/** Every source with its `source.registered` event (null when there is none). */
export function sourcesWithEvents(sqlite: Database.Database): IterableIterator<SourceReplayRow> {
  return sqlite
    .prepare(
      `SELECT s.id, s.kind, s.uri, s.preset, s.mapping, a.seq AS eventSeq, a.body FROM sources s
       LEFT JOIN audit_events a ON a.subject = s.id AND a.type = 'source.registered' ORDER BY s.id`,
    )
    .iterate() as IterableIterator<SourceReplayRow>;
}

export function countSourceEvents(sqlite: Database.Database): number {
  return sqlite.prepare("SELECT count(*) FROM audit_events WHERE type = 'source.registered'").pluck().get() as number;
}

export function maxItemSeq(sqlite: Database.Database): number {
  return sqlite.prepare('SELECT coalesce(max(seq), 0) FROM items').pluck().get() as number;
}

export interface ActionReplayRow {
  seq: number;
  id: string;
  itemSeq: number;
  itemId: string | null;
  kind: string;
  reason: string | null;
  dueAt: string | null;
  data: string;
  actor: string;
  at: string;
  auditSeq: number;
  eventType: string | null;
  body: string | null;
}

/** item_actions rows from event `since` on, each with the event its audit_seq names. */
export function actionsWithEventsFrom(sqlite: Database.Database, since: number): IterableIterator<ActionReplayRow> {
  return sqlite
    .prepare(
      `SELECT x.seq, x.id, x.item_seq AS itemSeq, i.id AS itemId, x.kind, x.reason, x.due_at AS dueAt, x.data, x.actor, x.at,
         x.audit_seq AS auditSeq, a.type AS eventType, a.body
       FROM item_actions x LEFT JOIN items i ON i.seq = x.item_seq LEFT JOIN audit_events a ON a.seq = x.audit_seq
       WHERE x.audit_seq >= ? ORDER BY x.seq`,
    )
    .iterate(since) as IterableIterator<ActionReplayRow>;
}

/** The first item-action event from `since` on whose row (same id, pointing back at it) is gone. */
export function firstActionEventWithoutRow(sqlite: Database.Database, types: string[], since: number): { seq: number; id: string } | undefined {
  return sqlite
    .prepare(
      `SELECT a.seq, json_extract(a.body, '$.data.action_id') AS id FROM audit_events a
       WHERE a.type IN (${types.map(() => '?').join(', ')}) AND a.seq >= ?
         AND NOT EXISTS (SELECT 1 FROM item_actions x WHERE x.id = json_extract(a.body, '$.data.action_id') AND x.audit_seq = a.seq)
       ORDER BY a.seq LIMIT 1`,
    )
    .get(...types, since) as { seq: number; id: string } | undefined;
}

/** The stored record of one revision of an item (the rare path that names a differing field). */
export function revisionRecord(sqlite: Database.Database, itemSeq: number, revision: number): string | undefined {
  return sqlite.prepare('SELECT record FROM item_revisions WHERE item_seq = ? AND revision = ?').pluck().get(itemSeq, revision) as string | undefined;
}

/** The stored queue counts (status × route × priority) that are not zero. */
export function storedQueueCounts(sqlite: Database.Database): { status: string; route: string; priority: number; n: number }[] {
  return sqlite.prepare('SELECT status, route, priority, n FROM queue_counts WHERE n <> 0').all() as { status: string; route: string; priority: number; n: number }[];
}

/** The stored filter facets (model, flag category, flag policy) that are not zero. */
export function storedFacets(sqlite: Database.Database): { kind: string; value: string; n: number }[] {
  return sqlite.prepare('SELECT kind, value, n FROM item_facets WHERE n <> 0').all() as { kind: string; value: string; n: number }[];
}
