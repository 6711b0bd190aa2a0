/** Moving through the queue: j/k, after a verdict, and prefetching what comes next. */
import { ensureItem } from '../item/queries.ts';
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

/** Warms the cache with the next two items after `id`. */
export function prefetchAfter(id: string): void {
  const rows = queueStore.get().rows;
  const i = rows.findIndex((r) => r.id === id);
  if (i < 0) return;
  for (const r of rows.slice(i + 1, i + 3)) ensureItem(r.id);
}
