/**
 * Gold items mixed into the desk's queue at a per-route rate (issue 13): with rate r on a route,
 * the j-th gold item (in an order drawn from the seed) is shown right after the regular item at
 * rank floor((j + u_j) / r) of that route's list (u_j also drawn from the seed), so about one item
 * in 1/r is gold, spread out rather than in its natural place, and the same on every page load.
 * A gold item past the end of a short list keeps its natural place. The row is an ordinary queue
 * row: nothing in queue.page, item.get or item.actions tells a reviewer it is gold (see
 * blindGold). Lists filtered by more than status and route keep natural order.
 */
import { createHash } from 'node:crypto';
import { goldQueueRows, regularAtRank } from '../../../db/queries/gold-mix.ts';
import { STATUSES, type ItemStatus, type QueueFilter, type QueueRow } from '../../../db/queries/items.ts';
import type { Workspace } from '../workspace/open.ts';
import { expertSettings } from './masking.ts';

/** A number in [0, 1) drawn from the seed for this id and purpose. */
function draw(seed: string, id: string, purpose: string): number {
  return parseInt(createHash('sha256').update(`${seed}\u0000${id}\u0000${purpose}`).digest('hex').slice(0, 12), 16) / 2 ** 48;
}

/** For each gold id, the rank of the regular item it follows, at `rate` (0 < rate <= 1). Pure. */
export function goldSchedule(goldIds: readonly string[], rate: number, seed: string): { id: string; rank: number }[] {
  if (!(rate > 0)) return [];
  return [...goldIds]
    .sort((a, b) => draw(seed, a, 'order') - draw(seed, b, 'order') || (a < b ? -1 : 1))
    .map((id, j) => ({ id, rank: Math.floor((j + draw(seed, id, 'offset')) / Math.min(rate, 1)) }));
}

/** Interleaves: each gold row right after the regular row it is anchored to (by seq); pure. */
export function placeGold<R extends { seq: number }>(rows: readonly R[], anchored: ReadonlyMap<number, R[]>): R[] {
  const placed = new Set<number>();
  for (const list of anchored.values()) for (const g of list) placed.add(g.seq);
  const out: R[] = [];
  for (const r of rows) {
    if (placed.has(r.seq)) continue;
    out.push(r);
    for (const g of anchored.get(r.seq) ?? []) out.push(g);
  }
  return out;
}

const onlyStatusAndRoute = (f: QueueFilter): boolean =>
  Object.entries(f).every(([k, v]) => k === 'status' || k === 'route' || v === undefined || (Array.isArray(v) && v.length === 0));

/** The page with gold items moved to their scheduled places (a page's rows only change order and membership). */
export function mixGold(ws: Workspace, filter: QueueFilter, rows: QueueRow[], seed: string): QueueRow[] {
  const rates = expertSettings(ws).goldRates;
  const routes = Object.keys(rates).filter((r) => rates[r]! > 0 && (!filter.route?.length || filter.route.includes(r)));
  if (routes.length === 0 || !onlyStatusAndRoute(filter)) return rows;
  const statuses: ItemStatus[] = filter.status?.length ? [...new Set(filter.status)] : [...STATUSES];
  const gold = goldQueueRows(ws.sqlite, statuses).filter((g) => routes.includes(g.route));
  if (gold.length === 0) return rows;
  const goldSeqs = gold.map((g) => g.seq);
  const byId = new Map(gold.map((g) => [g.id, g]));
  const anchored = new Map<number, QueueRow[]>();
  for (const route of routes) {
    const ids = gold.filter((g) => g.route === route).map((g) => g.id);
    for (const { id, rank } of goldSchedule(ids, rates[route]!, seed)) {
      const anchor = regularAtRank(ws.sqlite, route, statuses, goldSeqs, rank);
      if (anchor === undefined) continue; // past the end of a short list: natural place
      const list = anchored.get(anchor) ?? [];
      list.push(byId.get(id)!);
      anchored.set(anchor, list);
    }
  }
  // Gold rows anchored elsewhere leave this page; those anchored to a row on it join it.
  return placeGold(rows, anchored);
}

/** Routes whose gold is mixed in blind: there item.get and item.actions say nothing about gold. */
export function blindGold(ws: Workspace, route: string): boolean {
  return (expertSettings(ws).goldRates[route] ?? 0) > 0;
}
