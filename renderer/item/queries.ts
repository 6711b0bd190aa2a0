/**
 * `item.get` with a small in-memory cache: the next items are prefetched so j and submit show
 * them at once. Entries are replaced (never mutated), so a subscriber sees a new object when
 * fresh data lands; old data stays visible while a refresh is in flight.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { call } from '../api.ts';
import type { ItemView } from '../../electron/shared/contract.ts';
import { errorMessage } from '../lib/format.ts';

export interface ItemEntry {
  data?: ItemView;
  error?: string;
  pending: boolean;
}

const CACHE_SIZE = 8;
const entries = new Map<string, ItemEntry>();
const listeners = new Set<() => void>();
const inFlight = new Map<string, number>();
let ticket = 0;
/** The item on screen: never evicted. */
let pinned: string | null = null;

function notify() {
  for (const l of listeners) l();
}

function put(id: string, entry: ItemEntry) {
  entries.delete(id);
  entries.set(id, entry);
  for (const key of [...entries.keys()]) {
    if (entries.size <= CACHE_SIZE) break;
    if (key !== pinned) entries.delete(key);
  }
  notify();
}

function fetchItem(id: string): void {
  const t = ++ticket;
  inFlight.set(id, t);
  const prev = entries.get(id);
  put(id, { data: prev?.data, pending: true });
  call('item.get', { id }).then(
    (data) => {
      if (inFlight.get(id) !== t) return;
      inFlight.delete(id);
      put(id, { data, pending: false });
    },
    (err: unknown) => {
      if (inFlight.get(id) !== t) return;
      inFlight.delete(id);
      put(id, { data: entries.get(id)?.data, error: errorMessage(err), pending: false });
    },
  );
}

/** Cached items that may be out of date: shown at once, then refreshed when asked for. */
const stale = new Set<string>();

/** Loads an item unless it is cached (and fresh) or loading. */
export function ensureItem(id: string): void {
  if (inFlight.has(id)) return;
  const e = entries.get(id);
  if (e && !e.error && !stale.has(id)) return;
  stale.delete(id);
  fetchItem(id);
}

/**
 * After verdicts elsewhere: cached items stay usable (a verdict changes only its own item,
 * which the reviewer's own actions refresh) but are refetched when next shown, so the
 * prefetched next item still appears at once.
 */
export function markItemsStale(keep: string | null): void {
  for (const id of entries.keys()) if (id !== keep) stale.add(id);
  if (keep) fetchItem(keep);
}

/** Loads an item again (its verdicts or revisions changed); the old copy stays shown meanwhile. */
export function refreshItem(id: string): void {
  fetchItem(id);
}

/** After a workspace change: drops every cached item but `keep`, which is refreshed. */
export function invalidateItems(keep: string | null): void {
  for (const id of [...entries.keys()]) if (id !== keep) entries.delete(id);
  if (keep) fetchItem(keep);
  else notify();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export function useItem(itemId: string | null): ItemEntry | undefined {
  const entry = useSyncExternalStore(subscribe, () => (itemId ? entries.get(itemId) : undefined));
  useEffect(() => {
    pinned = itemId;
    if (itemId) ensureItem(itemId);
  }, [itemId]);
  return entry;
}

/** The id of the revision the item is at now (what a verdict must name). */
export function currentRevisionId(view: ItemView): string | null {
  const r = view.item.revisions.find((x) => x.revision === view.item.revision) ?? view.item.revisions[view.item.revisions.length - 1];
  return r ? r.id : null;
}

/** The cached view of an item, if any (for actions outside React). */
export function peekItem(itemId: string): ItemView | undefined {
  return entries.get(itemId)?.data;
}
