/** The queue's calls to the core. */
import { call } from '../api.ts';
import type { ApiInput, Cursor } from '../../electron/shared/contract.ts';
import type { QueueFilterState } from '../state/ui.ts';

export const PAGE_SIZE = 100;

export type ApiFilter = ApiInput<'queue.page'>['filter'];

function localMidnightIso(day: string, addDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + addDays);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The UI filter in the contract's shape (empty parts left out). */
export function toApiFilter(f: QueueFilterState): ApiFilter {
  const out: ApiFilter = {};
  if (f.status.length) out.status = f.status;
  if (f.priority.length) out.priority = f.priority;
  if (f.route.length) out.route = f.route;
  if (f.flagCategory) out.flagCategory = f.flagCategory;
  if (f.flagPolicy) out.flagPolicy = f.flagPolicy;
  if (f.model) out.model = f.model;
  if (f.deployment) out.deployment = f.deployment;
  const from = f.from ? localMidnightIso(f.from) : undefined;
  const to = f.to ? localMidnightIso(f.to, 1) : undefined;
  if (from) out.from = from;
  if (to) out.to = to;
  const search = f.search.trim();
  if (search) out.search = search.slice(0, 500);
  if (f.oversight) out.oversight = f.oversight.cell;
  return out;
}

export const fetchQueuePage = (filter: ApiFilter, after: Cursor | null) => call('queue.page', { filter, after, limit: PAGE_SIZE });
export const fetchQueueCounts = (filter: ApiFilter) => call('queue.counts', { filter });
export const fetchFacets = () => call('queue.facets', {});
