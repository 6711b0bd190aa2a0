/**
 * Which contract methods change the workspace, and the one wrapper that tells the UI (IPC, SSE)
 * after they did. Handlers only write; `withChangeEvents` emits `workspace.changed` with the
 * reason and the item ids that changed, and drops the cached filter facets when a write can
 * add a route. The table is total over the contract: a new method does not compile until it is
 * classified here, so a writing handler cannot forget to notify.
 */
import { METHODS, type ApiEvents, type ApiOutputs, type ApiParsedInput, type Method } from '../../shared/contract.ts';
import type { Emit, Handler, Handlers } from './types.ts';

export type ChangeReason = ApiEvents['workspace.changed']['reason'];

/** A write answered in the call: notified by the wrapper once the handler returned. */
export interface Writes<M extends Method> {
  readonly reason: ChangeReason;
  /** Whether this result changed anything (default: always). */
  readonly when?: (out: Awaited<ApiOutputs[M]>) => boolean;
  /** The items whose state changed, when the write is about items. */
  readonly items?: (input: ApiParsedInput<M>, out: Awaited<ApiOutputs[M]>) => string[];
  /** Whether the cached filter facets may be stale (a new route, recounted facets). */
  readonly facets?: (out: Awaited<ApiOutputs[M]>) => boolean;
}

export type Change<M extends Method> =
  | Writes<M>
  /** Reads nothing but state. */
  | 'read'
  /** Starts a job; the job notifies when it has written (handlers/jobs.ts, jobs/runner.ts). */
  | 'job'
  /** Team mode: the team client emits `team.changed` on its own state (team-client/client.ts). */
  | 'team'
  /** Writes that deliberately do not notify, with the reason why. */
  | { readonly quiet: string };

const always = () => true;
const route = (v: { routeTo: string | null }) => Boolean(v.routeTo);

export const CHANGES: { readonly [M in Method]: Change<M> } = {
  'workspace.info': 'read',
  'workspace.routes': 'read',
  'workspace.setReviewer': { reason: 'settings' },
  'queue.page': 'read',
  'queue.counts': 'read',
  'queue.facets': 'read',
  'item.get': 'read',
  // An escalation can introduce a route the filters have not seen.
  'verdict.submit': { reason: 'verdict', items: (_i, v) => [v.itemId], facets: route },
  'verdict.amend': { reason: 'verdict', items: (_i, v) => [v.itemId], facets: route },
  'verdict.undo': { reason: 'verdict', when: (r) => r !== null, items: (_i, r) => (r ? [r.undone.itemId] : []) },
  'taxonomy.get': 'read',
  'taxonomy.set': { reason: 'taxonomy' },
  'sources.list': 'read',
  'ingest.start': 'job',
  'jobs.list': 'read',
  'jobs.cancel': 'job',
  'quarantine.list': 'read',
  'audit.head': 'read',
  'audit.verify': 'read',
  // The facet counts were recounted in SQL: the cached copy is stale.
  'search.reindex': { reason: 'ingest', facets: always },
  'app.openExternal': 'read',
  'links.check': 'read',
  'links.hosts': 'read',
  'links.setHosts': { reason: 'settings' },
  'verdicts.import': { reason: 'verdict' },
  'export.start': 'job',
  'export.verify': 'read',
  'sync.status': 'read',
  'sync.run': { quiet: 'delivery state only: the answer carries the new status and the sync loop broadcasts sync.status' },
  'sync.retry': { quiet: 'delivery state only: the answer carries the new status and the sync loop broadcasts sync.status' },
  'metrics.dashboard': 'read',
  'metrics.dimensions': 'read',
  'metrics.models': 'read',
  'metrics.operations': 'read',
  'metrics.facets': 'read',
  'metrics.report': 'read',
  'metrics.overview': 'read',
  'team.status': 'team',
  'team.connect': 'team',
  'team.disconnect': 'team',
  'team.claim': 'team',
  'team.item': 'team',
  'team.heartbeat': 'team',
  'team.release': 'team',
  'team.submit': 'team',
  'team.submitNext': 'team',
  'team.push': 'team',
  'team.exportBatch': 'team',
  'team.adjudication.claim': 'team',
  'team.adjudication.decide': 'team',
  'team.escalate': 'team',
  'team.hold': 'team',
  'team.expert.pool': 'team',
  'team.expert.claim': 'team',
  'team.expert.answer': 'team',
  'team.lead.view': 'team',
  'team.lead.releaseHold': 'team',
  'team.lead.reopen': 'team',
  'team.lead.markGold': 'team',
  'team.lead.route': 'team',
  'team.history': 'team',
  'team.lead.agreement': 'team',
  'agreement.report': 'read',
  'adjudication.queue': 'read',
  'adjudication.next': 'read',
  'adjudication.get': 'read',
  'adjudication.decide': { reason: 'verdict', items: (i) => [i.itemId] },
  'item.hold': { reason: 'verdict', items: (i) => [i.itemId] },
  'item.release': { reason: 'verdict', items: (i) => [i.itemId] },
  'item.reopen': { reason: 'verdict', items: (i) => [i.itemId] },
  'item.consult': { reason: 'verdict', items: (i) => [i.itemId] },
  'item.reveal': { quiet: "the reviewer's own exposure count: the answer carries it, and nothing in the queue changed" },
  'item.actions': 'read',
  'holds.list': 'read',
  'gold.mark': { reason: 'verdict', items: (i) => [i.itemId] },
  'gold.unmark': { reason: 'verdict', items: (i) => [i.itemId] },
  'gold.list': 'read',
  'expert.overturns': 'read',
  'expert.settings': 'read',
  'expert.setSettings': { reason: 'settings' },
  'wellbeing.status': 'read',
};

export interface ChangeSink {
  emit: Emit;
  /** Drops the cached filter facets (storage/queue-reads.ts). */
  invalidateFacets(): void;
}

/** The one way a change is announced (the wrapper below and the jobs use it). */
export function announce(sink: ChangeSink, reason: ChangeReason, itemIds?: readonly string[]): void {
  sink.emit('workspace.changed', itemIds && itemIds.length > 0 ? { reason, itemIds: [...new Set(itemIds)] } : { reason });
}

function notifying<M extends Method>(handler: Handler<M>, w: Writes<M>, sink: ChangeSink): Handler<M> {
  const after = (input: ApiParsedInput<M>, out: Awaited<ApiOutputs[M]>) => {
    if (!(w.when ?? always)(out)) return;
    if (w.facets?.(out)) sink.invalidateFacets();
    announce(sink, w.reason, w.items?.(input, out));
  };
  return (input) => {
    const out = handler(input);
    // Synchronous handlers stay synchronous: the IPC and HTTP paths answer without an extra tick.
    if (out instanceof Promise) return out.then((v) => (after(input, v as Awaited<ApiOutputs[M]>), v));
    after(input, out as Awaited<ApiOutputs[M]>);
    return out;
  };
}

/** The handler map with every write in CHANGES wrapped to announce itself once it succeeded. */
export function withChangeEvents(handlers: Handlers, sink: ChangeSink): Handlers {
  const out = { ...handlers } as Record<Method, Handler<Method>>;
  for (const m of METHODS) {
    const c = CHANGES[m] as Change<Method>;
    if (typeof c === 'object' && 'reason' in c) out[m] = notifying(handlers[m] as Handler<Method>, c, sink);
  }
  return out as Handlers;
}

/**
 * At most how many items and verdicts a change event's write added, when that is known: a
 * `verdict` change names its items, and adds at most one verdict each (a submit, an amendment, an
 * undo, an adjudication; holds and gold marks add none). Anything else (an ingest, an import, a
 * job's progress): unknown.
 */
export function writtenBy(event: string, payload: unknown): number | undefined {
  if (event !== 'workspace.changed') return undefined;
  const p = payload as { reason?: string; itemIds?: readonly string[] } | null;
  return p?.reason === 'verdict' && p.itemIds ? p.itemIds.length : undefined;
}
