/**
 * The aggregates' cost per verdict under the app's own catch-up policy (issue 14): a simulated
 * reviewer session on the bench workspace. N verdicts written as the desk writes them
 * (desk-write.ts: `verdict.submit` through the handlers, one per transaction, between the desk's
 * own reads; the same call and figure as the oversight phase's), each followed by what the app
 * does after a write (`upkeep.wrote(writtenBy(event))` for each event the handlers emitted, as
 * the service does) and 30-60 s of the reviewer's time, on a mocked clock (node:test MockTimers:
 * setTimeout and Date only, so the catch-up's own steps still take real turns of the event loop);
 * then one dashboard read, which catches up first. The aggregates' CPU
 * is everything the metric upkeep did (timers, pending-count looks, background catch-ups, the
 * read's catch-up, and the merge of the pending differences they left) divided by the verdicts,
 * against the desk's mean write CPU in the same session.
 * The dashboard's panel queries are printed apart: they are the read's cost, not the write's.
 *
 * Written against the upkeep's public API only (createMetricUpkeep(ws, {}), wrote, writtenBy,
 * catchUp, close), so the same file measures an older policy for an A/B (copy it into that tree;
 * before writtenBy, call wrote() without its argument).
 */
import { mock } from 'node:test';
import { foldNewItems, mergePendingSums } from '../db/queries/metrics.ts';
import { ingestDemo } from '../electron/core/demo/ingest-demo.ts';
import { dashboard } from '../electron/core/metrics/dashboard.ts';
import { writtenBy } from '../electron/core/handlers/changes.ts';
import { createMetricUpkeep } from '../electron/core/metrics/upkeep.ts';
import { openWorkspace, type Workspace } from '../electron/core/workspace/open.ts';
import type { PhaseResult } from './bench.ts';
import { deskWriteFigures, deskWriteLine, deskWriter } from './desk-write.ts';

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const turn = () => new Promise<void>((r) => setImmediate(r));
/** The reviewer's time on an item: 30-60 s, the same sequence on every run. */
const gapMs = (i: number) => 30_000 + ((Math.imul(i + 1, 0x9e3779b1) >>> 0) % 30_001);

/** The demo seeds of the items that arrive before an `arrivals` session start here (not the bench input's). */
const ARRIVALS_SEED = 11;

/**
 * `count` demo items arrive (ingested); returns the items' seq before them. Their seed depends on
 * that seq, so a second session on the same workspace gets new items (the same seed would ingest
 * nothing new: every record already there).
 */
async function arrive(ws: Workspace, count: number): Promise<number> {
  const top = ws.sqlite.prepare('SELECT coalesce(max(seq), 0) FROM items').pluck().get() as number;
  await ingestDemo(ws, count, ARRIVALS_SEED + top);
  return top;
}

/**
 * `batch`: the background catch-up's batch, when not the app's default (to weigh another).
 * `arrivals`: the reviewer decides items that arrived just before the session (ingested then and
 * counted in, not counted here), instead of the workspace's backlog, which the labelling leaves
 * spread over the whole history (1 item in 25): each of those has its metric rows on a page of its
 * own, newly arrived items share theirs. A second figure beside the target's, not the target's.
 */
export async function oversightSession(workspace: string, verdicts: number, batch?: number, arrivals = false): Promise<PhaseResult> {
  const ws = openWorkspace(workspace, { create: false });
  const desk = deskWriter(ws);
  try {
    const s = ws.sqlite;
    // The desk warmed up first (not counted, desk-write.ts), as in the oversight phase.
    desk.warmUp();
    const after = arrivals ? await arrive(ws, verdicts) : 0;
    // Start from caught-up tables with nothing pending (not counted), as a desk whose last read
    // counted everything; the session ends by merging what its verdicts left pending (counted):
    // their whole share of the merge, not whichever merge happens to fall inside the session.
    foldNewItems(s);
    s.transaction(() => mergePendingSums(s)).immediate();
    const rows = s
      .prepare("SELECT seq, id, created_ms AS createdMs, flag_count AS flagCount FROM items WHERE status IN ('new', 'in_review', 'conflict') AND seq > ? ORDER BY seq LIMIT ?")
      .all(after, verdicts) as { seq: number; id: string; createdMs: number; flagCount: number }[];
    // A reused bench workspace runs out of open items (1 in 25 is left open, and every run decides some).
    if (rows.length === 0) return { sessionVerdicts: 0 };
    const mark = s.prepare("SELECT CAST(value AS integer) FROM meta WHERE key = 'metrics_folded_verdict_seq'").pluck();
    const changes = s.prepare('SELECT total_changes()').pluck();
    // The bench's own probe (did a catch-up move the mark? one turn of the event loop), to subtract.
    let c = cpuMs();
    for (let i = 0; i < 2000; i++) {
      mark.get();
      await turn();
    }
    const probeCpu = (cpuMs() - c) / 2000;
    let probes = 0;
    /** Lets a catch-up a timer started run to its end (its steps are a turn apart); batch sizes seen. */
    const batches: number[] = [];
    const drain = async (from: number) => {
      for (let still = 0; still < 2; ) {
        const before = mark.get();
        await turn();
        probes++;
        still = mark.get() === before ? still + 1 : 0;
      }
      const to = mark.get() as number;
      if (to !== from) batches.push(to - from);
    };
    const write: number[] = [];
    let upkeepCpu = 0;
    let tickCpu = 0;
    let upkeepRows = 0;
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.now() });
    const upkeep = createMetricUpkeep(ws, batch ? { batch } : {});
    try {
      for (const [i, r] of rows.entries()) {
        write.push(desk.cycle(r));
        const events = desk.takeEvents();
        const n = changes.get() as number;
        const from = mark.get() as number;
        c = cpuMs();
        // The timers fire here: a look at the pending count, and a catch-up's first step.
        for (const [event, payload] of events) upkeep.wrote(writtenBy(event, payload));
        mock.timers.tick(gapMs(i));
        const ticked = cpuMs() - c;
        tickCpu += ticked;
        upkeepCpu += ticked;
        // No catch-up started (its first step moves the mark as the timer fires): nothing to wait
        // for. This look is the bench's own, not counted (session 9 counted it: a few µs per verdict).
        if (mark.get() !== from) {
          c = cpuMs();
          await drain(from);
          upkeepCpu += cpuMs() - c;
        }
        upkeepRows += (changes.get() as number) - n;
      }
      upkeepCpu -= probes * probeCpu;
      const left = (s.prepare('SELECT max(seq) FROM verdicts').pluck().get() as number) - (mark.get() as number);
      c = cpuMs();
      const n = changes.get() as number;
      await upkeep.catchUp();
      const readCatchUpCpu = cpuMs() - c;
      const pendingRows = s.prepare('SELECT (SELECT count(*) FROM metric_cube_pending) + (SELECT count(*) FROM metric_ttd_pending)').pluck().get() as number;
      c = cpuMs();
      s.transaction(() => mergePendingSums(s)).immediate();
      const mergeCpu = cpuMs() - c;
      upkeepRows += (changes.get() as number) - n;
      const ext = s.prepare('SELECT min(day) AS a, max(day) AS b FROM metric_cube').get() as { a: number; b: number };
      const day = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
      c = cpuMs();
      dashboard(s, { from: day(ext.b - 29), to: day(ext.b) });
      const panelsCpu = cpuMs() - c;
      const desked = deskWriteFigures(write);
      const total = upkeepCpu + readCatchUpCpu + mergeCpu;
      return {
        sessionVerdicts: rows.length,
        sessionArrivals: arrivals,
        sessionHours: rows.reduce((a, _r, i) => a + gapMs(i), 0) / 3_600_000,
        ...desked,
        sessionBackground: batches.length,
        sessionBatchMean: batches.length ? batches.reduce((a, b) => a + b, 0) / batches.length : 0,
        sessionBatchMax: batches.length ? Math.max(...batches) : 0,
        sessionBackgroundCpu: upkeepCpu,
        sessionTickCpu: tickCpu,
        sessionReadLeft: left,
        sessionReadCatchUpCpu: readCatchUpCpu,
        sessionMergeRows: pendingRows,
        sessionMergeCpu: mergeCpu,
        sessionPanelsCpu: panelsCpu,
        sessionUpkeepPerVerdict: total / rows.length,
        sessionUpkeepPct: (100 * total) / rows.length / desked.deskWriteMean,
        sessionRowsPerVerdict: upkeepRows / rows.length,
        sessionProbeCpuUs: probeCpu * 1000,
      };
    } finally {
      upkeep.close();
      mock.timers.reset();
    }
  } finally {
    await desk.close();
    ws.close();
  }
}

export function oversightSessionReport(r: PhaseResult, log: (s: string) => void): void {
  const f = (n: unknown, d = 1) => Number(n).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  if (!r.sessionVerdicts) return log("  a reviewer's session under the app's catch-up policy: no open items left in this workspace (use a fresh copy)");
  const on = r.sessionArrivals ? ' on items that arrived just before it (--arrivals: not the target\'s backlog spread over the history)' : '';
  log(`  a reviewer's session under the app's catch-up policy${on}: ${f(r.sessionVerdicts, 0)} verdicts one per transaction, 30-60 s apart (${f(r.sessionHours, 1)} h on a mocked clock), then one dashboard read:`);
  log(`    ${deskWriteLine(r)}`);
  log(`    background catch-ups: ${f(r.sessionBackground, 0)} (mean ${f(r.sessionBatchMean, 0)} verdicts, largest ${f(r.sessionBatchMax, 0)}), ${f(r.sessionBackgroundCpu, 0)} ms CPU with the timers and pending-count looks`);
  log(`      (${f(r.sessionTickCpu, 0)} ms of it as the timers fired: the looks and each catch-up's first step; the bench's probe, ${f(r.sessionProbeCpuUs, 1)} µs a turn, is taken off)`);
  log(`    the read's catch-up first: ${f(r.sessionReadLeft, 0)} verdicts left, ${f(r.sessionReadCatchUpCpu, 1)} ms CPU (then its panels: ${f(r.sessionPanelsCpu, 0)} ms CPU, the read's cost, not counted)`);
  log(`    the merge of what the session left pending (its share of the bulk merge): ${f(r.sessionMergeRows, 0)} rows, ${f(r.sessionMergeCpu, 1)} ms CPU`);
  log(`    the aggregates per verdict: ${f(r.sessionUpkeepPerVerdict, 3)} ms CPU = ${f(r.sessionUpkeepPct, 1)} % of the desk's write (mean; target ≤ 10 %); ${f(r.sessionRowsPerVerdict, 1)} SQLite changes per verdict (with the fold's temp staging rows)`);
}
