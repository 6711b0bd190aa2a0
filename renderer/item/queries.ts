/**
 * `item.get` with a small in-memory cache: the next items are prefetched so j and submit show
 * them at once. Entries are replaced (never mutated), so a subscriber sees a new object when
 * changed data lands; old data stays visible while a refresh is in flight.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { call } from '../api.ts';
import type { ItemView } from '../../electron/shared/contract.ts';
import { errorMessage } from '../lib/format.ts';
import { afterItemPaint } from '../lib/paintGate.ts';

export interface ItemEntry {
  data?: ItemView;
  error?: string;
  pending: boolean;
}

// The item on screen, the prefetched ones ahead of it and the last few decided behind it (for k).
const CACHE_SIZE = 12;
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

/** Items changed while a request for them was in flight: asked for again once it lands. */
const again = new Set<string>();

/** Callers waiting for an item's answer from the core (see settledItem). */
const waiters = new Map<string, ((view: ItemView | undefined) => void)[]>();

function landed(id: string): void {
  if (again.delete(id)) {
    revalidate(id);
    return;
  }
  const list = waiters.get(id);
  if (!list) return;
  waiters.delete(id);
  for (const resolve of list) resolve(entries.get(id)?.data);
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
      landed(id);
    },
    (err: unknown) => {
      if (inFlight.get(id) !== t) return;
      inFlight.delete(id);
      put(id, { data: entries.get(id)?.data, error: errorMessage(err), pending: false });
      landed(id);
    },
  );
}

/**
 * Loads an item again after a workspace change. A request already in flight may predate the
 * change, but replacing it (as this did) threw away an answer that was nearly there: in the
 * review loop an item being opened appeared 130 ms after its first answer had arrived, and one
 * slower to load than the gap between two changes would never appear. The request in flight
 * lands instead, and the item is asked for again behind it.
 */
function reload(id: string, quietly: boolean): void {
  if (inFlight.has(id)) again.add(id);
  else if (quietly && entries.get(id)?.data) revalidate(id);
  else fetchItem(id);
}

/** Cached items that may be out of date: shown at once, then revalidated. */
const stale = new Set<string>();

/** Deep equality for two answers to `item.get` (plain JSON, small: one item and its history). */
function sameView(a: ItemView, b: ItemView): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Refetches a cached item without showing it as refreshing, and replaces it only if it changed:
 * an unchanged item keeps its object, so nothing re-renders. Should it fail, the cached copy
 * stays and is tried again next time it is asked for.
 */
function revalidate(id: string): void {
  const t = ++ticket;
  inFlight.set(id, t);
  call('item.get', { id }).then(
    (data) => {
      if (inFlight.get(id) !== t) return;
      inFlight.delete(id);
      const prev = entries.get(id);
      if (!(prev?.data && !prev.pending && !prev.error && sameView(prev.data, data))) put(id, { data, pending: false });
      landed(id);
    },
    () => {
      if (inFlight.get(id) !== t) return;
      inFlight.delete(id);
      stale.add(id);
      landed(id);
    },
  );
}

/** Loads an item unless it is cached (and fresh) or loading; a stale copy is revalidated. */
export function ensureItem(id: string): void {
  if (inFlight.has(id)) return;
  const e = entries.get(id);
  if (e?.data && !e.error) {
    if (stale.delete(id)) revalidate(id);
    return;
  }
  stale.delete(id);
  fetchItem(id);
}

/**
 * After verdicts: cached items stay usable (a verdict changes only its own item, which the
 * reviewer's own actions refresh) but are revalidated when next shown, so the prefetched next
 * item still appears at once. The item on screen is revalidated now.
 */
export function markItemsStale(keep: string | null): void {
  for (const id of entries.keys()) if (id !== keep) stale.add(id);
  if (keep) reload(keep, true);
}

/**
 * Warms the cache with an item that is not in it. A cached copy, even a stale one, is left as it
 * is: it is revalidated when it is shown (after it has painted), which saves a request per item
 * when verdicts keep marking everything stale.
 */
export function prefetchItem(id: string): void {
  if (inFlight.has(id) || entries.get(id)?.data) return;
  stale.delete(id);
  fetchItem(id);
}

/**
 * After the reviewer's own verdict on an item: reloaded now if it is on screen, otherwise
 * revalidated when it is next shown. During a review run the item has just been left behind, and
 * loading it at once cost the core a request per verdict while the next items were waiting on it.
 */
export function itemChanged(id: string): void {
  if (id === pinned) fetchItem(id);
  else if (entries.has(id)) stale.add(id);
}

/** Loads an item again (its verdicts or revisions changed); the old copy stays shown meanwhile. */
export function refreshItem(id: string): void {
  fetchItem(id);
}

/** After a workspace change: drops every cached item but `keep`, which is refreshed. */
export function invalidateItems(keep: string | null): void {
  for (const id of [...entries.keys()]) if (id !== keep) entries.delete(id);
  if (keep) reload(keep, false);
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
    if (!itemId) return;
    // A cached copy goes on screen as it is; revalidating it waits until it has painted.
    if (entries.get(itemId)?.data) afterItemPaint(() => ensureItem(itemId));
    else ensureItem(itemId);
  }, [itemId]);
  return entry;
}

export { currentRevisionId } from './revision.ts';

/**
 * The item as the core has it now: the cached copy unless it is stale or still loading. An item
 * left behind after the reviewer's own verdict is stale, and `k` then `a` (amend) must see the
 * verdict just recorded rather than the copy from before it.
 */
export function settledItem(id: string): Promise<ItemView | undefined> {
  const cached = entries.get(id)?.data;
  if (cached && !inFlight.has(id) && !stale.has(id)) return Promise.resolve(cached);
  return new Promise((resolve) => {
    waiters.set(id, [...(waiters.get(id) ?? []), resolve]);
    if (inFlight.has(id)) return;
    stale.delete(id);
    if (cached) revalidate(id);
    else fetchItem(id);
  });
}

/** The cached view of an item, if any (for actions outside React). */
export function peekItem(itemId: string): ItemView | undefined {
  return entries.get(itemId)?.data;
}
