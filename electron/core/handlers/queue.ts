/**
 * queue.*, item.get, sources.list, quarantine.list: the reads behind the desk and the CLI
 * listings. The desk's reads go through the QueueReads interface (../storage/queue-reads.ts);
 * sources and quarantine are the local workspace's own and read it directly.
 */
import { listQuarantine } from '../../../db/queries/quarantine.ts';
import { listSourceFiles, listSources, sourceCounts } from '../../../db/queries/sources.ts';
import { suggestLabels } from '../review/suggestions.ts';
import { routeFields, routeLabels } from '../review/taxonomy.ts';
import { UserError } from '../util/errors.ts';
import type { HandlerContext, HandlerGroup } from './types.ts';

type Methods = 'queue.page' | 'queue.counts' | 'queue.facets' | 'item.get' | 'sources.list' | 'quarantine.list';

/** `then` for a value that may or may not be a promise: a synchronous store stays synchronous. */
function map<T, U>(v: T | Promise<T>, f: (t: T) => U): U | Promise<U> {
  return v instanceof Promise ? v.then(f) : f(v);
}

export function queueHandlers(ctx: HandlerContext): HandlerGroup<Methods> {
  const { ws, reads } = ctx;
  return {
    'queue.page': ({ filter, after, limit }) => reads.page(filter, after, limit),
    'queue.counts': ({ filter }) =>
      map(reads.counts(filter), ({ counts, capped }) => ({ counts, total: Object.values(counts).reduce((a, b) => a + b, 0), capped })),
    'queue.facets': () => reads.facets(),
    'item.get': ({ id }) =>
      map(reads.item(id), (stored) => {
        if (!stored) throw new UserError(`no item ${id}`, 'not_found');
        const { item } = stored;
        const record = item.revisions.find((r) => r.revision === item.revision)?.record;
        const tax = ctx.taxonomy();
        const suggestedLabels = suggestLabels(record?.flags ?? [], tax);
        const routeTaxonomy = { labels: routeLabels(tax, item.route), fields: routeFields(tax, item.route) };
        return { ...stored, suggestedLabels, routeTaxonomy };
      }),
    'sources.list': () =>
      listSources(ws.sqlite).map((s) => ({
        ...s,
        ...sourceCounts(ws.sqlite, s.id),
        files: listSourceFiles(ws.sqlite, s.id),
      })),
    'quarantine.list': ({ limit, beforeSeq }) => listQuarantine(ws.sqlite, limit, beforeSeq),
  };
}
