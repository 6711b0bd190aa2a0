/**
 * What migration 0019's index adds to a bulk catch-up (the first read after a large ingest):
 * empties the metric tables (as the oversight bench does), then runs the catch-up's committed
 * steps in slices of ~50,000 items, alternately with and without the index, and prints CPU per
 * 1,000 items for each. Leaves the workspace partly caught up (the next read finishes it).
 *   npx tsx bench/index-bulk-ab.ts DIR/workspace.sqlite [slices]
 */
import { loadavg } from 'node:os';
import { foldSteps } from '../db/queries/metrics-fold.ts';
import { openWorkspace } from '../electron/core/workspace/open.ts';

const ws = openWorkspace(process.argv[2]!, { create: false });
const slices = Number(process.argv[3] ?? 6);
const INDEX = 'CREATE INDEX IF NOT EXISTS `metric_cube_model_cells` ON `metric_cube` (`model`, `version`, `deployment`, `category`, `state`, `n`)';
ws.sqlite.exec(`BEGIN IMMEDIATE; DELETE FROM metric_items; DELETE FROM metric_cube; DELETE FROM metric_ttd; DELETE FROM metric_flag_items; DELETE FROM metric_cube_pending; DELETE FROM metric_ttd_pending; DELETE FROM metric_cell_items; DELETE FROM metric_cell_items_pending;
  DELETE FROM metric_reviewer_daily; DELETE FROM meta WHERE key IN ('metrics_folded_seq', 'metrics_folded_verdict_seq'); COMMIT`);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
console.log(`load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const steps = foldSteps(ws.sqlite, {});
let done = 0;
const per: Record<string, number[]> = { with: [], without: [] };
for (let s = 0; s < slices; s++) {
  const mode = s % 2 === 0 ? 'with' : 'without';
  ws.sqlite.exec(mode === 'with' ? INDEX : 'DROP INDEX IF EXISTS metric_cube_model_cells');
  const from = done;
  const c = cpu();
  while (done - from < 50_000) {
    const r = steps.next();
    if (r.done) break;
    if (r.value) done = r.value.done;
  }
  const ms = cpu() - c;
  per[mode]!.push((1000 * ms) / (done - from));
  console.log(`${mode.padEnd(8)} items ${from}-${done}: ${((1000 * ms) / (done - from)).toFixed(1)} ms CPU per 1,000 items (cube rows ${ws.sqlite.prepare('SELECT count(*) FROM metric_cube').pluck().get()})`);
}
steps.return?.(undefined as never);
ws.sqlite.exec(INDEX);
console.log(`load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
ws.close();
