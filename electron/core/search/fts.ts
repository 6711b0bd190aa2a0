/**
 * The full-text index: new items are indexed after their ingest (found by a watermark on seq,
 * so the ingest path writes nothing per row for search), changed items wait in `fts_queue`.
 * Index text is built in JS from the stored record (fts-text.ts); a large backlog is read and
 * turned into text by a reader thread while this thread only inserts.
 */
import { giveWay, lastWaiting } from '../workspace/write-lock.ts';
import type Database from 'better-sqlite3';
import { startCheckpointer } from '../workspace/checkpointer.ts';
export { toFtsQuery } from '../../../db/util/fts-query.ts';
import { ftsStore, type FtsStore, type RecordRow } from '../../../db/queries/fts.ts';
import { ftsRow, type FtsRow } from './fts-text.ts';
import { startWorker } from '../util/workers.ts';

function insertRows(s: FtsStore, rows: readonly FtsRow[]): void {
  for (const r of rows) s.insert(r.seq, r.input, r.output, r.extra);
}

const toFts = (rows: RecordRow[]) => rows.map((r) => ftsRow(r.seq, r.externalId, r.record));

/** Indexes up to `limit` items in one transaction, on this thread; returns how many. */
export function indexPending(sqlite: Database.Database, limit: number): number {
  const s = ftsStore(sqlite);
  return sqlite.transaction(() => {
    const w = s.watermark();
    let done = 0;
    const queued = s.queuedUpTo(w, limit);
    if (queued !== null) {
      const rows = toFts(s.queuedRows(queued));
      s.removeQueued(queued);
      insertRows(s, rows);
      done += s.dequeue(queued);
    }
    const max = s.maxSeq();
    if (max > w && done < limit) {
      const upTo = Math.min(max, w + (limit - done));
      const rows = toFts(s.range(w, upTo));
      insertRows(s, rows);
      done += rows.length;
      s.dequeueRange(w, upTo);
      s.setWatermark(upTo);
    }
    return done;
  }).immediate();
}

export function pendingCount(sqlite: Database.Database): number {
  return ftsStore(sqlite).pendingCount();
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
  const s = ftsStore(sqlite);
  // Two chunks of text are in flight at once: small ones keep a large backlog's memory flat.
  const chunk = opts.chunk ?? 2000;
  const total = pendingCount(sqlite);
  let indexed = 0;
  if (total >= (opts.threadMin ?? 50_000) && opts.path !== ':memory:' && opts.path !== '') {
    // What the ingest before cached is of no use now; the reader holds two chunks at most.
    sqlite.pragma('shrink_memory');
    const worker = startWorker('fts-worker', { path: opts.path }, { maxOldGenerationSizeMb: 32 });
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
      const max = s.maxSeq();
      let nextId = 0;
      const request = (a: number, b: number) =>
        new Promise<FtsRow[]>((resolve) => {
          const id = nextId++;
          waiting.set(id, resolve);
          worker.postMessage({ id, from: a, to: b });
        });
      // Two chunks in flight: the reader works on the next while this thread inserts one.
      const ahead: { from: number; to: number; rows: Promise<FtsRow[]> }[] = [];
      let asked = s.watermark();
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
            if (s.watermark() !== job.from) return false;
            insertRows(s, rows);
            // Items changed meanwhile stay queued and are re-indexed from their current revision.
            s.setWatermark(job.to);
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

