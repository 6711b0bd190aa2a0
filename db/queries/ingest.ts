/** Statements the ingest path runs per record: prepared once, run inside batch transactions. */
import type Database from 'better-sqlite3';
import { canonicalJson } from '../util/canonical-json.ts';
import { newId } from '../util/ids.ts';

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

export interface PreparedRecord {
  externalId: string;
  /** created_at in UTC `Z` form, so text order is time order. */
  createdAt: string;
  createdMs: number;
  /** extKey(externalId), computed where the record is parsed. */
  extKey: number;
  /** The normalized record's JSON text, UTF-8 encoded (bound as text by the writer). */
  json: Uint8Array;
  contentSha256: string;
  summary: ItemSummary;
}

export interface StoredRevision {
  itemSeq: number;
  itemId: string;
  revisionId: string;
  revision: number;
}

export class IngestStatements {
  readonly findItem: Database.Statement<[number, string, string], { seq: number; id: string; revision: number; contentSha256: string }>;
  readonly findRevisionBySha: Database.Statement<[number, string], { seq: number }>;
  private readonly insertItem: Database.Statement;
  private readonly insertRevision: Database.Statement;
  private readonly updateItem: Database.Statement;
  private readonly queueFts: Database.Statement;
  private readonly insertQuarantine: Database.Statement;
  private readonly revisionRecords: Database.Statement<[number], string>;
  private readonly addCounts: Database.Statement<[string, string, number, number]>;
  /** New items per queue_counts key since the last flushCounts, as "status\0route\0priority". */
  private readonly newCounts = new Map<string, number>();
  private readonly addFacets: Database.Statement<[string, string, number]>;
  /** New items per item_facets key since the last flushCounts, as "kind\0value". */
  private readonly newFacets = new Map<string, number>();

  constructor(sqlite: Database.Database) {
    this.findItem = sqlite.prepare(
      'SELECT seq, id, revision, content_sha256 AS contentSha256 FROM items WHERE ext_key = ? AND source_id = ? AND external_id = ?',
    );
    this.findRevisionBySha = sqlite.prepare(
      'SELECT seq FROM item_revisions WHERE item_seq = ? AND content_sha256 = ? LIMIT 1',
    );
    this.insertItem = sqlite.prepare(
      `INSERT INTO items (id, source_id, external_id, ext_key, created_at, created_ms, ingested_at, priority, risk_tier, route,
         status, revision, content_sha256, flag_count, top_flag_source, top_flag_category, top_flag_policy,
         top_flag_score, model, snippet)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', 1, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertRevision = sqlite.prepare(
      // The record comes as UTF-8 bytes (see parseBatch); stored as TEXT like every other record.
      `INSERT INTO item_revisions (id, item_seq, revision, content_sha256, record, source_file, line, ingested_at)
       VALUES (?, ?, ?, ?, CAST(? AS TEXT), ?, ?, ?)`,
    );
    this.updateItem = sqlite.prepare(
      `UPDATE items SET revision = ?, content_sha256 = ?, status = ?, created_at = ?, created_ms = ?, priority = ?,
         risk_tier = ?, route = ?, flag_count = ?, top_flag_source = ?, top_flag_category = ?, top_flag_policy = ?,
         top_flag_score = ?, model = ?, snippet = ?
       WHERE seq = ?`,
    );
    this.revisionRecords = sqlite.prepare<[number], string>('SELECT record FROM item_revisions WHERE item_seq = ?').pluck();
    this.addCounts = sqlite.prepare(
      `INSERT INTO queue_counts (status, route, priority, n) VALUES (?, ?, ?, ?)
       ON CONFLICT (status, route, priority) DO UPDATE SET n = n + excluded.n`,
    );
    this.addFacets = sqlite.prepare(
      `INSERT INTO item_facets (kind, value, n) VALUES (?, ?, ?)
       ON CONFLICT (kind, value) DO UPDATE SET n = n + excluded.n`,
    );
    this.queueFts = sqlite.prepare('INSERT OR IGNORE INTO fts_queue (item_seq) VALUES (?)');
    this.insertQuarantine = sqlite.prepare(
      `INSERT INTO quarantine (id, source_id, file, line, byte_offset, error, json_path, raw, raw_bytes, raw_sha256, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** The slow path of content identity: a known revision re-sent with other key order or spacing. */
  hasSameContent(itemSeq: number, json: Uint8Array): boolean {
    const canonical = canonicalJson(Buffer.from(json.buffer, json.byteOffset, json.length).toString('utf8'));
    return this.revisionRecords.all(itemSeq).some((r) => canonicalJson(r) === canonical);
  }

  addItem(sourceId: string, rec: PreparedRecord, file: string | null, line: number | null, at: string): StoredRevision {
    const s = rec.summary;
    const itemId = newId();
    const info = this.insertItem.run(
      itemId, sourceId, rec.externalId, rec.extKey, rec.createdAt, rec.createdMs, at, s.priority, s.riskTier, s.route, rec.contentSha256, s.flagCount,
      s.topFlagSource, s.topFlagCategory, s.topFlagPolicy, s.topFlagScore, s.model, s.snippet,
    );
    const itemSeq = Number(info.lastInsertRowid);
    const key = `new\0${s.route}\0${s.priority}`;
    this.newCounts.set(key, (this.newCounts.get(key) ?? 0) + 1);
    this.countFacet('model', s.model);
    this.countFacet('flag_category', s.topFlagCategory);
    this.countFacet('flag_policy', s.topFlagPolicy);
    const revisionId = newId();
    this.insertRevision.run(revisionId, itemSeq, 1, rec.contentSha256, rec.json, file, line, at);
    return { itemSeq, itemId, revisionId, revision: 1 };
  }

  private countFacet(kind: string, value: string | null): void {
    if (value === null) return;
    const key = `${kind}\0${value}`;
    this.newFacets.set(key, (this.newFacets.get(key) ?? 0) + 1);
  }

  /**
   * Adds the items inserted since the last call to queue_counts and item_facets. Must run in the transaction
   * that inserted them, before it commits (the ingest does it as it finishes each batch).
   */
  flushCounts(): void {
    for (const [key, n] of this.newCounts) {
      const [status, route, priority] = key.split('\0') as [string, string, string];
      this.addCounts.run(status, route, Number(priority), n);
    }
    this.newCounts.clear();
    for (const [key, n] of this.newFacets) {
      const [kind, value] = key.split('\0') as [string, string];
      this.addFacets.run(kind, value, n);
    }
    this.newFacets.clear();
  }

  /** Forgets counts of a batch that was rolled back. */
  discardCounts(): void {
    this.newCounts.clear();
    this.newFacets.clear();
  }

  /** A changed record under a known id: kept as a new revision and flagged for the reviewer. */
  addRevision(
    existing: { seq: number; id: string; revision: number },
    rec: PreparedRecord,
    file: string | null,
    line: number | null,
    at: string,
  ): StoredRevision {
    // The status change below is counted by a trigger, which must see this batch's new items.
    this.flushCounts();
    const revision = existing.revision + 1;
    const revisionId = newId();
    this.insertRevision.run(revisionId, existing.seq, revision, rec.contentSha256, rec.json, file, line, at);
    this.setRevision(existing.seq, revision, 'conflict', rec);
    this.queueFts.run(existing.seq);
    return { itemSeq: existing.seq, itemId: existing.id, revisionId, revision };
  }

  private setRevision(itemSeq: number, revision: number, status: string, rec: PreparedRecord): void {
    const s = rec.summary;
    this.updateItem.run(
      revision, rec.contentSha256, status, rec.createdAt, rec.createdMs, s.priority, s.riskTier, s.route, s.flagCount,
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
