/**
 * The expert overturn panel (issue 13): per model and model version, how many reviewed items'
 * first decision was overturned by an expert amendment or an adjudication, with the counts behind
 * each rate and a Wilson 95% interval. Read from the oversight cube (its `overturned` and model
 * fields), so it is the same figure as the dashboard's "Overturn rate", split by model.
 */
import type Database from 'better-sqlite3';
import { cubeBy, foldNewItems, metricDays, type MetricFilter } from '../../../db/queries/metrics.ts';
import type { OverturnReport } from '../../shared/models/expert.ts';
import { wilson } from './stats.ts';

export function overturnsByModel(db: Database.Database, opts: { route?: string } = {}): OverturnReport {
  foldNewItems(db);
  const days = metricDays(db);
  if (!days) return { from: null, to: null, rows: [], total: { reviewed: 0, overturned: 0, rate: null, lo: null, hi: null } };
  const f: MetricFilter = { from: days.first, to: days.last, ...(opts.route ? { route: opts.route } : {}) };
  const rows = cubeBy(db, f, ['model', 'version'], 500)
    .map((r) => {
      const reviewed = r.violation + r.dismiss;
      return { model: r.key[0] || '(none)', version: r.key[1] || '(none)', reviewed, overturned: r.overturned, ...wilson(r.overturned, reviewed) };
    })
    .filter((r) => r.reviewed > 0)
    .sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0) || b.reviewed - a.reviewed || a.model.localeCompare(b.model) || a.version.localeCompare(b.version));
  const reviewed = rows.reduce((s, r) => s + r.reviewed, 0);
  const overturned = rows.reduce((s, r) => s + r.overturned, 0);
  return { from: days.first, to: days.last, rows, total: { reviewed, overturned, ...wilson(overturned, reviewed) } };
}
