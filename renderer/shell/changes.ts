/**
 * Workspace change notifications from the core (`workspace.changed`), debounced into a version
 * number that data hooks put in their keys so they load again.
 */
import { useSyncExternalStore } from 'react';
import { on } from '../api.ts';
import { afterItemPaint } from '../lib/paintGate.ts';

type Reason = 'ingest' | 'verdict' | 'taxonomy' | 'settings' | 'export' | 'local';

let version = 0;
const reasons = new Set<Reason>();
let lastReasons: Reason[] = [];
const perReason = new Map<Reason, number>();
const listeners = new Set<() => void>();
const hooks = new Set<(reasons: Reason[]) => void>();
let timer: ReturnType<typeof setTimeout> | null = null;
let started = false;

function flush(): void {
  timer = null;
  lastReasons = [...reasons];
  for (const r of lastReasons) perReason.set(r, (perReason.get(r) ?? 0) + 1);
  reasons.clear();
  version++;
  for (const h of hooks) h(lastReasons);
  for (const l of listeners) l();
}

/**
 * Marks the workspace as changed (debounced ~200 ms so a burst of events loads once). The reloads
 * it sets off wait until an item being switched to has painted: during a review run the
 * verdict events of earlier items arrive just as the reviewer submits the next one.
 */
export function markChanged(reason: Reason): void {
  reasons.add(reason);
  if (timer === null) timer = setTimeout(() => afterItemPaint(flush), 200);
}

export function startChangeFeed(): void {
  if (started) return;
  started = true;
  on('workspace.changed', (p) => markChanged(p.reason));
}

/** Runs `fn` on every flushed change (outside React: caches, the queue store). */
export function onChanged(fn: (reasons: Reason[]) => void): () => void {
  hooks.add(fn);
  return () => hooks.delete(fn);
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export function useChangeVersion(): number {
  return useSyncExternalStore(subscribe, () => version);
}

/** A version that only moves for the given reasons. */
export function useChangeVersionFor(...which: Reason[]): number {
  return useSyncExternalStore(subscribe, () => which.reduce((n, r) => n + (perReason.get(r) ?? 0), 0));
}
