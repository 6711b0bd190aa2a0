/** The oversight calls of the contract: each first catches the metric tables up (upkeep.ts). */
import { metricFacets } from '../../../db/queries/metric-facets.ts';
import { metricDays } from '../../../db/queries/metrics.ts';
import type { Workspace } from '../workspace/open.ts';
import {
  dashboard,
  defaultRange,
  dimensionPanels,
  modelPanels,
  operationPanels,
  overview,
  type Dashboard,
  type DimensionPanels,
  type MetricFilter,
  type ModelPanels,
  type OperationPanels,
  type Overview,
} from './dashboard.ts';
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
    // The dashboard asks for these side by side after the overview: each answers (and its panels
    // show) as soon as its own pass is done, so no panel waits for the slowest.
    'metrics.dimensions': async ({ filter }: { filter: MetricFilter }): Promise<DimensionPanels> => {
      await upkeep.catchUp();
      return dimensionPanels(ws.sqlite, filter);
    },
    'metrics.models': async ({ filter }: { filter: MetricFilter }): Promise<ModelPanels> => {
      await upkeep.catchUp();
      return modelPanels(ws.sqlite, filter);
    },
    'metrics.operations': async ({ filter }: { filter: MetricFilter }): Promise<OperationPanels> => {
      await upkeep.catchUp();
      return operationPanels(ws.sqlite, filter);
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
