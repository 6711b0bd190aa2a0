/**
 * What the desk's read handlers (handlers/queue.ts: queue.page, queue.counts, queue.facets,
 * item.get) need from storage, as one interface. The handlers reach the workspace only through
 * it, so another store can stand behind the same handlers by implementing it. Which operations a
 * PostgreSQL team queue can and cannot satisfy, and why, is in docs/storage.md.
 *
 * Results may be synchronous (SQLite, in the DB worker: no extra tick per call) or promises (a
 * networked store); the handlers return them as they are, which the contract allows.
 */
import { filteredStatusCounts, findItemSeq, getItem, itemFacets, queuePage } from '../../../db/queries/items.ts';
import { eventsForSubject } from '../../../db/queries/audit-events.ts';
import { foldNewItems } from '../../../db/queries/metrics.ts';
import { currentVerdict, verdictsForItem } from '../../../db/queries/verdicts.ts';
import type { ApiOutputs, ApiParsedInput, Facets, ItemEvent, ItemStatus } from '../../shared/contract.ts';
import type { EscalationRecord } from '../record/schema.ts';
import { blindGold, mixGold } from '../review/gold-mix.ts';
import { withMask } from '../review/masking.ts';
import type { Workspace } from '../workspace/open.ts';

type MaybeAsync<T> = T | Promise<T>;
type QueueFilter = ApiParsedInput<'queue.page'>['filter'];
type Cursor = ApiParsedInput<'queue.page'>['after'];

/** An item as storage has it: everything `item.get` returns but what the taxonomy derives. */
export type StoredItem = Omit<ApiOutputs['item.get'], 'suggestedLabels' | 'routeTaxonomy'>;

export interface QueueReads {
  /** One keyset page of the queue, in queue order, under a filter. */
  page(filter: QueueFilter, after: Cursor, limit: number): MaybeAsync<ApiOutputs['queue.page']>;
  /** Items per status under a filter (`capped`: a filter that needs a scan stopped counting). */
  counts(filter: QueueFilter): MaybeAsync<{ counts: Record<ItemStatus, number>; capped: boolean }>;
  /** The values the filter panel offers. */
  facets(): MaybeAsync<Facets>;
  /** An item with its verdicts, the one in force and its audit events; undefined if there is none. */
  item(idOrExternalId: string): MaybeAsync<StoredItem | undefined>;
  /** The cached facets are stale (an ingest or an escalation added a route, model or flag). */
  invalidateFacets(): void;
}

/**
 * The local workspace (SQLite) behind the desk's reads. `reviewer` seeds each reviewer's own mix
 * of gold items into the queue.
 */
export function sqliteQueueReads(ws: Workspace, reviewer: () => string): QueueReads {
  // The filter facets change only when an ingest or an escalation adds a route, model or flag.
  let facets: Facets | null = null;
  return {
    page(filter, after, limit) {
      // A drill-down (or the deployment filter) lists metric_items rows: fold in what landed since.
      if (filter.oversight || filter.deployment) foldNewItems(ws.sqlite);
      const page = queuePage(ws.sqlite, filter, after, limit);
      // Gold items at their route's rate, each reviewer's own mix (seeded by workspace and reviewer).
      const rows = filter.oversight ? page.rows : mixGold(ws, filter, page.rows, `${ws.id}:${reviewer()}`);
      return { ...page, rows: withMask(ws, rows) };
    },
    counts(filter) {
      if (filter.oversight || filter.deployment) foldNewItems(ws.sqlite);
      return filteredStatusCounts(ws.sqlite, filter);
    },
    facets() {
      // The deployments come from metric_items: counted up to now first (once per cached list).
      if (!facets) foldNewItems(ws.sqlite);
      facets ??= itemFacets(ws.sqlite);
      return facets;
    },
    item(id) {
      const seq = findItemSeq(ws.sqlite, id);
      const item = seq === undefined ? undefined : getItem<EscalationRecord>(ws.sqlite, seq);
      if (!item || seq === undefined) return undefined;
      // On a route that mixes gold in, the item view does not say it is gold.
      const blind = blindGold(ws, item.route);
      const events = eventsForSubject(ws.sqlite, item.id).flatMap((r): ItemEvent[] => {
        const b = JSON.parse(r.body) as { type: string; at: string; actor: string; data: Record<string, unknown> };
        return blind && b.type === 'item.gold' ? [] : [{ seq: r.seq, type: b.type, at: b.at, actor: b.actor, data: b.data }];
      });
      return { item, verdicts: verdictsForItem(ws.sqlite, seq), current: currentVerdict(ws.sqlite, seq) ?? null, events };
    },
    invalidateFacets() {
      facets = null;
    },
  };
}
