/**
 * The full-text index's SQL: the watermark (items at or below it are indexed), the queue of
 * changed items, and the index rows. electron/core/search/fts.ts decides what to index when;
 * the statements are prepared once per connection.
 */
import type Database from 'better-sqlite3';

/** The current revision's record of an item, as the index text is built from it. */
export interface RecordRow {
  seq: number;
  externalId: string;
  record: string;
}

/** The current revision's record of each item in a seq range, in seq order. */
const RANGE_SQL = `SELECT i.seq, i.external_id AS externalId, r.record FROM items i
  JOIN item_revisions r ON r.item_seq = i.seq AND r.revision = i.revision
  WHERE i.seq > ? AND i.seq <= ? ORDER BY i.seq`;

export interface FtsStore {
  watermark(): number;
  setWatermark(seq: number): void;
  maxSeq(): number;
  /** The highest queued seq among the first `limit` queued at or below `upTo`, or null when none is. */
  queuedUpTo(upTo: number, limit: number): number | null;
  queuedRows(upTo: number): RecordRow[];
  /** A new revision of an indexed item replaces the text indexed for the old one. */
  removeQueued(upTo: number): void;
  /** Returns how many queue entries went. */
  dequeue(upTo: number): number;
  range(from: number, to: number): RecordRow[];
  dequeueRange(from: number, to: number): void;
  insert(seq: number, input: string, output: string, extra: string): void;
  /** Items not yet searchable: past the watermark, or queued at or below it. */
  pendingCount(): number;
}

const stores = new WeakMap<Database.Database, FtsStore>();

export function ftsStore(sqlite: Database.Database): FtsStore {
  const known = stores.get(sqlite);
  if (known) return known;
  const watermark = sqlite.prepare<[], number>("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_watermark'), 0)").pluck();
  const setWatermark = sqlite.prepare("INSERT INTO meta (key, value) VALUES ('fts_watermark', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  const maxSeq = sqlite.prepare<[], number>('SELECT coalesce(max(seq), 0) FROM items').pluck();
  const queuedUpTo = sqlite.prepare<[number, number], number | null>('SELECT max(item_seq) FROM (SELECT item_seq FROM fts_queue WHERE item_seq <= ? ORDER BY item_seq LIMIT ?)').pluck();
  const queuedRows = sqlite.prepare<[number], RecordRow>(`SELECT i.seq, i.external_id AS externalId, r.record FROM items i
    JOIN item_revisions r ON r.item_seq = i.seq AND r.revision = i.revision
    WHERE i.seq IN (SELECT item_seq FROM fts_queue WHERE item_seq <= ?)`);
  const removeQueued = sqlite.prepare('DELETE FROM items_fts WHERE rowid IN (SELECT item_seq FROM fts_queue WHERE item_seq <= ?)');
  const dequeue = sqlite.prepare('DELETE FROM fts_queue WHERE item_seq <= ?');
  const range = recordRange(sqlite);
  const dequeueRange = sqlite.prepare('DELETE FROM fts_queue WHERE item_seq > ? AND item_seq <= ?');
  const insert = sqlite.prepare('INSERT INTO items_fts (rowid, input, output, extra) VALUES (?, ?, ?, ?)');
  const pastWatermark = sqlite.prepare<[number], number>('SELECT count(*) FROM items WHERE seq > ?').pluck();
  const queuedBelow = sqlite.prepare<[number], number>('SELECT count(*) FROM fts_queue WHERE item_seq <= ?').pluck();
  const store: FtsStore = {
    watermark: () => watermark.get()!,
    setWatermark: (seq) => void setWatermark.run(String(seq)),
    maxSeq: () => maxSeq.get()!,
    queuedUpTo: (upTo, limit) => queuedUpTo.get(upTo, limit) ?? null,
    queuedRows: (upTo) => queuedRows.all(upTo),
    removeQueued: (upTo) => void removeQueued.run(upTo),
    dequeue: (upTo) => dequeue.run(upTo).changes,
    range,
    dequeueRange: (from, to) => void dequeueRange.run(from, to),
    insert: (seq, input, output, extra) => void insert.run(seq, input, output, extra),
    pendingCount: () => {
      const w = watermark.get()!;
      return pastWatermark.get(w)! + queuedBelow.get(w)!;
    },
  };
  stores.set(sqlite, store);
  return store;
}

/** Records of the items in (from, to], for the index's reader thread on its own connection too. */
export function recordRange(sqlite: Database.Database): (from: number, to: number) => RecordRow[] {
  const range = sqlite.prepare<[number, number], RecordRow>(RANGE_SQL);
  return (from, to) => range.all(from, to);
}

/** Statements for `verdict reindex`: rebuild the index rows of a seq range, and the derived facets. */
export interface ReindexStore {
  /** Drops the index rows of items in (from, to]; absent rows are no error (contentless_delete). */
  clearRange(from: number, to: number): void;
  /** Recounts item_facets from items (the counts the queue's filter lists read). */
  rebuildFacets(): void;
  /** The index format the workspace's rows were last rebuilt with (0: never). */
  format(): number;
  setFormat(n: number): void;
}

export function reindexStore(sqlite: Database.Database): ReindexStore {
  const clear = sqlite.prepare('DELETE FROM items_fts WHERE rowid > ? AND rowid <= ?');
  const format = sqlite.prepare<[], number>("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_format'), 0)").pluck();
  const setFormat = sqlite.prepare("INSERT INTO meta (key, value) VALUES ('fts_format', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  return {
    clearRange: (from, to) => void clear.run(from, to),
    rebuildFacets: () =>
      sqlite.exec(`DELETE FROM item_facets;
        INSERT INTO item_facets (kind, value, n)
          SELECT 'model', model, count(*) FROM items WHERE model IS NOT NULL GROUP BY model
          UNION ALL SELECT 'flag_category', top_flag_category, count(*) FROM items WHERE top_flag_category IS NOT NULL GROUP BY top_flag_category
          UNION ALL SELECT 'flag_policy', top_flag_policy, count(*) FROM items WHERE top_flag_policy IS NOT NULL GROUP BY top_flag_policy;`),
    format: () => format.get()!,
    setFormat: (n) => void setFormat.run(String(n)),
  };
}
