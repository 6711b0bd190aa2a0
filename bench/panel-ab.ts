/**
 * Quick panel A/B on an existing (caught-up) workspace: each PANELS query, p95 over the oversight
 * bench's five scopes (6 runs each), wall and CPU, without the catch-up reset. Usage:
 *   npx tsx bench/panel-ab.ts DIR/workspace.sqlite [panel,panel] (PER_SCOPE=1: p50 per scope too)
 */
import { PANELS } from '../electron/core/metrics/dashboard.ts';
import type { MetricFilter } from '../db/queries/metrics.ts';
import Database from 'better-sqlite3';
import { loadavg } from 'node:os';
import { percentile } from './phases.ts';

// Opened directly (read-only, the workspace's read pragmas) so that an older tree can time its
// panels on the same file for an A/B (openWorkspace refuses a schema newer than its own).
const open = () => {
  const sqlite = new Database(process.argv[2]!, { readonly: true });
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('cache_size = -32768');
  return { sqlite, close: () => sqlite.close() };
};
const ws = open();
const ext = ws.sqlite.prepare('SELECT min(day) AS a, max(day) AS b FROM metric_cube').get() as { a: number; b: number };
const day = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
const all: MetricFilter = { from: day(ext.a), to: day(ext.b) };
const week: MetricFilter = { from: day(ext.b - 6), to: day(ext.b) };
const topDetector = ws.sqlite.prepare("SELECT detector FROM metric_cube WHERE detector <> '' GROUP BY detector ORDER BY sum(n) DESC LIMIT 1").pluck().get() as string;
const topModel = ws.sqlite.prepare("SELECT model FROM metric_cube WHERE model <> '' GROUP BY model ORDER BY sum(n) DESC LIMIT 1").pluck().get() as string;
const scopes: MetricFilter[] = [all, week, { ...all, detector: topDetector }, { ...week, model: topModel }, { ...all, reviewer: 'bench-reviewer-3' }];
const only = process.argv[3]?.split(',');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
console.log(`load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const [name, fn] of Object.entries(PANELS)) {
  if (only && !only.includes(name)) continue;
  const times: number[] = [];
  const cpus: number[] = [];
  for (const s of scopes)
    for (let i = 0; i < 6; i++) {
      const t = performance.now();
      const c = cpu();
      (fn as (db: typeof ws.sqlite, f: MetricFilter) => unknown)(ws.sqlite, s);
      times.push(performance.now() - t);
      cpus.push(cpu() - c);
    }
  console.log(`${name.padEnd(12)} p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms  p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms  cpu p95 ${percentile(cpus, 95).toFixed(1).padStart(6)} ms`);
}
console.log(`load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
ws.close();
if (process.env.PER_SCOPE) {
  const ws2 = open();
  for (const [name, fn] of Object.entries(PANELS)) {
    if (only && !only.includes(name)) continue;
    const row = scopes.map((s) => {
      const ts: number[] = [];
      for (let i = 0; i < 4; i++) { const t = performance.now(); (fn as (db: typeof ws2.sqlite, f: MetricFilter) => unknown)(ws2.sqlite, s); ts.push(performance.now() - t); }
      return percentile(ts, 50).toFixed(1);
    });
    console.log(`${name.padEnd(12)} all/week/det/week+model/reviewer ${row.join(' / ')}`);
  }
  ws2.close();
}
