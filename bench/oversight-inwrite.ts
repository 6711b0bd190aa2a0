/**
 * Issue 14's alternative design, measured: the verdict counted inside its own write transaction
 * (its item's pages hot, no second commit) instead of by the batched catch-up. Not the app's
 * policy (the app counts in background catch-ups of ~1,000, oversight-session.ts): this phase
 * weighs the other design on the same workspace, the same way, so the choice rests on figures.
 *
 * The desk's reviewer cycle (desk-write.ts) in blocks, A B B A per round:
 *  - A: the verdict write alone, inside an outer write transaction (its own is then a savepoint);
 *  - B: the same, and inside that same transaction, before its commit, the batched fold's own
 *    verdict step (countVerdictsInWrite: the same SQL, for the one verdict not yet counted, and
 *    its mark); the pending rows it appends are merged apart, below.
 * After each A block an untimed catch-up counts what A wrote, so each B write finds only its own
 * verdict to count. The aggregates' cost per verdict in this design = B's mean write − A's mean
 * write (same process, same load, interleaved) + B's share of the merge (its pending rows per
 * verdict × the per-row CPU of merging every pending row at the end).
 */
import { loadavg } from 'node:os';
import { foldNewItems, mergePendingSums } from '../db/queries/metrics.ts';
import { countVerdictsInWrite } from '../db/queries/metrics-fold.ts';
import { openWorkspace } from '../electron/core/workspace/open.ts';
import type { PhaseResult } from './bench.ts';
import { deskWriter, type DeskItem } from './desk-write.ts';

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function oversightInWrite(workspace: string, block = 250, rounds = 2): Promise<PhaseResult> {
  const ws = openWorkspace(workspace, { create: false });
  const s = ws.sqlite;
  let counting = false;
  let countCpu = 0;
  const desk = deskWriter(ws, {
    inWrite: () => {
      if (!counting) return;
      const c = cpuMs();
      if (!countVerdictsInWrite(s, 16)) throw new Error('the in-write count found more than its own verdict waiting');
      countCpu += cpuMs() - c;
    },
  });
  try {
    desk.warmUp();
    // Caught up with nothing pending (not counted); the staging tables made outside a transaction.
    foldNewItems(s);
    s.transaction(() => mergePendingSums(s)).immediate();
    const items = s
      .prepare("SELECT seq, id, flag_count AS flagCount FROM items WHERE status IN ('new', 'in_review', 'conflict') ORDER BY seq LIMIT ?")
      .all(block * 4 * rounds) as DeskItem[];
    if (items.length < block * 4 * rounds) return { inWriteVerdicts: 0 };
    const pending = s.prepare('SELECT (SELECT count(*) FROM metric_cube_pending) + (SELECT count(*) FROM metric_ttd_pending) + (SELECT count(*) FROM metric_cell_items_pending)').pluck();
    const loadBefore = loadavg()[0]!;
    const a: number[] = [];
    const b: number[] = [];
    const counted: number[] = [];
    let bRows = 0;
    let at = 0;
    for (let r = 0; r < rounds; r++) {
      for (const variant of ['A', 'B', 'B', 'A']) {
        counting = variant === 'B';
        countCpu = 0;
        const rowsBefore = pending.get() as number;
        const cpu: number[] = [];
        for (let i = 0; i < block; i++) cpu.push(desk.cycle(items[at++]!));
        desk.takeEvents();
        if (counting) {
          b.push(mean(cpu));
          counted.push(countCpu / block);
          bRows += (pending.get() as number) - rowsBefore;
        } else {
          a.push(mean(cpu));
          foldNewItems(s, { mergeAt: Number.MAX_SAFE_INTEGER });
        }
      }
    }
    const rows = pending.get() as number;
    const c = cpuMs();
    s.transaction(() => mergePendingSums(s)).immediate();
    const mergeCpu = cpuMs() - c;
    const bVerdicts = block * 2 * rounds;
    const mergeShare = rows ? (mergeCpu / rows) * (bRows / bVerdicts) : 0;
    const writeA = mean(a);
    const writeB = mean(b);
    return {
      inWriteVerdicts: bVerdicts,
      inWriteBlock: block,
      inWriteA: a.join(' '),
      inWriteB: b.join(' '),
      inWriteMeanA: writeA,
      inWriteMeanB: writeB,
      inWriteCount: mean(counted),
      inWriteRowsPerVerdict: bRows / bVerdicts,
      inWriteMergeRows: rows,
      inWriteMergeCpu: mergeCpu,
      inWriteMergeShare: mergeShare,
      inWritePerVerdict: writeB - writeA + mergeShare,
      inWritePct: (100 * (writeB - writeA + mergeShare)) / writeA,
      inWriteLoad: `${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`,
    };
  } finally {
    await desk.close();
    ws.close();
  }
}

export function oversightInWriteReport(r: PhaseResult, log: (s: string) => void): void {
  const f = (n: unknown, d = 3) => Number(n).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const list = (v: unknown) => String(v).split(' ').map((x) => f(x)).join(', ');
  if (!r.inWriteVerdicts) return log('  the verdict counted inside its write: not enough open items left in this workspace (use a fresh copy)');
  log(`  the other design, the verdict counted inside its own write transaction (not the app's policy; blocks of ${f(r.inWriteBlock, 0)} reviewer cycles, A B B A; load ${r.inWriteLoad}):`);
  log(`    the desk's write alone (A): ${list(r.inWriteA)} ms CPU, mean ${f(r.inWriteMeanA)}`);
  log(`    counting its verdict before its commit (B): ${list(r.inWriteB)} ms CPU, mean ${f(r.inWriteMeanB)} (of it the fold's step itself ${f(r.inWriteCount)} ms)`);
  log(`    + B's share of the merge: ${f(r.inWriteRowsPerVerdict, 2)} pending rows per verdict, ${f(r.inWriteMergeRows, 0)} rows merged in ${f(r.inWriteMergeCpu, 1)} ms CPU → ${f(r.inWriteMergeShare)} ms per verdict`);
  log(`    the aggregates per verdict in this design: ${f(r.inWritePerVerdict)} ms CPU = ${f(r.inWritePct, 1)} % of the desk's write (target ≤ 10 %)`);
}
