/** The oversight calls of the contract: each first folds in items ingested since the last call. */
import { foldNewItems, metricDays, metricFacets } from '../../../db/queries/metrics.ts';
import type { Workspace } from '../workspace/open.ts';
import { dashboard, defaultRange, overview, type Dashboard, type MetricFilter, type Overview } from './dashboard.ts';
import { buildReport, renderReportHtml, type OversightReport } from './report.ts';

import type { MetricFacets } from '../../shared/models/metrics.ts';
export type { MetricFacets };

export function metricHandlers(ws: Workspace) {
  return {
    'metrics.dashboard': ({ filter }: { filter: MetricFilter }): Dashboard => {
      foldNewItems(ws.sqlite);
      return dashboard(ws.sqlite, filter);
    },
    'metrics.overview': ({ filter }: { filter?: MetricFilter }): Overview => {
      foldNewItems(ws.sqlite);
      return overview(ws.sqlite, filter ?? defaultRange(ws.sqlite));
    },
    'metrics.facets': (): MetricFacets => {
      foldNewItems(ws.sqlite);
      return { ...metricFacets(ws.sqlite), extent: metricDays(ws.sqlite) };
    },
    'metrics.report': ({ from, to }: { from: string; to: string }): { html: string; report: OversightReport } => {
      foldNewItems(ws.sqlite);
      const report = buildReport(ws, { from, to });
      return { html: renderReportHtml(report), report };
    },
  };
}
