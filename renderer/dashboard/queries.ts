/** The dashboard's calls to the core. */
import { call } from '../api.ts';
import type { MetricFilter } from '../../electron/shared/contract.ts';

export const fetchDashboard = (filter: MetricFilter) => call('metrics.dashboard', { filter });
/** The first panels; without a filter, over the data's whole extent (the default range). */
export const fetchOverview = (filter: MetricFilter | null) => call('metrics.overview', filter ? { filter } : {});
export const fetchMetricFacets = () => call('metrics.facets', {});
export const fetchReport = (from: string, to: string) => call('metrics.report', { from, to });
