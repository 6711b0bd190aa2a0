/**
 * The full-text index: new items are indexed after their ingest (found by a watermark on seq,
 * so the ingest path writes nothing per row for search), changed items wait in `fts_queue`.
 * Index text is built in JS from the stored record (fts-text.ts); a large backlog is read and
 * turned into text by a reader thread while this thread only inserts.
 */
import { giveWay, lastWaiting } from '../workspace/write-lock.ts';
import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { startCheckpointer } from '../workspace/checkpointer.ts';
export { toFtsQuery } from '../../../db/util/fts-query.ts';
import { ftsRow, RANGE_SQL, type FtsRow, type RecordRow } from './fts-text.ts';

interface FtsStatements {
  watermark: Database.Statement;
  setWatermark: Database.Statement;
  maxSeq: Database.Statement;
  queuedUpTo: Database.Statement;
  queuedRows: Database.Statement<[number], RecordRow>;
  removeQueued: Database.Statement;
  dequeue: Database.Statement;
  range: Database.Statement<[number, number], RecordRow>;
  dequeueRange: Database.Statement;
  insert: Database.Statement;
}

const statements = new WeakMap<Database.Database, FtsStatements>();

function prepared(sqlite: Database.Database): FtsStatements {
  let s = statements.get(sqlite);
  if (!s) {
    s = {
      watermark: sqlite.prepare("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_watermark'), 0)").pluck(),
      setWatermark: sqlite.prepare("INSERT INTO meta (key, value) VALUES ('fts_watermark', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
      maxSeq: sqlite.prepare('SELECT coalesce(max(seq), 0) FROM items').pluck(),
      queuedUpTo: sqlite.prepare('SELECT max(item_seq) FROM (SELECT item_seq FROM fts_queue WHERE item_seq <= ? ORDER BY item_seq LIMIT ?)').pluck(),
      queuedRows: sqlite.prepare<[number], RecordRow>(`SELECT i.seq, i.external_id AS externalId, r.record FROM items i
        JOIN item_revisions r ON r.item_seq = i.seq AND r.revision = i.revision
        WHERE i.seq IN (SELECT item_seq FROM fts_queue WHERE item_seq <= ?)`),
      // A new revision of an indexed item replaces the text indexed for the old one.
      removeQueued: sqlite.prepare('DELETE FROM items_fts WHERE rowid IN (SELECT item_seq FROM fts_queue WHERE item_seq <= ?)'),
      dequeue: sqlite.prepare('DELETE FROM fts_queue WHERE item_seq <= ?'),
      range: sqlite.prepare<[number, number], RecordRow>(RANGE_SQL),
      dequeueRange: sqlite.prepare('DELETE FROM fts_queue WHERE item_seq > ? AND item_seq <= ?'),
      insert: sqlite.prepare('INSERT INTO items_fts (rowid, input, output, extra) VALUES (?, ?, ?, ?)'),
    };
    statements.set(sqlite, s);
  }
  return s;
}

function insertRows(s: FtsStatements, rows: readonly FtsRow[]): void {
  for (const r of rows) s.insert.run(r.seq, r.input, r.output, r.extra);
}

const toFts = (rows: RecordRow[]) => rows.map((r) => ftsRow(r.seq, r.externalId, r.record));

/** Indexes up to `limit` items in one transaction, on this thread; returns how many. */
export function indexPending(sqlite: Database.Database, limit: number): number {
  const s = prepared(sqlite);
  return sqlite.transaction(() => {
    const w = s.watermark.get() as number;
    let done = 0;
    const queued = s.queuedUpTo.get(w, limit) as number | null;
    if (queued !== null) {
      const rows = toFts(s.queuedRows.all(queued));
      s.removeQueued.run(queued);
      insertRows(s, rows);
      done += s.dequeue.run(queued).changes;
    }
    const max = s.maxSeq.get() as number;
    if (max > w && done < limit) {
      const upTo = Math.min(max, w + (limit - done));
      const rows = toFts(s.range.all(w, upTo));
      insertRows(s, rows);
      done += rows.length;
      s.dequeueRange.run(w, upTo);
      s.setWatermark.run(String(upTo));
    }
    return done;
  }).immediate();
}

export function pendingCount(sqlite: Database.Database): number {
  const w = prepared(sqlite).watermark.get() as number;
  return (
    (sqlite.prepare('SELECT count(*) FROM items WHERE seq > ?').pluck().get(w) as number) +
    (sqlite.prepare('SELECT count(*) FROM fts_queue WHERE item_seq <= ?').pluck().get(w) as number)
  );
}

export interface IndexOptions {
  /** The workspace file, for the reader thread (none for ":memory:"). */
  path: string;
  signal?: AbortSignal;
  onProgress?: (indexed: number, total: number) => void;
  /** Items per transaction. */
  chunk?: number;
  /** Below this backlog, starting a reader thread costs more than it saves. */
  threadMin?: number;
  /** The connection is the caller's alone (a CLI ingest): checkpoints may run on their own thread. */
  exclusive?: boolean;
}

/** Items indexed before waiting for their checkpoint, so the WAL starts over instead of growing. */
const CHECKPOINT_WAIT_ITEMS = 50_000;

function workerEntry(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./fts-worker-entry.mjs', import.meta.url) : new URL('./fts-worker.mjs', import.meta.url);
}

const breathe = () => new Promise<void>((r) => setImmediate(r));

/** Between two index transactions: lets in a writer that signalled it waits (write-lock.ts). */
async function yieldTo(path: string, seen: number): Promise<number> {
  const now = lastWaiting(path);
  if (now === seen) return seen;
  await giveWay(path, now);
  return lastWaiting(path);
}

/**
 * Indexes the whole backlog. New items beyond the watermark are read and turned into text by a
 * reader thread, a chunk ahead of the inserts here; whatever is left (changed items, a
 * watermark moved by someone else, a small backlog) goes through indexPending.
 */
export async function indexAll(sqlite: Database.Database, opts: IndexOptions): Promise<void> {
  const s = prepared(sqlite);
  // Two chunks of text are in flight at once: small ones keep a large backlog's memory flat.
  const chunk = opts.chunk ?? 2000;
  const total = pendingCount(sqlite);
  let indexed = 0;
  if (total >= (opts.threadMin ?? 50_000) && opts.path !== ':memory:' && opts.path !== '') {
    // What the ingest before cached is of no use now; the reader holds two chunks at most.
    sqlite.pragma('shrink_memory');
    const worker = new Worker(workerEntry(), { workerData: { path: opts.path }, resourceLimits: { maxOldGenerationSizeMb: 32 } });
    try {
      const waiting = new Map<number, (rows: FtsRow[]) => void>();
      let failure: Error | null = null;
      worker.on('message', (m: { id: number; rows: FtsRow[] }) => {
        waiting.get(m.id)?.(m.rows);
        waiting.delete(m.id);
      });
      worker.on('error', (err) => {
        failure = err;
        for (const resolve of waiting.values()) resolve([]);
        waiting.clear();
      });
      const max = s.maxSeq.get() as number;
      let nextId = 0;
      const request = (a: number, b: number) =>
        new Promise<FtsRow[]>((resolve) => {
          const id = nextId++;
          waiting.set(id, resolve);
          worker.postMessage({ id, from: a, to: b });
        });
      // Two chunks in flight: the reader works on the next while this thread inserts one.
      const ahead: { from: number; to: number; rows: Promise<FtsRow[]> }[] = [];
      let asked = s.watermark.get() as number;
      const fill = () => {
        while (ahead.length < 2 && asked < max) {
          const to = Math.min(max, asked + chunk);
          ahead.push({ from: asked, to, rows: request(asked, to) });
          asked = to;
        }
      };
      fill();
      const ck = opts.exclusive ? startCheckpointer(sqlite, opts.path) : null;
      let sinceWait = 0;
      let seen = lastWaiting(opts.path);
      try {
        while (ahead.length > 0 && !opts.signal?.aborted) {
          const job = ahead.shift()!;
          const rows = await job.rows;
          // A failed reader thread (out of memory, a missing bundle) costs speed, not the index:
          // what is left goes through indexPending below.
          if (failure) break;
          fill();
          const applied = sqlite.transaction(() => {
            // Someone else indexed meanwhile: leave the rest to indexPending.
            if ((s.watermark.get() as number) !== job.from) return false;
            insertRows(s, rows);
            // Items changed meanwhile stay queued and are re-indexed from their current revision.
            s.setWatermark.run(String(job.to));
            return true;
          }).immediate();
          if (!applied) break;
          seen = await yieldTo(opts.path, seen);
          indexed += rows.length;
          opts.onProgress?.(indexed, total);
          ck?.kick();
          sinceWait += rows.length;
          if (ck && sinceWait >= CHECKPOINT_WAIT_ITEMS) {
            await ck.idle();
            sinceWait = 0;
          }
          await breathe();
        }
      } finally {
        await ck?.close();
      }
    } finally {
      await worker.terminate();
    }
  }
  let seen = lastWaiting(opts.path);
  while (!opts.signal?.aborted) {
    const n = indexPending(sqlite, Math.min(chunk, 5000));
    if (n === 0) break;
    seen = await yieldTo(opts.path, seen);
    indexed += n;
    opts.onProgress?.(indexed, total);
    await breathe();
  }
}

