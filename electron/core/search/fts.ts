/**
 * The full-text index: items enter `fts_queue` in their ingest transaction and are indexed
 * here in chunks, so a large ingest is not slowed row by row by FTS maintenance.
 */
import type Database from 'better-sqlite3';

const MESSAGES_TEXT = (path: string) =>
  `coalesce((SELECT group_concat(json_extract(m.value, '$.content'), char(10)) FROM json_each(r.record, '${path}') m), '')`;

interface FtsStatements {
  watermark: Database.Statement;
  setWatermark: Database.Statement;
  maxSeq: Database.Statement;
  queuedUpTo: Database.Statement;
  removeQueued: Database.Statement;
  insertQueued: Database.Statement;
  dequeue: Database.Statement;
  insertRange: Database.Statement;
  dequeueRange: Database.Statement;
}

const statements = new WeakMap<Database.Database, FtsStatements>();
const FLAG_TEXT = `coalesce((SELECT group_concat(concat_ws(' ', json_extract(f.value, '$.source'), json_extract(f.value, '$.policy'),
  json_extract(f.value, '$.category'), json_extract(f.value, '$.reason')), ' ') FROM json_each(r.record, '$.flags') f), '')`;
const EVIDENCE_TITLES = `coalesce((SELECT group_concat(json_extract(e.value, '$.title'), ' ') FROM json_each(r.record, '$.evidence') e), '')`;
const SELECT_TEXT = `SELECT i.seq, ${MESSAGES_TEXT('$.input.messages')}, ${MESSAGES_TEXT('$.output.messages')},
  concat_ws(' ', i.external_id, ${FLAG_TEXT}, ${EVIDENCE_TITLES})
  FROM items i JOIN item_revisions r ON r.item_seq = i.seq AND r.revision = i.revision`;

function prepared(sqlite: Database.Database): FtsStatements {
  let s = statements.get(sqlite);
  if (!s) {
    s = {
      watermark: sqlite.prepare("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_watermark'), 0)").pluck(),
      setWatermark: sqlite.prepare("INSERT INTO meta (key, value) VALUES ('fts_watermark', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
      maxSeq: sqlite.prepare('SELECT coalesce(max(seq), 0) FROM items').pluck(),
      queuedUpTo: sqlite.prepare('SELECT max(item_seq) FROM (SELECT item_seq FROM fts_queue WHERE item_seq <= ? ORDER BY item_seq LIMIT ?)').pluck(),
      // A new revision of an indexed item replaces the text indexed for the old one.
      removeQueued: sqlite.prepare('DELETE FROM items_fts WHERE rowid IN (SELECT item_seq FROM fts_queue WHERE item_seq <= ?)'),
      insertQueued: sqlite.prepare(`INSERT INTO items_fts (rowid, input, output, extra) ${SELECT_TEXT} WHERE i.seq IN (SELECT item_seq FROM fts_queue WHERE item_seq <= ?)`),
      dequeue: sqlite.prepare('DELETE FROM fts_queue WHERE item_seq <= ?'),
      insertRange: sqlite.prepare(`INSERT INTO items_fts (rowid, input, output, extra) ${SELECT_TEXT} WHERE i.seq > ? AND i.seq <= ? ORDER BY i.seq`),
      dequeueRange: sqlite.prepare('DELETE FROM fts_queue WHERE item_seq > ? AND item_seq <= ?'),
    };
    statements.set(sqlite, s);
  }
  return s;
}

/**
 * Indexes up to `limit` items in one transaction; returns how many. New items are found by a
 * watermark on their seq (no per-row queue writes on the ingest path); changed items wait in
 * `fts_queue`.
 */
export function indexPending(sqlite: Database.Database, limit: number): number {
  const s = prepared(sqlite);
  return sqlite.transaction(() => {
    const w = s.watermark.get() as number;
    let done = 0;
    const queued = s.queuedUpTo.get(w, limit) as number | null;
    if (queued !== null) {
      s.removeQueued.run(queued);
      s.insertQueued.run(queued);
      done += s.dequeue.run(queued).changes;
    }
    const max = s.maxSeq.get() as number;
    if (max > w && done < limit) {
      const upTo = Math.min(max, w + (limit - done));
      done += s.insertRange.run(w, upTo).changes;
      s.dequeueRange.run(w, upTo);
      s.setWatermark.run(String(upTo));
    }
    return done;
  })();
}

export function pendingCount(sqlite: Database.Database): number {
  const w = prepared(sqlite).watermark.get() as number;
  return (
    (sqlite.prepare('SELECT count(*) FROM items WHERE seq > ?').pluck().get(w) as number) +
    (sqlite.prepare('SELECT count(*) FROM fts_queue WHERE item_seq <= ?').pluck().get(w) as number)
  );
}

/**
 * Turns what a reviewer types into a safe FTS5 query: every word is quoted (so FTS syntax in
 * the text cannot break or widen the query) and the last word matches as a prefix.
 */
export function toFtsQuery(text: string): string | null {
  // The same split as the unicode61 tokenizer, so every quoted word is one token (detail=column
  // indexes support no multi-token phrases).
  const words = text.match(/[\p{L}\p{N}]+/gu);
  if (!words || words.length === 0) return null;
  return words.map((w, i) => (i === words.length - 1 ? `"${w}"*` : `"${w}"`)).join(' ');
}
