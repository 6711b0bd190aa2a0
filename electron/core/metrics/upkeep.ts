/**
 * When the metric upkeep runs (issue 14). A verdict write does no metric work; the metric tables
 * catch up with the item and verdict logs (db/queries/metrics-fold.ts):
 *  - before every oversight read (dashboard, overview, facets, report), so a verdict just
 *    submitted is counted on the next read;
 *  - in the background once writes have gone quiet for `idleMs`, or at the latest `maxWaitMs`
 *    after the first write not yet counted, so that read finds little left to do.
 * Either way in short committed steps with a turn of the event loop between them: a reviewer's
 * call waits at most one step (about 100 ms), never for a whole catch-up after a bulk ingest.
 * One catch-up at a time; a read during the background one waits for it, then catches up again.
 */
import { foldNewItemsAsync, type FoldProgress } from '../../../db/queries/metrics.ts';
import type { Workspace } from '../workspace/open.ts';

export interface MetricUpkeep {
  /** Brings the metric tables up to date (joins a catch-up already running). */
  catchUp(): Promise<void>;
  /** A write landed: schedule the background catch-up. */
  wrote(): void;
  close(): void;
}

/** A catch-up with at least this many items or verdicts to count reports its progress (the app shows it). */
export const REPORT_CATCH_UP_FROM = 2_000;

export function createMetricUpkeep(
  ws: Workspace,
  o: { idleMs?: number; maxWaitMs?: number; onProgress?: (p: FoldProgress) => void; reportFrom?: number } = {},
): MetricUpkeep {
  const idleMs = o.idleMs ?? 10_000;
  const reportFrom = o.reportFrom ?? REPORT_CATCH_UP_FROM;
  // Each step's progress, for a backlog only: the one-step catch-up before an ordinary read says nothing.
  let reported: FoldProgress | null = null;
  const onProgress =
    o.onProgress &&
    ((p: FoldProgress) => {
      if (p.total < reportFrom) return;
      reported = p.done < p.total ? p : null;
      o.onProgress!(p);
    });
  // A catch-up that stopped early (it failed, or a synchronous one from a drill-down went further)
  // ends its report anyway, so the app does not show a catch-up that is no longer running.
  const endReport = () => {
    if (reported) o.onProgress?.({ ...reported, done: reported.total });
    reported = null;
  };
  const maxWaitMs = o.maxWaitMs ?? 300_000;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let firstPending = 0;
  let closed = false;

  const start = (): Promise<void> => {
    const run = foldNewItemsAsync(ws.sqlite, { onProgress })
      .then(() => undefined)
      .finally(() => {
        endReport();
        if (running === run) running = null;
      });
    running = run;
    return run;
  };
  // A read must count what landed before it: a catch-up already running may have started before
  // that, so the read waits for it and then catches up again (nothing left: four index reads).
  let next: Promise<void> | null = null;
  const catchUp = (): Promise<void> => {
    if (!running) return start();
    next ??= running
      .catch(() => undefined)
      .then(() => {
        next = null;
        return running ?? start();
      });
    return next;
  };
  const background = () => {
    timer = null;
    firstPending = 0;
    if (closed) return;
    // A failed background catch-up is retried by the next read, which reports its error.
    catchUp().catch(() => undefined);
  };
  return {
    catchUp,
    wrote() {
      if (closed) return;
      const now = Date.now();
      if (firstPending === 0) firstPending = now;
      if (timer) clearTimeout(timer);
      timer = setTimeout(background, Math.max(0, Math.min(idleMs, firstPending + maxWaitMs - now)));
      timer.unref();
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
