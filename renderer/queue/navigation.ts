/** Moving through the queue: j/k, after a verdict, and prefetching what comes next. */
import { peekItem, prefetchItem } from '../item/queries.ts';
import { afterItemPaint } from '../lib/paintGate.ts';
import { useUi } from '../state/ui.ts';
import { queueStore } from './store.ts';

/** Selects the row `offset` away from the current one. Returns false at either end. */
export function selectRelative(offset: number): boolean {
  const { selectedId, anchorIndex, select } = useUi.getState();
  const n = queueStore.neighbour(selectedId, anchorIndex, offset);
  if (!n) return false;
  select(n.id, n.index);
  return true;
}

/** The id that follows the current item (computed before a verdict removes it from the list). */
export function nextAfterCurrent(): { id: string; index: number } | null {
  const { selectedId, anchorIndex } = useUi.getState();
  return queueStore.neighbour(selectedId, anchorIndex, 1);
}

/**
 * How far ahead to load. The core answers one call at a time, and in a fast review run (a verdict
 * every ~50 ms on a 100k-item workspace) item.get took 65–80 ms at the median and 130–155 ms at
 * p90: with three ahead, 15 of 200 submits still waited over 45 ms for the next item to arrive.
 */
const PREFETCH_AHEAD = 5;

/**
 * Warms the cache with the items after `id`. When `id` itself is cached this waits until it has
 * painted (starting requests costs main-thread time that frame does not have); when it is not,
 * the reviewer waits on the network anyway, so the next ones are asked for at once.
 */
export function prefetchAfter(id: string): void {
  const run = () => {
    const rows = queueStore.get().rows;
    const i = rows.findIndex((r) => r.id === id);
    if (i < 0) return;
    for (const r of rows.slice(i + 1, i + 1 + PREFETCH_AHEAD)) prefetchItem(r.id);
  };
  if (peekItem(id)) afterItemPaint(run);
  else {
    // Asked for first, so the core answers it before the ones behind it.
    prefetchItem(id);
    run();
  }
}
