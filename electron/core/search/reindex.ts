/**
 * `verdict reindex`: rebuilds the full-text rows of items indexed under an older index text
 * (fts-text.ts changed: provenance ids added for id search, flag fields, ...) and the derived
 * item_facets counts. Rows are rewritten in bounded seq ranges, each its own BEGIN IMMEDIATE
 * transaction, so reviewers' writes get in between chunks; the backlog past the watermark then
 * goes through the ordinary indexer.
 */
import { ftsStore, reindexStore } from '../../../db/queries/fts.ts';
import type { ReindexProgress, ReindexSummary } from '../../shared/models/ingest.ts';
import type { Workspace } from '../workspace/open.ts';
import { giveWay, lastWaiting, writeTransaction } from '../workspace/write-lock.ts';
import { indexAll } from './fts.ts';
import { ftsRow } from './fts-text.ts';

/** Bump when ftsRow's text changes, so `reindex` knows older rows are stale. */
export const FTS_FORMAT = 2;

export interface ReindexOptions {
  /** Rebuild even when the workspace says its rows are in the current format. */
  all?: boolean;
  /** Seq range per transaction (default 2000). */
  chunk?: number;
  signal?: AbortSignal;
  onProgress?: (p: ReindexProgress) => void;
}

export type { ReindexSummary as ReindexResult };

export async function reindex(ws: Workspace, opts: ReindexOptions = {}): Promise<ReindexSummary> {
  const started = performance.now();
  const fts = ftsStore(ws.sqlite);
  const rs = reindexStore(ws.sqlite);
  const chunk = Math.max(1, opts.chunk ?? 2000);
  const rebuild = opts.all === true || rs.format() < FTS_FORMAT;
  let reindexed = 0;
  if (rebuild) {
    // Up to the watermark now: items past it are not indexed yet and take the normal path below.
    const upTo = fts.watermark();
    let seen = lastWaiting(ws.path);
    for (let from = 0; from < upTo && !opts.signal?.aborted; from += chunk) {
      const to = Math.min(upTo, from + chunk);
      reindexed += writeTransaction(ws.sqlite, ws.path, () => {
        const rows = fts.range(from, to).map((r) => ftsRow(r.seq, r.externalId, r.record));
        rs.clearRange(from, to);
        for (const r of rows) fts.insert(r.seq, r.input, r.output, r.extra);
        // Queued items of this range now carry their current revision's text: nothing left to redo.
        fts.dequeueRange(from, to);
        return rows.length;
      });
      opts.onProgress?.({ done: to, total: upTo });
      // Between chunks: a reviewer's submit that signalled it waits goes first.
      const now = lastWaiting(ws.path);
      if (now !== seen) await giveWay(ws.path, now);
      seen = lastWaiting(ws.path);
      await new Promise<void>((r) => setImmediate(r));
    }
  }
  let indexed = 0;
  await indexAll(ws.sqlite, { path: ws.path, signal: opts.signal, onProgress: (n) => (indexed = n) });
  if (!opts.signal?.aborted) {
    writeTransaction(ws.sqlite, ws.path, () => {
      rs.rebuildFacets();
      if (rebuild) rs.setFormat(FTS_FORMAT);
    });
  }
  return { reindexed, indexed, format: FTS_FORMAT, rebuilt: rebuild, seconds: (performance.now() - started) / 1000 };
}
