/**
 * Oversight bench (issue 14), run in its own process on the bench workspace:
 *  - the catch-up fold of every item into metric_items (once after a bulk ingest);
 *  - what the metrics cost a verdict write: nothing on the write itself (no trigger); the fold that
 *    catches up with the verdicts on the next read, per verdict, against the write's own time;
 *  - labelling every remaining item (1M verdicts at 1M items), decisions spread over time;
 *  - each dashboard panel's query, p50/p95 over several scopes; the whole dashboard call; the report.
 */
import { foldNewItems, type MetricFilter } from '../db/queries/metrics.ts';
import { dashboard, PANELS } from '../electron/core/metrics/dashboard.ts';
import { buildReport, renderReportHtml } from '../electron/core/metrics/report.ts';
import { ReviewService } from '../electron/core/review/verdicts.ts';
import { openWorkspace, type Workspace } from '../electron/core/workspace/open.ts';
import type { PhaseResult } from './bench.ts';
import { percentile } from './phases.ts';

const OPEN = "status IN ('new', 'in_review', 'conflict')";

function pick(seq: number) {
  const h = Math.imul(seq ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  const u = h / 4294967296;
  const decision = u < 0.55 ? ('violation' as const) : u < 0.95 ? ('dismiss' as const) : ('escalate' as const);
  return { decision, reviewer: `bench-reviewer-${h % 12}`, delayMs: 60_000 + (h % 97) * 1_800_000 / 7, labels: decision === 'violation' && h % 5 === 0 ? ['hallucination'] : [] };
}

function submitOne(review: ReviewService, r: { seq: number; id: string; createdMs: number }) {
  const p = pick(r.seq);
  review.submit({
    itemId: r.id,
    decision: p.decision,
    labels: p.labels,
    routeTo: p.decision === 'escalate' ? 'legal' : null,
    reviewer: p.reviewer,
    decidedAt: new Date(r.createdMs + p.delayMs).toISOString(),
  });
}

/**
 * Verdict writes carry no metric work (the metrics fold from the verdict log on read): measured
 * as committed writes, then the fold that brings the metrics up to date after them, per verdict.
 * A dashboard read just before each round starts it from a folded state.
 */
function writeCost(ws: Workspace, review: ReviewService): PhaseResult {
  const take = ws.sqlite.prepare(`SELECT seq, id, created_ms AS createdMs FROM items WHERE ${OPEN} ORDER BY seq LIMIT ?`);
  const writes: number[] = [];
  const foldPer: number[] = [];
  const batchWrite: number[] = [];
  const batchFold: number[] = [];
  // Load-independent: process CPU time (user + system) and rows written (SQLite's total_changes(),
  // triggers included) per verdict, for the batched writes and the fold after them.
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const changes = ws.sqlite.prepare('SELECT total_changes()').pluck();
  const cpu = { write: [] as number[], fold: [] as number[], writeRows: [] as number[], foldRows: [] as number[] };
  for (let round = 0; round < 6; round++) {
    foldNewItems(ws.sqlite);
    const rows = take.all(300) as { seq: number; id: string; createdMs: number }[];
    for (const r of rows) {
      const t = performance.now();
      submitOne(review, r);
      writes.push(performance.now() - t);
    }
    let t = performance.now();
    foldNewItems(ws.sqlite);
    foldPer.push((performance.now() - t) / rows.length);
    const batch = take.all(1000) as { seq: number; id: string; createdMs: number }[];
    t = performance.now();
    let c = cpuMs();
    let n = changes.get() as number;
    ws.sqlite.transaction(() => {
      for (const r of batch) submitOne(review, r);
    })();
    batchWrite.push((performance.now() - t) / batch.length);
    cpu.write.push((cpuMs() - c) / batch.length);
    cpu.writeRows.push(((changes.get() as number) - n) / batch.length);
    t = performance.now();
    c = cpuMs();
    n = changes.get() as number;
    foldNewItems(ws.sqlite);
    batchFold.push((performance.now() - t) / batch.length);
    cpu.fold.push((cpuMs() - c) / batch.length);
    cpu.foldRows.push(((changes.get() as number) - n) / batch.length);
  }
  return {
    writeP50: percentile(writes, 50),
    writeMean: writes.reduce((a, b) => a + b, 0) / writes.length,
    foldPerVerdict: percentile(foldPer, 50),
    cpuWrite: percentile(batchWrite, 50),
    cpuFoldPerVerdict: percentile(batchFold, 50),
    procCpuWrite: percentile(cpu.write, 50),
    procCpuFold: percentile(cpu.fold, 50),
    rowsWrite: percentile(cpu.writeRows, 50),
    rowsFold: percentile(cpu.foldRows, 50),
  };
}

function labelRest(ws: Workspace, review: ReviewService): { labelled: number; seconds: number } {
  const page = ws.sqlite.prepare(`SELECT seq, id, created_ms AS createdMs FROM items WHERE seq > ? AND ${OPEN} ORDER BY seq LIMIT 10000`);
  const t0 = performance.now();
  let last = 0;
  let labelled = 0;
  // Leave about 2 % open: a backlog for the backlog panel.
  for (;;) {
    const page_ = page.all(last) as { seq: number; id: string; createdMs: number }[];
    const lastRow = page_.at(-1);
    if (!lastRow) break;
    const rows = page_.filter((r) => r.seq % 50 !== 7);
    ws.sqlite.transaction(() => {
      for (const r of rows) submitOne(review, r);
    })();
    labelled += rows.length;
    last = lastRow.seq;
  }
  return { labelled, seconds: (performance.now() - t0) / 1000 };
}

function timeIt<T>(fn: () => T, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out;
}

export function oversightPhase(workspace: string): PhaseResult {
  const ws = openWorkspace(workspace, { create: false });
  try {
    const result: PhaseResult = {};
    let t = performance.now();
    const c0 = process.cpuUsage();
    result.folded = foldNewItems(ws.sqlite);
    result.foldSeconds = (performance.now() - t) / 1000;
    const c1 = process.cpuUsage(c0);
    result.foldCpuSeconds = (c1.user + c1.system) / 1e6;
    const review = new ReviewService(ws);
    Object.assign(result, writeCost(ws, review));
    const l = labelRest(ws, review);
    result.labelled = l.labelled;
    result.labelSeconds = l.seconds;
    t = performance.now();
    result.verdictsFolded = foldNewItems(ws.sqlite);
    result.verdictFoldSeconds = (performance.now() - t) / 1000;
    result.items = ws.sqlite.prepare('SELECT count(*) FROM items').pluck().get() as number;
    result.verdicts = ws.sqlite.prepare('SELECT count(*) FROM verdicts').pluck().get() as number;
    result.cubeRows = ws.sqlite.prepare('SELECT count(*) FROM metric_cube').pluck().get() as number;

    const ext = ws.sqlite.prepare('SELECT min(day) AS a, max(day) AS b FROM metric_cube').get() as { a: number; b: number };
    const day = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
    const all: MetricFilter = { from: day(ext.a), to: day(ext.b) };
    const week: MetricFilter = { from: day(ext.b - 6), to: day(ext.b) };
    const topDetector = ws.sqlite.prepare("SELECT detector FROM metric_cube WHERE detector <> '' GROUP BY detector ORDER BY sum(n) DESC LIMIT 1").pluck().get() as string;
    const topModel = ws.sqlite.prepare("SELECT model FROM metric_cube WHERE model <> '' GROUP BY model ORDER BY sum(n) DESC LIMIT 1").pluck().get() as string;
    const scopes: MetricFilter[] = [all, week, { ...all, detector: topDetector }, { ...week, model: topModel }, { ...all, reviewer: 'bench-reviewer-3' }];
    const panelP95: Record<string, number> = {};
    for (const [name, fn] of Object.entries(PANELS)) {
      const times: number[] = [];
      for (const s of scopes) times.push(...timeIt(() => (fn as (db: typeof ws.sqlite, f: MetricFilter) => unknown)(ws.sqlite, s), 6));
      panelP95[name] = percentile(times, 95);
    }
    result.panels = JSON.stringify(panelP95);
    result.worstPanelP95 = Math.max(...Object.values(panelP95));
    const whole: number[] = [];
    for (const s of scopes) whole.push(...timeIt(() => dashboard(ws.sqlite, s), 4));
    result.dashboardP50 = percentile(whole, 50);
    result.dashboardP95 = percentile(whole, 95);
    t = performance.now();
    const rep = buildReport(ws, all);
    const html = renderReportHtml(rep);
    result.reportAllSeconds = (performance.now() - t) / 1000;
    result.reportAllBytes = html.length;
    result.reportCounted = rep.audit.countedVerdicts;
    result.reportProof = rep.audit.logVerified && rep.audit.allInLog;
    t = performance.now();
    renderReportHtml(buildReport(ws, week));
    result.reportWeekSeconds = (performance.now() - t) / 1000;
    return result;
  } finally {
    ws.close();
  }
}

export function oversightBenchReport(workspace: string, dir: string, run: (phase: string, args: string[]) => PhaseResult, log: (s: string) => void): void {
  const r = run('oversight', ['--workspace', workspace, '--dir', dir]);
  const f = (n: unknown, d = 1) => Number(n).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  log('');
  log(`Oversight (issue 14) at ${f(r.items, 0)} items, ${f(r.verdicts, 0)} verdicts (${f(r.cubeRows, 0)} cube rows)`);
  log(`  catch-up fold of ${f(r.folded, 0)} items into metric_items: ${f(r.foldSeconds, 1)} s (once, after a bulk ingest; ${f(r.foldCpuSeconds, 1)} s CPU)`);
  const pctOf = (a: unknown, b: unknown) => f((100 * Number(a)) / Number(b), 1);
  log(`  verdict write, committed: p50 ${f(r.writeP50, 3)} ms, mean ${f(r.writeMean, 3)} ms; no metric work on the write (no trigger)`);
  log(`  fold on the next read, per verdict: ${f(r.foldPerVerdict, 3)} ms → ${pctOf(r.foldPerVerdict, r.writeP50)} % of a committed write (target ≤ 10 %)`);
  log(`  CPU only (1,000 verdicts per transaction): write ${f(r.cpuWrite, 3)} ms, fold ${f(r.cpuFoldPerVerdict, 3)} ms per verdict → ${pctOf(r.cpuFoldPerVerdict, r.cpuWrite)} %`);
  log(`  process CPU per verdict (batched): write ${f(r.procCpuWrite, 3)} ms, fold ${f(r.procCpuFold, 3)} ms → ${pctOf(r.procCpuFold, r.procCpuWrite)} %; rows written per verdict: write ${f(r.rowsWrite, 1)}, fold ${f(r.rowsFold, 1)}`);
  log(`  labelled ${f(r.labelled, 0)} items in ${f(r.labelSeconds, 1)} s`);
  log(`  then the fold caught up with them on the next read: ${f(r.verdictFoldSeconds, 1)} s (once, after a bulk labelling)`);
  const panels = JSON.parse(String(r.panels)) as Record<string, number>;
  log(`  dashboard panel queries, p95 over 5 scopes (target ≤ 200 ms each):`);
  for (const [k, v] of Object.entries(panels)) log(`    ${k.padEnd(12)} ${f(v, 2)} ms`);
  log(`  whole dashboard call: p50 ${f(r.dashboardP50, 1)} ms, p95 ${f(r.dashboardP95, 1)} ms`);
  log(`  report, whole range: ${f(r.reportAllSeconds, 2)} s (${f(r.reportCounted, 0)} verdicts proven in the log: ${r.reportProof}); last 7 days: ${f(r.reportWeekSeconds, 2)} s (target ≤ 10 s)`);
}
