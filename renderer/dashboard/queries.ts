/** The dashboard's calls to the core. */
import { call } from '../api.ts';
import type { MetricFilter } from '../../electron/shared/contract.ts';

/** The panels after the overview, in three calls made side by side (each part shows when it answers). */
export const fetchDimensionPanels = (filter: MetricFilter) => call('metrics.dimensions', { filter });
export const fetchModelPanels = (filter: MetricFilter) => call('metrics.models', { filter });
export const fetchOperationPanels = (filter: MetricFilter) => call('metrics.operations', { filter });
/** The first panels; without a filter, over the data's whole extent (the default range). */
export const fetchOverview = (filter: MetricFilter | null) => call('metrics.overview', filter ? { filter } : {});
export const fetchMetricFacets = () => call('metrics.facets', {});
export const fetchReport = (from: string, to: string) => call('metrics.report', { from, to });
