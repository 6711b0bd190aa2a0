/**
 * Reads behind the dataset export: every item whose in-force verdict matches the filters, in
 * item order, as one streaming statement. "In force" is exactly `currentVerdict`'s rule
 * (db/queries/verdicts.ts): the newest verdict, amendment or import that is not a skip and that
 * no later row supersedes, unless that superseding row was itself undone.
 */
import type Database from 'better-sqlite3';
import { inForceVerdictSql } from './in-force.ts';
import { goldItemSql } from './item-actions.ts';

export interface ExportFilterSql {
  /** Verdict decisions (violation, dismiss, escalate). Empty: any. */
  decisions: string[];
  /** Any-of: the verdict carries at least one of these labels. Empty: any. */
  labels: string[];
  routes: string[];
  /** Matches the item's model column (response model, else request model) or the record's request model. */
  models: string[];
  /** Inclusive lower bound on items.created_at (ISO 8601 UTC). */
  from: string | null;
  /** Exclusive upper bound on items.created_at (ISO 8601 UTC). */
  to: string | null;
  reviewers: string[];
}

/**
 * One selected item as the export reads it: a JSON array text built by SQLite, so a row crosses
 * from SQLite to JavaScript (and on to a worker thread) as one string, and the row processor
 * decodes it with one `JSON.parse`. `input`, `output` and `flags` are the exported revision's own
 * JSON values (`{messages}` objects and the flags array), embedded, not quoted.
 */
export type ExportRowTuple = [
  itemId: string,
  route: string,
  verdictId: string,
  decision: string,
  /** The verdict's labels (a JSON array in the verdicts table). */
  labels: string[],
  severity: string | null,
  correction: string | null,
  revisionId: string,
  input: unknown,
  output: unknown,
  flags: unknown,
  /** `provenance."gen_ai.conversation.id"` and `provenance.request_id` as SQL values (`->>`). */
  conversationId: unknown,
  requestId: unknown,
  /** The record's own id from its source (or content-derived by a preset): the split key's fallback. */
  externalId: string,
  /** `metadata.chosen_prompt_matches` (0 when a preference pair's prompts differ), else null. */
  promptMatches: unknown,
  /** The verdict's span edits (migration 0009), a JSON array. */
  spanEdits: unknown[],
];

/**
 * A selected item: `[conflict, row]`, or `[conflict, row, flags]` when the flags JSON text is
 * asked for separately. `conflict` is 1 for an item in revision conflict (counted, not
 * exported); `row` is the JSON text of an {@link ExportRowTuple}.
 */
export type ExportRowRaw = [conflict: number, row: string, flags?: string | null];

/** The in-force verdict of item `i`, as a scalar subquery yielding the verdict's seq. */
const CURRENT_VERDICT_SEQ = `(${inForceVerdictSql('i.seq')})`;

const REQUEST_MODEL = `json_extract(r.record, '$.provenance."gen_ai.request.model"')`;

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** Conditions on the item alone (route, model, creation time); `r` is the revision joined. */
function itemWhere(f: ExportFilterSql, parts: string[], params: unknown[]): void {
  if (f.routes.length) {
    parts.push(`i.route IN (${placeholders(f.routes.length)})`);
    params.push(...f.routes);
  }
  if (f.models.length) {
    parts.push(`(i.model IN (${placeholders(f.models.length)}) OR ${REQUEST_MODEL} IN (${placeholders(f.models.length)}))`);
    params.push(...f.models, ...f.models);
  }
  if (f.from) {
    parts.push('i.created_at >= ?');
    params.push(f.from);
  }
  if (f.to) {
    parts.push('i.created_at < ?');
    params.push(f.to);
  }
}

function verdictWhere(f: ExportFilterSql, parts: string[], params: unknown[]): void {
  if (f.decisions.length) {
    parts.push(`v.decision IN (${placeholders(f.decisions.length)})`);
    params.push(...f.decisions);
  }
  if (f.labels.length) {
    parts.push(`EXISTS (SELECT 1 FROM json_each(v.labels) je WHERE je.value IN (${placeholders(f.labels.length)}))`);
    params.push(...f.labels);
  }
  if (f.reviewers.length) {
    parts.push(`v.reviewer IN (${placeholders(f.reviewers.length)})`);
    params.push(...f.reviewers);
  }
}

function selection(f: ExportFilterSql, extra: string[] = []): { from: string; params: unknown[] } {
  // Gold items are the answer key reviewers are measured against: their verdicts never become labels.
  const parts: string[] = [...extra, `NOT ${goldItemSql('i.seq')}`];
  const params: unknown[] = [];
  itemWhere(f, parts, params);
  verdictWhere(f, parts, params);
  return {
    from: `FROM items i
      JOIN verdicts v ON v.seq = ${CURRENT_VERDICT_SEQ}
      JOIN item_revisions r ON r.id = v.revision_id
      ${parts.length ? `WHERE ${parts.join(' AND ')}` : ''}`,
    params,
  };
}

/**
 * A cheap upper bound of the selection, for progress: items within the item-level filters that
 * have any verdict row (one index probe per item instead of the in-force evaluation).
 */
export function estimateExportCandidates(sqlite: Database.Database, f: ExportFilterSql): number {
  const parts: string[] = ['EXISTS (SELECT 1 FROM verdicts v WHERE v.item_seq = i.seq)'];
  const params: unknown[] = [];
  itemWhere(f, parts, params);
  // Without item-level filters, the same count from one pass over the verdicts' item index.
  if (parts.length === 1) return sqlite.prepare('SELECT count(DISTINCT item_seq) FROM verdicts').pluck().get() as number;
  const needsRevision = f.models.length > 0;
  return sqlite
    .prepare(
      `SELECT count(*) FROM items i ${needsRevision ? 'JOIN item_revisions r ON r.item_seq = i.seq AND r.revision = i.revision' : ''}
       WHERE ${parts.join(' AND ')}`,
    )
    .pluck()
    .get(...params) as number;
}

/**
 * The selection as a streaming iterator in item order (never materialised), as raw arrays (see
 * {@link ExportRowRaw}). Only the parts of the record an export uses are extracted, in SQLite
 * (much cheaper than parsing the whole record in JavaScript: evidence and metadata can dwarf
 * the conversation), and each row comes back as one JSON text rather than a dozen columns.
 * `withFlags` adds the flags JSON text as a third column (for the check made when redaction is off).
 */
export function iterateExportRows(sqlite: Database.Database, f: ExportFilterSql, withFlags = false): IterableIterator<ExportRowRaw> {
  const s = selection(f);
  return sqlite
    .prepare(
      `SELECT i.status = 'conflict',
         json_array(i.id, i.route, v.id, v.decision, json(v.labels), v.severity, v.correction, r.id,
           r.record -> '$.input', r.record -> '$.output', r.record -> '$.flags',
           r.record ->> '$.provenance."gen_ai.conversation.id"', r.record ->> '$.provenance.request_id', i.external_id,
           r.record ->> '$.metadata.chosen_prompt_matches', json(v.span_edits))
         ${withFlags ? `, r.record -> '$.flags'` : ''}
       ${s.from}
       ORDER BY i.seq`,
    )
    .raw(true)
    .iterate(...s.params) as IterableIterator<ExportRowRaw>;
}

/**
 * Items within the item-level filters (route, model, time) that no reviewer has resolved (no
 * violation or dismiss verdict in force) and that are not in revision conflict, with the flags
 * of their current revision; `flagCount > 0` only. The caller decides which flags mean PII.
 */
export function iterateUnresolvedFlagged(
  sqlite: Database.Database,
  f: ExportFilterSql,
): IterableIterator<{ itemId: string; flags: string | null }> {
  const parts: string[] = ['i.flag_count > 0', "i.status <> 'conflict'"];
  const params: unknown[] = [];
  itemWhere(f, parts, params);
  parts.push(
    `coalesce((SELECT v.decision FROM verdicts v WHERE v.seq = ${CURRENT_VERDICT_SEQ}), '') NOT IN ('violation', 'dismiss')`,
  );
  return sqlite
    .prepare(
      `SELECT i.id AS itemId, json_extract(r.record, '$.flags') AS flags
       FROM items i JOIN item_revisions r ON r.item_seq = i.seq AND r.revision = i.revision
       WHERE ${parts.join(' AND ')}
       ORDER BY i.seq`,
    )
    .iterate(...params) as IterableIterator<{ itemId: string; flags: string | null }>;
}

/** Leaves read per query by {@link iterateLeafHashChunks}. */
const LEAF_CHUNK = 4096;

/**
 * The audit log's leaf hashes for leaves `from .. size-1`, in order, a chunk at a time: each
 * chunk is one query whose result is the chunk's hashes as raw bytes back to back (32 per leaf),
 * far cheaper than a row (and a hex string) per leaf. Throws if a leaf is missing or malformed.
 */
export function* iterateLeafHashChunks(sqlite: Database.Database, size: number, from: number): Generator<{ from: number; hashes: Buffer }> {
  const chunk = sqlite
    .prepare(`SELECT count(*), unhex(group_concat(leaf_hash, '' ORDER BY seq)) FROM audit_events WHERE seq >= ? AND seq < ?`)
    .raw(true);
  for (let at = from; at < size; at += LEAF_CHUNK) {
    const to = Math.min(size, at + LEAF_CHUNK);
    const [count, hashes] = chunk.get(at, to) as [number, Buffer | null];
    if (count !== to - at) throw new Error(`audit event ${firstMissingSeq(sqlite, at, to)} is missing`);
    if (!hashes || hashes.length !== count * 32) throw new Error(`audit events ${at}..${to - 1}: a leaf hash is not 32 bytes of hex`);
    yield { from: at, hashes };
  }
}

function firstMissingSeq(sqlite: Database.Database, from: number, to: number): number {
  let expected = from;
  for (const seq of sqlite.prepare('SELECT seq FROM audit_events WHERE seq >= ? AND seq < ? ORDER BY seq').pluck().iterate(from, to)) {
    if (seq !== expected) break;
    expected++;
  }
  return expected;
}

export function auditEventRow(
  sqlite: Database.Database,
  seq: number,
): { seq: number; id: string; type: string; subject: string | null; body: string; leafHash: string } | undefined {
  return sqlite
    .prepare('SELECT seq, id, type, subject, body, leaf_hash AS leafHash FROM audit_events WHERE seq = ?')
    .get(seq) as { seq: number; id: string; type: string; subject: string | null; body: string; leafHash: string } | undefined;
}

/** The number of audit events (the next leaf index). */
export function auditSize(sqlite: Database.Database): number {
  return sqlite.prepare('SELECT coalesce(max(seq) + 1, 0) FROM audit_events').pluck().get() as number;
}

export { settingValue } from './settings.ts';

export function metaValue(sqlite: Database.Database, key: string): string | undefined {
  return sqlite.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
}
