/**
 * The loaded part of the queue: keyset pages of `queue.page`, fetched as the list scrolls.
 * It lives here (not in zustand) because it is fetched data; the UI store only holds the filter.
 */
import { useSyncExternalStore } from 'react';
import type { Cursor, QueuePageRow as QueueRow } from '../../electron/shared/contract.ts';
import { emitAppEvent } from '../lib/appEvents.ts';
import { errorMessage } from '../lib/format.ts';
import { itemPaintSettled } from '../lib/paintGate.ts';
import { fetchQueuePage, type ApiFilter } from './queries.ts';

export interface QueueSnapshot {
  filterKey: string;
  rows: QueueRow[];
  next: Cursor | null;
  /** True once the first page for the current filter arrived. */
  ready: boolean;
  loadingMore: boolean;
  error: string | null;
}

const MAX_REFRESH_PAGES = 10;

function sameRow(a: QueueRow, b: QueueRow): boolean {
  for (const k of Object.keys(b) as (keyof QueueRow)[]) if (a[k] !== b[k]) return false;
  return Object.keys(a).length === Object.keys(b).length;
}

/**
 * Reuses the loaded row objects that a reload returned unchanged, so the memoised rows on screen
 * re-render only where something changed (after a verdict, usually none: the decided row leaves).
 */
function keepUnchanged(before: QueueRow[], after: QueueRow[]): QueueRow[] {
  if (before.length === 0) return after;
  const byId = new Map(before.map((r) => [r.id, r]));
  return after.map((r) => {
    const old = byId.get(r.id);
    return old && sameRow(old, r) ? old : r;
  });
}

class QueueStore {
  private snap: QueueSnapshot = { filterKey: '', rows: [], next: null, ready: false, loadingMore: false, error: null };
  private filter: ApiFilter = {};
  private generation = 0;
  private pagesLoaded = 0;
  private inFlight = false;
  private readonly listeners = new Set<() => void>();

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  get = () => this.snap;

  private set(patch: Partial<QueueSnapshot>) {
    this.snap = { ...this.snap, ...patch };
    for (const l of this.listeners) l();
  }

  /** Switches to a filter (no-op when it is the current one) and loads its first page. */
  setFilter(filter: ApiFilter): void {
    const key = JSON.stringify(filter);
    if (key === this.snap.filterKey) return;
    this.filter = filter;
    this.set({ filterKey: key, ready: false, error: null, loadingMore: false });
    void this.reload(1);
  }

  /** Reloads the pages loaded so far (after the workspace changed), keeping the scroll place. */
  refresh(): void {
    void this.reload(Math.min(Math.max(1, this.pagesLoaded), MAX_REFRESH_PAGES));
  }

  private async reload(pages: number): Promise<void> {
    const gen = ++this.generation;
    this.inFlight = true;
    try {
      const rows: QueueRow[] = [];
      let next: Cursor | null = null;
      let loaded = 0;
      for (let p = 0; p < pages; p++) {
        const page = await fetchQueuePage(this.filter, next);
        if (gen !== this.generation) return;
        rows.push(...page.rows);
        next = page.next;
        loaded++;
        if (!next) break;
      }
      // A reload lands in the list after an item being switched to has painted.
      await itemPaintSettled();
      if (gen !== this.generation) return;
      this.pagesLoaded = loaded;
      this.inFlight = false;
      this.set({ rows: keepUnchanged(this.snap.rows, rows), next, ready: true, loadingMore: false, error: null });
      emitAppEvent('verdict:queue-loaded', { rows: rows.length, filter: this.snap.filterKey });
    } catch (err) {
      if (gen !== this.generation) return;
      this.inFlight = false;
      this.set({ ready: true, loadingMore: false, error: errorMessage(err) });
    }
  }

  /** Loads the next page, if there is one and nothing is loading. */
  loadMore(): void {
    const after = this.snap.next;
    if (!after || this.inFlight) return;
    const gen = this.generation;
    this.inFlight = true;
    this.set({ loadingMore: true });
    fetchQueuePage(this.filter, after).then(
      (page) => {
        if (gen !== this.generation) return;
        this.inFlight = false;
        this.pagesLoaded++;
        this.set({ rows: [...this.snap.rows, ...page.rows], next: page.next, loadingMore: false });
        emitAppEvent('verdict:queue-loaded', { rows: this.snap.rows.length, filter: this.snap.filterKey });
      },
      (err: unknown) => {
        if (gen !== this.generation) return;
        this.inFlight = false;
        this.set({ loadingMore: false, error: errorMessage(err) });
      },
    );
  }

  /** The id `offset` rows away from `id` (or from `anchor` when `id` left the list). */
  neighbour(id: string | null, anchor: number, offset: number): { id: string; index: number } | null {
    const rows = this.snap.rows;
    if (rows.length === 0) return null;
    const at = id ? rows.findIndex((r) => r.id === id) : -1;
    let index: number;
    if (at >= 0) index = at + offset;
    else index = offset > 0 ? anchor + offset - 1 : anchor + offset;
    index = Math.min(Math.max(index, 0), rows.length - 1);
    if (at >= 0 && index === at) return null;
    if (index >= rows.length - 5) this.loadMore();
    const row = rows[index];
    return row ? { id: row.id, index } : null;
  }

  indexOf(id: string | null): number {
    return id ? this.snap.rows.findIndex((r) => r.id === id) : -1;
  }
}

export const queueStore = new QueueStore();

export function useQueue(): QueueSnapshot {
  return useSyncExternalStore(queueStore.subscribe, queueStore.get);
}

/** How many rows are loaded (for the summary line, which need not follow every other change). */
export function useLoadedCount(): number {
  return useSyncExternalStore(queueStore.subscribe, () => queueStore.get().rows.length);
}
