/** The oversight calls of the contract: each first catches the metric tables up (upkeep.ts). */
import { metricDays, metricFacets } from '../../../db/queries/metrics.ts';
import type { Workspace } from '../workspace/open.ts';
import { dashboard, defaultRange, overview, type Dashboard, type MetricFilter, type Overview } from './dashboard.ts';
import { buildReport, renderReportHtml, type OversightReport } from './report.ts';
import type { MetricUpkeep } from './upkeep.ts';

import type { MetricFacets } from '../../shared/models/metrics.ts';
export type { MetricFacets };

export function metricHandlers(ws: Workspace, upkeep: MetricUpkeep) {
  return {
    'metrics.dashboard': async ({ filter }: { filter: MetricFilter }): Promise<Dashboard> => {
      await upkeep.catchUp();
      return dashboard(ws.sqlite, filter);
    },
    'metrics.overview': async ({ filter }: { filter?: MetricFilter }): Promise<Overview> => {
      await upkeep.catchUp();
      return overview(ws.sqlite, filter ?? defaultRange(ws.sqlite));
    },
    'metrics.facets': async (): Promise<MetricFacets> => {
      await upkeep.catchUp();
      return { ...metricFacets(ws.sqlite), extent: metricDays(ws.sqlite) };
    },
    'metrics.report': async ({ from, to }: { from: string; to: string }): Promise<{ html: string; report: OversightReport }> => {
      await upkeep.catchUp();
      const report = buildReport(ws, { from, to });
      return { html: renderReportHtml(report), report };
    },
  };
}
