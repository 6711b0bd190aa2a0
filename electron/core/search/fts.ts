/**
 * The full-text index: items enter `fts_queue` in their ingest transaction and are indexed
 * here in chunks, so a large ingest is not slowed row by row by FTS maintenance.
 */
import type Database from 'better-sqlite3';

const MESSAGES_TEXT = (path: string) =>
  `coalesce((SELECT group_concat(json_extract(m.value, '$.content'), char(10)) FROM json_each(r.record, '${path}') m), '')`;

const statements = new WeakMap<Database.Database, { pick: Database.Statement; remove: Database.Statement; del: Database.Statement; insert: Database.Statement }>();

function prepared(sqlite: Database.Database) {
  let s = statements.get(sqlite);
  if (!s) {
    s = {
      pick: sqlite.prepare('SELECT item_seq FROM fts_queue ORDER BY item_seq LIMIT ?').pluck(),
      remove: sqlite.prepare('DELETE FROM fts_queue WHERE item_seq = ?'),
      del: sqlite.prepare('DELETE FROM items_fts WHERE rowid = ?'),
      insert: sqlite.prepare(
        `INSERT INTO items_fts (rowid, input, output)
         SELECT i.seq, ${MESSAGES_TEXT('$.input.messages')}, ${MESSAGES_TEXT('$.output.messages')}
         FROM items i JOIN item_revisions r ON r.item_seq = i.seq AND r.revision = i.revision
         WHERE i.seq = ?`,
      ),
    };
    statements.set(sqlite, s);
  }
  return s;
}

/** Indexes up to `limit` queued items in one transaction; returns how many were indexed. */
export function indexPending(sqlite: Database.Database, limit: number): number {
  const s = prepared(sqlite);
  return sqlite.transaction(() => {
    const seqs = s.pick.all(limit) as number[];
    for (const seq of seqs) {
      // A new revision replaces the text indexed for the previous one.
      s.del.run(seq);
      s.insert.run(seq);
      s.remove.run(seq);
    }
    return seqs.length;
  })();
}

export function pendingCount(sqlite: Database.Database): number {
  return sqlite.prepare('SELECT count(*) FROM fts_queue').pluck().get() as number;
}

/**
 * Turns what a reviewer types into a safe FTS5 query: every word is quoted (so FTS syntax in
 * the text cannot break or widen the query) and the last word matches as a prefix.
 */
export function toFtsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}_]+/gu);
  if (!words || words.length === 0) return null;
  return words.map((w, i) => (i === words.length - 1 ? `"${w}"*` : `"${w}"`)).join(' ');
}
