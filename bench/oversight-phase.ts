/**
 * Oversight bench (issue 14), run in their own processes on the bench workspace:
 *  - `oversight-label`: every item but 1 in 25 gets a verdict (1M items: 960k verdicts), once;
 *  - `oversight`: the catch-up of all of it into empty metric tables; what the metrics cost a
 *    verdict write (nothing on the write; the catch-up per verdict at three cadences); each
 *    dashboard panel's query, p95 over several scopes; the whole dashboard call; the report.
 */
import { foldNewItems, mergePendingSums, type MetricFilter } from '../db/queries/metrics.ts';
import { dashboard, PANELS } from '../electron/core/metrics/dashboard.ts';
import { buildReport, renderReportHtml } from '../electron/core/metrics/report.ts';
import { ReviewService } from '../electron/core/review/verdicts.ts';
import { openWorkspace, type Workspace } from '../electron/core/workspace/open.ts';
import { loadavg } from 'node:os';
import type { PhaseResult } from './bench.ts';
import { percentile } from './phases.ts';
import { callsFlags, deskWriteFigures, deskWriteLine, deskWriter, pick, type DeskWriter } from './desk-write.ts';

const OPEN = "status IN ('new', 'in_review', 'conflict')";

/** A verdict as the labelling and the batched rounds write it (ReviewService, a spread of reviewers and decision times). */
export function submitOne(review: ReviewService, r: { seq: number; id: string; createdMs: number; flagCount?: number }) {
  const p = pick(r.seq);
  const calls = callsFlags(r, p.decision);
  review.submit({
    ...(calls ? { flagReviews: Array.from({ length: r.flagCount! }, (_, flag) => ({ flag, accepted: p.decision === 'violation' })) } : {}),
    itemId: r.id,
    decision: p.decision,
    labels: p.labels,
    routeTo: p.decision === 'escalate' ? 'legal' : null,
    reviewer: p.reviewer,
    decidedAt: new Date(r.createdMs + p.delayMs).toISOString(),
  });
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Reviewer cycles written back to back (after the desk's warm-up) before the rounds: the desk's write, the target's denominator (desk-write.ts). */
const DESK_WRITES = 300;

/**
 * What the aggregates cost a verdict write. On the write itself: nothing (no trigger or metric
 * statement; checked: the metric tables are unchanged by the writes). The write they are weighed
 * against is the desk's (desk-write.ts), DESK_WRITES reviewer cycles back to back as under the
 * app's policy (a background catch-up every ~1,000 verdicts). Then the catch-up that counts
 * verdicts, per verdict, at three cadences: a read after every verdict, after 100, after 1,000 (a
 * busy desk's dashboard refresh, or the background catch-up). Load-independent figures: process
 * CPU and rows written (SQLite's changes; the fold counts only workspace tables, not its temp staging).
 */
/**
 * The desk's write: DESK_WRITES reviewer cycles back to back after the desk's warm-up, first
 * thing in the process as in the session bench. (At 1M, without the warm-up: 1.43 ms mean after
 * the whole catch-up below, 1.31 in a fresh process; the session's 2,500 cycles: 0.89.)
 */
function deskWrite(ws: Workspace, desk: DeskWriter): PhaseResult {
  desk.warmUp();
  const items = ws.sqlite
    .prepare(`SELECT seq, id, flag_count AS flagCount FROM items WHERE ${OPEN} ORDER BY seq LIMIT ?`)
    .all(DESK_WRITES) as { seq: number; id: string; flagCount: number }[];
  return deskWriteFigures(items.map((r) => desk.cycle(r)));
}

function writeCost(ws: Workspace, review: ReviewService, desk: DeskWriter): PhaseResult {
  const take = ws.sqlite.prepare(`SELECT seq, id, created_ms AS createdMs, flag_count AS flagCount FROM items WHERE ${OPEN} ORDER BY seq LIMIT ?`);
  const changes = ws.sqlite.prepare('SELECT total_changes()').pluck();
  const metricState = ws.sqlite.prepare("SELECT (SELECT sum(n) + sum(decided) FROM metric_cube) || '/' || (SELECT count(*) FROM metric_cube_pending) || '/' || (SELECT count(*) FROM metric_items WHERE state = 'open') || '/' || (SELECT group_concat(value) FROM meta WHERE key LIKE 'metrics_folded%')").pluck();
  const metricTriggers = ws.sqlite.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%metric%'").pluck().get() as number;
  const out: PhaseResult = { metricTriggers };
  const writes: number[] = [];
  const writeCpu: number[] = [];
  const writeRows: number[] = [];
  const eachWriteCpu: number[] = [];
  foldNewItems(ws.sqlite);
  // The writes leave every metric table as it was: checked once on 100 verdicts, not around each
  // timed write. The check scans the cube, and run just before a timed write it evicted the
  // write's pages and CPU caches: session 9's single-verdict figure (1.315 ms) was about 0.5 ms dearer for it.
  const before = metricState.get();
  ws.sqlite.transaction(() => {
    for (const r of take.all(100) as { seq: number; id: string; createdMs: number; flagCount: number }[]) submitOne(review, r);
  })();
  out.metricUntouched = metricState.get() === before;
  // The rounds start with nothing pending (migration 0021): the merge after them is theirs alone.
  foldNewItems(ws.sqlite);
  ws.sqlite.transaction(() => mergePendingSums(ws.sqlite)).immediate();
  let folded = 0;
  for (const [name, batch, rounds] of [['Each', 1, 60], ['Hundred', 100, 5], ['Thousand', 1000, 2]] as const) {
    const foldCpu: number[] = [];
    const foldRows: number[] = [];
    foldNewItems(ws.sqlite);
    for (let round = 0; round < rounds; round++) {
      const rows = take.all(batch) as { seq: number; id: string; createdMs: number; flagCount: number }[];
      if (rows.length === 0) break;
      // A read after every verdict: each one written as the desk writes it (its CPU printed apart:
      // the catch-up between two writes takes their pages, so it is not the desk's usual write).
      if (batch === 1) eachWriteCpu.push(desk.cycle(rows[0]!));
      else {
        const c = cpuMs();
        const n = changes.get() as number;
        const t = performance.now();
        ws.sqlite.transaction(() => {
          for (const r of rows) submitOne(review, r);
        })();
        writes.push((performance.now() - t) / rows.length);
        writeCpu.push((cpuMs() - c) / rows.length);
        writeRows.push(((changes.get() as number) - n) / rows.length);
      }
      const c = cpuMs();
      const stats = { items: 0, verdicts: 0, rows: 0 };
      foldNewItems(ws.sqlite, { stats });
      foldCpu.push((cpuMs() - c) / rows.length);
      foldRows.push(stats.rows / rows.length);
      folded += stats.verdicts;
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    out[`foldCpu${name}`] = mean(foldCpu);
    out[`foldRows${name}`] = mean(foldRows);
  }
  // The catch-ups append their differences to the pending tables and merge them into the sums
  // in bulk once MERGE_PENDING_AT rows wait (fewer than these rounds leave): the merge of the
  // rounds' rows, per verdict they counted, is the share of it each verdict adds to a catch-up.
  const pending = ws.sqlite.prepare('SELECT (SELECT count(*) FROM metric_cube_pending) + (SELECT count(*) FROM metric_ttd_pending) + (SELECT count(*) FROM metric_cell_items_pending)').pluck().get() as number;
  const m = cpuMs();
  ws.sqlite.transaction(() => mergePendingSums(ws.sqlite)).immediate();
  out.mergeCpu = cpuMs() - m;
  out.mergeRows = pending;
  out.mergeVerdicts = folded;
  return {
    ...out,
    sumsEqual: sumsEqualItems(ws),
    flagCallRows: ws.sqlite.prepare('SELECT count(*) FROM metric_flag_items WHERE per_flag = 1').pluck().get() as number,
    writeP50: percentile(writes, 50),
    writeCpu: percentile(writeCpu, 50),
    eachWriteCpu: percentile(eachWriteCpu, 50),
    writeRows: percentile(writeRows, 50),
  };
}

/**
 * After the write rounds and their catch-up: every sum the upkeep keeps equals a plain GROUP BY
 * over metric_items (cube with its per-flag-call count, time to decision), and the flag rows equal the view
 * metric_flag_calls, their cube a GROUP BY of them. Rows differing in either direction; 0 = equal.
 */
function sumsEqualItems(ws: Workspace): boolean {
  foldNewItems(ws.sqlite);
  // The pending differences (migration 0021) merged first: the sums as kept must equal the GROUP BYs.
  ws.sqlite.transaction(() => mergePendingSums(ws.sqlite)).immediate();
  const cell = 'day, route, category, policy, detector, model, version, deployment, state';
  const sums = 'count(*), sum(traced), sum(first_ms IS NOT NULL), sum(breached), sum(overturned), sum(overlap), sum(agreed), sum(halluc), sum(pii), sum(coalesce(first_ms - created_ms, 0)), sum(calls)';
  const kept = 'n, traced, decided, breached, overturned, overlap, agreed, halluc, pii, ttd_ms, calls';
  const fcell = 'dim, value, day, route, category, policy, detector, model, version, deployment, reviewer';
  // Since migration 0023 a cell's items are its metric_cell_items row (n, traced), its open items
  // those less its decided rows in the cube (whose 'open' rows hold the open items' other sums, n = traced = 0).
  const cellNoState = 'day, route, category, policy, detector, model, version, deployment';
  const own = kept.split(', ');
  // A cell's rows for its open items: +its items, -each decided row (own columns c0..c10 as `kept`).
  const fromCells = own.map((c, i) => `${c === 'n' || c === 'traced' ? c : '0'} AS c${i}`).join(', ');
  const fromCube = own.map((c) => (c === 'n' || c === 'traced' ? `-${c}` : `CASE WHEN state = 'open' THEN ${c} ELSE 0 END`)).join(', ');
  const perState = `SELECT ${cell}, ${kept} FROM metric_cube WHERE state <> 'open' UNION ALL SELECT ${cellNoState}, 'open', ${own.map((_, i) => `sum(c${i})`).join(', ')}
    FROM (SELECT ${cellNoState}, ${fromCells} FROM metric_cell_items UNION ALL SELECT ${cellNoState}, ${fromCube} FROM metric_cube) GROUP BY ${cellNoState}`;
  const pairs = [
    [`SELECT ${cell}, ${sums} FROM metric_items GROUP BY ${cell}`, `SELECT * FROM (${perState}) WHERE n <> 0`],
    [`SELECT ${cellNoState}, count(*), sum(traced) FROM metric_items GROUP BY ${cellNoState}`, `SELECT ${cellNoState}, n, traced FROM metric_cell_items WHERE n <> 0`],
    // Each row's per-flag-call mark (migration 0021) as its verdict in force has calls.
    [`SELECT item_seq, calls FROM metric_items`,
      `SELECT m.item_seq, (m.state IN ('violation', 'dismiss') AND coalesce(json_array_length(v.flag_reviews), 0) > 0) FROM metric_items m LEFT JOIN verdicts v ON v.seq = m.verdict_seq`],
    ['SELECT day, route, priority, model, version, deployment, ttd_bucket, count(*), sum(breached) FROM metric_items WHERE ttd_bucket >= 0 GROUP BY 1, 2, 3, 4, 5, 6, 7',
      'SELECT day, route, priority, model, version, deployment, bucket, n, breached FROM metric_ttd WHERE n <> 0'],
    [`SELECT item_seq, ${fcell}, min(false_pos), max(per_flag) FROM metric_flag_calls GROUP BY item_seq, dim, value`, 'SELECT * FROM metric_flag_items'],
  ];
  return pairs.every(([a, b]) => ws.sqlite.prepare(`SELECT (SELECT count(*) FROM (${a} EXCEPT ${b})) + (SELECT count(*) FROM (${b} EXCEPT ${a}))`).pluck().get() === 0);
}

/** Items the labelling leaves open (1 in 25): the backlog panel's, and the write-cost rounds' supply. */
const LEFT_OPEN = (seq: number) => seq % 25 === 7;

/**
 * `oversight-label`: gives every item but 1 in 25 a verdict through ReviewService (verdict + audit
 * event each), 10,000 per transaction, no metric work. Skipped when that is done already, so the
 * 1M workspace is built once and reused by later runs.
 */
export function oversightLabel(workspace: string): PhaseResult {
  const ws = openWorkspace(workspace, { create: false });
  try {
    const open = ws.sqlite.prepare(`SELECT count(*) FROM items WHERE ${OPEN}`).pluck().get() as number;
    const items = ws.sqlite.prepare('SELECT count(*) FROM items').pluck().get() as number;
    if (open <= items * 0.05) return { labelled: 0, seconds: 0, skipped: true };
    const review = new ReviewService(ws);
    const page = ws.sqlite.prepare(`SELECT seq, id, created_ms AS createdMs FROM items WHERE seq > ? AND ${OPEN} ORDER BY seq LIMIT 10000`);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let last = 0;
    let labelled = 0;
    for (;;) {
      const rows = page.all(last) as { seq: number; id: string; createdMs: number }[];
      const lastRow = rows.at(-1);
      if (!lastRow) break;
      const take = rows.filter((r) => !LEFT_OPEN(r.seq));
      ws.sqlite.transaction(() => {
        for (const r of take) submitOne(review, r);
      })();
      labelled += take.length;
      last = lastRow.seq;
      if (labelled % 100_000 < take.length) process.stderr.write(`  labelling: ${labelled.toLocaleString('en-US')} verdicts, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    }
    const c = process.cpuUsage(c0);
    return { labelled, seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6 };
  } finally {
    ws.close();
  }
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

/**
 * The catch-up of every item and verdict into the metric tables (what the first read after a
 * bulk ingest and labelling does), from empty metric tables: a reused workspace is emptied first
 * (not timed). Progress on stderr; the longest step is how long a reviewer's submit could wait.
 */
function catchUp(ws: Workspace): PhaseResult {
  if (ws.sqlite.prepare("SELECT value FROM meta WHERE key = 'metrics_folded_seq'").pluck().get() !== undefined) {
    ws.sqlite.exec(`BEGIN IMMEDIATE; DELETE FROM metric_items; DELETE FROM metric_cube; DELETE FROM metric_ttd; DELETE FROM metric_flag_items;
      DELETE FROM metric_cube_pending; DELETE FROM metric_ttd_pending; DELETE FROM metric_cell_items; DELETE FROM metric_cell_items_pending;
      DELETE FROM metric_reviewer_daily; DELETE FROM meta WHERE key IN ('metrics_folded_seq', 'metrics_folded_verdict_seq'); COMMIT`);
  }
  const stats = { items: 0, verdicts: 0, rows: 0 };
  const t0 = performance.now();
  const c0 = cpuMs();
  let last = t0;
  let shown = t0;
  let longest = 0;
  let steps = 0;
  const split = { wall: 0, cpu: 0 };
  foldNewItems(ws.sqlite, {
    stats,
    onProgress: (p) => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      steps++;
      if (p.phase === 'items' && p.done === p.total) Object.assign(split, { wall: now - t0, cpu: cpuMs() - c0 });
      if (now - shown > 5000 || p.done === p.total) {
        shown = now;
        process.stderr.write(`  metrics catch-up: ${p.phase} ${p.done.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')}, ${((now - t0) / 1000).toFixed(1)} s\n`);
      }
    },
  });
  return {
    caughtUpItems: stats.items,
    caughtUpVerdicts: stats.verdicts,
    catchUpSeconds: (performance.now() - t0) / 1000,
    catchUpCpuSeconds: (cpuMs() - c0) / 1000,
    catchUpItemsSeconds: split.wall / 1000,
    catchUpItemsCpuSeconds: split.cpu / 1000,
    catchUpRows: stats.rows,
    catchUpSteps: steps,
    catchUpLongestStepMs: longest,
  };
}

export async function oversightPhase(workspace: string): Promise<PhaseResult> {
  const ws = openWorkspace(workspace, { create: false });
  const desk = deskWriter(ws);
  try {
    const desked = deskWrite(ws, desk);
    const result: PhaseResult = { ...catchUp(ws), ...desked };
    const review = new ReviewService(ws);
    Object.assign(result, writeCost(ws, review, desk));
    let t = performance.now();
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
    const rc = cpuMs();
    const rep = buildReport(ws, all);
    const html = renderReportHtml(rep);
    result.reportAllSeconds = (performance.now() - t) / 1000;
    result.reportAllCpuSeconds = (cpuMs() - rc) / 1000;
    result.reportAllBytes = html.length;
    result.reportCounted = rep.audit.countedVerdicts;
    result.reportProof = rep.audit.allInLog;
    result.reportUnproven = rep.audit.unproven;
    t = performance.now();
    renderReportHtml(buildReport(ws, week));
    result.reportWeekSeconds = (performance.now() - t) / 1000;
    return result;
  } finally {
    await desk.close();
    ws.close();
  }
}

export function oversightBenchReport(workspace: string, dir: string, run: (phase: string, args: string[]) => PhaseResult, log: (s: string) => void): void {
  const f = (n: unknown, d = 1) => Number(n).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const lab = run('oversight-label', ['--workspace', workspace, '--dir', dir]);
  log('');
  if (lab.skipped) log('Oversight (issue 14): workspace labelled already, reused');
  else log(`Oversight (issue 14): labelled ${f(lab.labelled, 0)} items through ReviewService in ${f(lab.seconds, 1)} s (${f(lab.cpuSeconds, 1)} s CPU), 1 in 25 left open`);
  const r = run('oversight', ['--workspace', workspace, '--dir', dir]);
  log('');
  log(`Oversight (issue 14) at ${f(r.items, 0)} items, ${f(r.verdicts, 0)} verdicts (${f(r.cubeRows, 0)} cube rows)`);
  log(`  [uptime ${loadavg().map((x) => x.toFixed(2)).join(', ')}]`);
  log(`  catch-up of ${f(r.caughtUpItems, 0)} items and ${f(r.caughtUpVerdicts, 0)} verdicts into empty metric tables (the first read after a bulk ingest and labelling):`);
  log(`    ${f(r.catchUpSeconds, 1)} s wall, ${f(r.catchUpCpuSeconds, 1)} s CPU (items ${f(r.catchUpItemsSeconds, 1)} s / ${f(r.catchUpItemsCpuSeconds, 1)} s CPU, then verdicts); ${f(Number(r.catchUpRows) / Number(r.caughtUpItems), 2)} rows written per item`);
  log(`    ${f(r.catchUpSteps, 0)} committed steps, longest ${f(r.catchUpLongestStepMs, 0)} ms (a reviewer's submit waits at most one step)`);
  // One denominator, the same call and figure as the session's (desk-write.ts): the desk's write, mean.
  const pct = (x: unknown) => `${f((100 * Number(x)) / Number(r.deskWriteMean), 1)} %`;
  log(`  ${deskWriteLine(r)}`);
  log(`    batched 100-1,000 per transaction (ReviewService.submit, the rounds below): ${f(r.writeCpu, 3)} ms CPU, ${f(r.writeRows, 1)} rows per verdict; wall p50 ${f(r.writeP50, 3)} ms`);
  log(`    with the aggregates, on the write: +0 (metric triggers: ${r.metricTriggers}; metric tables unchanged by 100 verdicts' write: ${r.metricUntouched})`);
  log(`    after the rounds: every sum equals a GROUP BY over metric_items, flag rows equal metric_flag_calls: ${r.sumsEqual} (${f(Number(r.flagCallRows), 0)} per-flag call rows)`);
  log(`    catch-up that counts them, amortized per verdict (target ≤ 10 % of the desk's write):`);
  log(`      read after every verdict: ${f(r.foldCpuEach, 3)} ms CPU (${pct(r.foldCpuEach)}), ${f(r.foldRowsEach, 1)} rows (the desk's write between two such reads: p50 ${f(r.eachWriteCpu, 3)} ms)`);
  log(`      read after 100 verdicts:  ${f(r.foldCpuHundred, 3)} ms CPU (${pct(r.foldCpuHundred)}), ${f(r.foldRowsHundred, 1)} rows`);
  log(`      read after 1,000:         ${f(r.foldCpuThousand, 3)} ms CPU (${pct(r.foldCpuThousand)}), ${f(r.foldRowsThousand, 1)} rows`);
  const share = Number(r.mergeCpu) / Number(r.mergeVerdicts);
  log(`      + merging the pending differences in bulk: ${f(Number(r.mergeRows), 0)} rows from ${f(Number(r.mergeVerdicts), 0)} verdicts in ${f(Number(r.mergeCpu), 1)} ms CPU = ${f(share, 3)} ms per verdict`);
  log(`      read after 1,000 with its share of the merge: ${f(Number(r.foldCpuThousand) + share, 3)} ms CPU (${pct(Number(r.foldCpuThousand) + share)}); after 100: ${f(Number(r.foldCpuHundred) + share, 3)} ms (${pct(Number(r.foldCpuHundred) + share)})`);
  const panels = JSON.parse(String(r.panels)) as Record<string, number>;
  log(`  dashboard panel queries, p95 over 5 scopes (target ≤ 200 ms each):`);
  for (const [k, v] of Object.entries(panels)) log(`    ${k.padEnd(12)} ${f(v, 2)} ms`);
  log(`  whole dashboard call: p50 ${f(r.dashboardP50, 1)} ms, p95 ${f(r.dashboardP95, 1)} ms`);
  log(`  report, whole range: ${f(r.reportAllSeconds, 2)} s wall, ${f(r.reportAllCpuSeconds, 2)} s CPU (${f(r.reportCounted, 0)} verdicts counted; every one proven in the log: ${r.reportProof}, not proven: ${r.reportUnproven}); last 7 days: ${f(r.reportWeekSeconds, 2)} s (target ≤ 10 s)`);
}
