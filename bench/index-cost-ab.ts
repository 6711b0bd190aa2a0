/**
 * What migration 0019's index (metric_cube_model_cells) adds to the metric catch-up: rounds of
 * 1,000 verdicts (the oversight bench's, with per-flag calls on 3 in 4), each followed by the
 * catch-up, alternately with and without the index, on a caught-up workspace (it uses up open
 * items). Prints catch-up CPU per verdict and rows written per verdict. Usage:
 *   npx tsx bench/index-cost-ab.ts DIR/workspace.sqlite [rounds]
 */
import { loadavg } from 'node:os';
import { foldNewItems } from '../db/queries/metrics.ts';
import { ReviewService } from '../electron/core/review/verdicts.ts';
import { openWorkspace } from '../electron/core/workspace/open.ts';
import { submitOne } from './oversight-phase.ts';

const ws = openWorkspace(process.argv[2]!, { create: false });
const rounds = Number(process.argv[3] ?? 4);
const review = new ReviewService(ws);
const take = ws.sqlite.prepare("SELECT seq, id, created_ms AS createdMs, flag_count AS flagCount FROM items WHERE status IN ('new', 'in_review', 'conflict') ORDER BY seq LIMIT 1000");
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const INDEX = 'CREATE INDEX IF NOT EXISTS `metric_cube_model_cells` ON `metric_cube` (`model`, `version`, `deployment`, `category`, `state`, `n`)';
foldNewItems(ws.sqlite);
console.log(`load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const out: Record<string, { cpu: number[]; rows: number[]; wall: number[] }> = { with: { cpu: [], rows: [], wall: [] }, without: { cpu: [], rows: [], wall: [] } };
for (let r = 0; r < rounds * 2; r++) {
  const mode = r % 2 === 0 ? 'with' : 'without';
  ws.sqlite.exec(mode === 'with' ? INDEX : 'DROP INDEX IF EXISTS metric_cube_model_cells');
  const rows = take.all() as { seq: number; id: string; createdMs: number; flagCount: number }[];
  ws.sqlite.transaction(() => {
    for (const row of rows) submitOne(review, row);
  })();
  const stats = { items: 0, verdicts: 0, rows: 0 };
  const c = cpu();
  const t = performance.now();
  foldNewItems(ws.sqlite, { stats });
  out[mode]!.cpu.push((cpu() - c) / rows.length);
  out[mode]!.wall.push((performance.now() - t) / rows.length);
  out[mode]!.rows.push(stats.rows / rows.length);
  console.log(`${mode.padEnd(8)} catch-up CPU ${((cpu() - c) / rows.length).toFixed(3)} ms/verdict, rows ${(stats.rows / rows.length).toFixed(1)}/verdict`);
}
ws.sqlite.exec(INDEX);
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [k, v] of Object.entries(out)) console.log(`${k.padEnd(8)} median CPU ${med(v.cpu).toFixed(3)} ms/verdict, wall ${med(v.wall).toFixed(3)} ms, rows ${med(v.rows).toFixed(1)}`);
console.log(`load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
ws.close();
