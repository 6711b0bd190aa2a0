/** Statements the ingest path runs per record: prepared once, run inside batch transactions. */
import type Database from 'better-sqlite3';
import { PRIORITY_RANK, type EscalationRecord } from '../../electron/core/record/schema.ts';
import { newId } from '../../electron/core/util/ids.ts';

export interface ItemSummary {
  priority: number;
  riskTier: string | null;
  route: string;
  flagCount: number;
  topFlagSource: string | null;
  topFlagCategory: string | null;
  topFlagPolicy: string | null;
  topFlagScore: number | null;
  model: string | null;
  snippet: string;
}

const SNIPPET_CHARS = 240;

export function summarize(record: EscalationRecord): ItemSummary {
  let top = record.flags[0];
  for (const f of record.flags) if ((f.score ?? -1) > (top?.score ?? -1)) top = f;
  const p = record.provenance;
  const model = (p['gen_ai.response.model'] ?? p['gen_ai.request.model'] ?? null) as string | null;
  const text =
    record.output?.messages.map((m) => m.content).join(' ') ??
    record.input.messages.filter((m) => m.role === 'user').at(-1)?.content ??
    '';
  return {
    priority: PRIORITY_RANK[record.priority],
    riskTier: record.risk_tier ?? null,
    route: record.route,
    flagCount: record.flags.length,
    topFlagSource: top?.source ?? null,
    topFlagCategory: top?.category ?? null,
    topFlagPolicy: top?.policy ?? null,
    topFlagScore: top?.score ?? null,
    model,
    snippet: text.replace(/\s+/g, ' ').trim().slice(0, SNIPPET_CHARS),
  };
}

/** RFC 3339 with any offset → UTC `Z` form, so text order is time order. */
export function toUtc(ts: string): string {
  return new Date(ts).toISOString();
}

export interface StoredRevision {
  itemSeq: number;
  itemId: string;
  revisionId: string;
  revision: number;
}

export class IngestStatements {
  readonly findItem: Database.Statement<[string, string], { seq: number; id: string; revision: number; contentSha256: string }>;
  readonly findRevisionBySha: Database.Statement<[number, string], { seq: number }>;
  private readonly insertItem: Database.Statement;
  private readonly insertRevision: Database.Statement;
  private readonly updateItem: Database.Statement;
  private readonly queueFts: Database.Statement;
  private readonly insertQuarantine: Database.Statement;

  constructor(sqlite: Database.Database) {
    this.findItem = sqlite.prepare(
      'SELECT seq, id, revision, content_sha256 AS contentSha256 FROM items WHERE source_id = ? AND external_id = ?',
    );
    this.findRevisionBySha = sqlite.prepare(
      'SELECT seq FROM item_revisions WHERE item_seq = ? AND content_sha256 = ? LIMIT 1',
    );
    this.insertItem = sqlite.prepare(
      `INSERT INTO items (id, source_id, external_id, created_at, ingested_at, priority, risk_tier, route, status,
         revision, content_sha256, flag_count, top_flag_source, top_flag_category, top_flag_policy,
         top_flag_score, model, snippet)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'new', 1, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertRevision = sqlite.prepare(
      `INSERT INTO item_revisions (id, item_seq, revision, content_sha256, record, source_file, line, ingested_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updateItem = sqlite.prepare(
      `UPDATE items SET revision = ?, content_sha256 = ?, status = ?, created_at = ?, priority = ?,
         risk_tier = ?, route = ?, flag_count = ?, top_flag_source = ?, top_flag_category = ?, top_flag_policy = ?,
         top_flag_score = ?, model = ?, snippet = ?
       WHERE seq = ?`,
    );
    this.queueFts = sqlite.prepare('INSERT OR IGNORE INTO fts_queue (item_seq) VALUES (?)');
    this.insertQuarantine = sqlite.prepare(
      `INSERT INTO quarantine (id, source_id, file, line, byte_offset, error, json_path, raw, raw_bytes, raw_sha256, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  addItem(
    sourceId: string,
    record: EscalationRecord,
    json: string,
    sha: string,
    file: string | null,
    line: number | null,
    at: string,
  ): StoredRevision {
    const s = summarize(record);
    const itemId = newId();
    const info = this.insertItem.run(
      itemId, sourceId, record.id, toUtc(record.created_at), at, s.priority, s.riskTier, s.route, sha, s.flagCount,
      s.topFlagSource, s.topFlagCategory, s.topFlagPolicy, s.topFlagScore, s.model, s.snippet,
    );
    const itemSeq = Number(info.lastInsertRowid);
    const revisionId = newId();
    this.insertRevision.run(revisionId, itemSeq, 1, sha, json, file, line, at);
    this.queueFts.run(itemSeq);
    return { itemSeq, itemId, revisionId, revision: 1 };
  }

  /** A changed record under a known id: kept as a new revision and flagged for the reviewer. */
  addRevision(
    existing: { seq: number; id: string; revision: number },
    record: EscalationRecord,
    json: string,
    sha: string,
    file: string | null,
    line: number | null,
    at: string,
  ): StoredRevision {
    const revision = existing.revision + 1;
    const revisionId = newId();
    this.insertRevision.run(revisionId, existing.seq, revision, sha, json, file, line, at);
    this.setRevision(existing.seq, revision, sha, 'conflict', record, summarize(record));
    this.queueFts.run(existing.seq);
    return { itemSeq: existing.seq, itemId: existing.id, revisionId, revision };
  }

  private setRevision(
    itemSeq: number,
    revision: number,
    sha: string,
    status: string,
    record: EscalationRecord,
    s: ItemSummary,
  ): void {
    this.updateItem.run(
      revision, sha, status, toUtc(record.created_at), s.priority, s.riskTier, s.route, s.flagCount,
      s.topFlagSource, s.topFlagCategory, s.topFlagPolicy, s.topFlagScore, s.model, s.snippet, itemSeq,
    );
  }

  quarantine(q: {
    sourceId: string | null;
    file: string;
    line: number;
    byteOffset: number;
    error: string;
    jsonPath: string;
    raw: string;
    rawBytes: number;
    rawSha256: string;
    at: string;
  }): string {
    const id = newId();
    this.insertQuarantine.run(
      id, q.sourceId, q.file, q.line, q.byteOffset, q.error, q.jsonPath, q.raw, q.rawBytes, q.rawSha256, q.at,
    );
    return id;
  }
}
