/** queue.*, item.get, sources.list, quarantine.list: the reads behind the desk and the CLI listings. */
import { filteredStatusCounts, findItemSeq, getItem, itemFacets, queuePage } from '../../../db/queries/items.ts';
import { eventsForSubject } from '../../../db/queries/audit-events.ts';
import { listQuarantine } from '../../../db/queries/quarantine.ts';
import { listSourceFiles, listSources, sourceCounts } from '../../../db/queries/sources.ts';
import { currentVerdict, verdictsForItem } from '../../../db/queries/verdicts.ts';
import { foldNewItems } from '../../../db/queries/metrics.ts';
import type { Facets, ItemEvent } from '../../shared/contract.ts';
import type { EscalationRecord } from '../record/schema.ts';
import { suggestLabels } from '../review/suggestions.ts';
import { UserError } from '../util/errors.ts';
import type { Workspace } from '../workspace/open.ts';
import type { HandlerContext, HandlerGroup } from './types.ts';
import { routeFields, routeLabels } from '../review/taxonomy.ts';
import { withMask } from '../review/masking.ts';
import { blindGold, mixGold } from '../review/gold-mix.ts';

/** The filter facets change only when an ingest or an escalation adds a route, model or flag. */
export class FacetsCache {
  private value: Facets | null = null;
  constructor(private readonly ws: Workspace) {}
  get(): Facets {
    this.value ??= itemFacets(this.ws.sqlite);
    return this.value;
  }
  invalidate(): void {
    this.value = null;
  }
}

type Methods = 'queue.page' | 'queue.counts' | 'queue.facets' | 'item.get' | 'sources.list' | 'quarantine.list';

export function queueHandlers(ctx: HandlerContext): HandlerGroup<Methods> {
  const { ws } = ctx;
  return {
    'queue.page': ({ filter, after, limit }) => {
      // A drill-down lists metric_items rows: fold in what landed since the dashboard read them.
      if (filter.oversight) foldNewItems(ws.sqlite);
      const page = queuePage(ws.sqlite, filter, after, limit);
      // Gold items at their route's rate, each reviewer's own mix (seeded by workspace and reviewer).
      const rows = filter.oversight ? page.rows : mixGold(ws, filter, page.rows, `${ws.id}:${ctx.reviewer()}`);
      return { ...page, rows: withMask(ws, rows) };
    },
    'queue.counts': ({ filter }) => {
      if (filter.oversight) foldNewItems(ws.sqlite);
      const { counts, capped } = filteredStatusCounts(ws.sqlite, filter);
      return { counts, total: Object.values(counts).reduce((a, b) => a + b, 0), capped };
    },
    'queue.facets': () => ctx.facets.get(),
    'item.get': ({ id }) => {
      const seq = findItemSeq(ws.sqlite, id);
      const item = seq === undefined ? undefined : getItem<EscalationRecord>(ws.sqlite, seq);
      if (!item || seq === undefined) throw new UserError(`no item ${id}`, 'not_found');
      // On a route that mixes gold in, the item view does not say it is gold.
      const blind = blindGold(ws, item.route);
      const events = eventsForSubject(ws.sqlite, item.id).flatMap((r): ItemEvent[] => {
        const b = JSON.parse(r.body) as { type: string; at: string; actor: string; data: Record<string, unknown> };
        return blind && b.type === 'item.gold' ? [] : [{ seq: r.seq, type: b.type, at: b.at, actor: b.actor, data: b.data }];
      });
      const record = item.revisions.find((r) => r.revision === item.revision)?.record;
      const tax = ctx.taxonomy();
      const suggestedLabels = suggestLabels(record?.flags ?? [], tax);
      const routeTaxonomy = { labels: routeLabels(tax, item.route), fields: routeFields(tax, item.route) };
      return { item, verdicts: verdictsForItem(ws.sqlite, seq), current: currentVerdict(ws.sqlite, seq) ?? null, events, suggestedLabels, routeTaxonomy };
    },
    'sources.list': () =>
      listSources(ws.sqlite).map((s) => ({
        ...s,
        ...sourceCounts(ws.sqlite, s.id),
        files: listSourceFiles(ws.sqlite, s.id),
      })),
    'quarantine.list': ({ limit, beforeSeq }) => listQuarantine(ws.sqlite, limit, beforeSeq),
  };
}
