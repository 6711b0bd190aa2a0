/**
 * Export bench phases (issue 4), each run in its own child process by bench.ts:
 *
 * - `export-label`: gives every item of the bench workspace a verdict if it has none (9 in 10 a
 *   violation with a correction, 1 in 10 a dismissal), through ReviewService in 10,000-item
 *   transactions, so every verdict has its audit event;
 * - `export-jsonl` / `export-parquet`: a trl-dpo export (redaction on, the default) as JSONL or
 *   Parquet into `<dir>/export-jsonl` / `<dir>/export-parquet`;
 * - `export-verify`: `verifyExport` of the Parquet export (full audit log recomputation).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { exportDataset, verifyExport } from '../electron/core/export/index.ts';
import { DEFAULT_TAXONOMY } from '../electron/core/review/taxonomy.ts';
import { ReviewService } from '../electron/core/review/verdicts.ts';
import { openWorkspace } from '../electron/core/workspace/open.ts';
import type { PhaseResult } from './bench.ts';

const CORRECTIONS = [
  "I can't help with that request, but I can point you to the official documentation and the support team, who can look at your account safely.",
  'I’m not able to share personal details about other people. If the parcel is yours, sign in to your account to see its delivery address and tracking.',
  'Please do not take more than the dose on the label. If the pain persists or is severe, seek medical care right away or call your local emergency number.',
  'I could not find a source for that figure, so I will not state it as fact. Here is what the cited documents actually say, with links to each one.',
  'That action would delete production data, so I will not run it. I can list the largest directories and propose a cleanup plan for a human to approve.',
];

function label(workspace: string): PhaseResult {
  const ws = openWorkspace(workspace, { create: false });
  try {
    // Items still waiting for a verdict (the review bench may have decided a few already).
    const waiting = "status IN ('new', 'in_review', 'conflict')";
    if (!ws.sqlite.prepare(`SELECT 1 FROM items WHERE ${waiting} LIMIT 1`).get()) return { labelled: 0, seconds: 0, skipped: true };
    const review = new ReviewService(ws);
    const page = ws.sqlite.prepare(`SELECT seq, id FROM items WHERE seq > ? AND ${waiting} ORDER BY seq LIMIT 10000`);
    const labels = DEFAULT_TAXONOMY.labels.map((l) => l.id);
    const t0 = performance.now();
    let last = 0;
    let labelled = 0;
    for (;;) {
      const rows = page.all(last) as { seq: number; id: string }[];
      if (rows.length === 0) break;
      ws.sqlite.transaction(() => {
        for (const r of rows) {
          const dismiss = r.seq % 10 === 0;
          review.submit({
            itemId: r.id,
            decision: dismiss ? 'dismiss' : 'violation',
            labels: dismiss ? [] : [labels[r.seq % labels.length]!, ...(r.seq % 4 === 0 ? [labels[(r.seq >> 2) % labels.length]!] : [])],
            severity: dismiss ? null : (['low', 'medium', 'high', 'critical'] as const)[r.seq % 4]!,
            correction: dismiss ? null : `${CORRECTIONS[r.seq % CORRECTIONS.length]!} (ref ${r.seq})`,
            reviewer: `bench-reviewer-${r.seq % 7}`,
          });
        }
      })();
      labelled += rows.length;
      last = rows[rows.length - 1]!.seq;
    }
    const seconds = (performance.now() - t0) / 1000;
    return { labelled, seconds, rate: labelled / seconds, skipped: false };
  } finally {
    ws.close();
  }
}

async function runExport(workspace: string, dir: string, kind: 'jsonl' | 'parquet'): Promise<PhaseResult> {
  const out = join(dir, `export-${kind}`);
  rmSync(out, { recursive: true, force: true });
  const ws = openWorkspace(workspace, { create: false });
  const heap0 = process.memoryUsage().heapUsed;
  let peakHeap = heap0;
  // When each phase began (ms since the call): the stream is `writing`, `sealing` the card,
  // audit event, inclusion proof and manifest.
  const t0 = performance.now();
  const phaseAt: Partial<Record<string, number>> = {};
  try {
    const s = await exportDataset(ws, {
      format: 'trl-dpo',
      out,
      outputs: [kind],
      onProgress: (p) => {
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        phaseAt[p.phase] ??= performance.now() - t0;
      },
    });
    const at = (phase: string) => phaseAt[phase] ?? NaN;
    return {
      checkSeconds: at('writing') / 1000,
      writeSeconds: (at('sealing') - at('writing')) / 1000,
      sealSeconds: (at('done') - at('sealing')) / 1000,
      rows: s.rows,
      selected: s.selected,
      seconds: s.seconds,
      rowsPerSecond: s.rowsPerSecond,
      itemsPerSecond: s.selected / s.seconds,
      files: s.files.length,
      megabytes: s.files.reduce((n, f) => n + f.bytes, 0) / 1e6,
      peakHeapMb: Math.round(peakHeap / 1e6),
    };
  } finally {
    ws.close();
  }
}

async function verify(workspace: string, dir: string): Promise<PhaseResult> {
  const t0 = performance.now();
  const res = await verifyExport(join(dir, 'export-parquet'), workspace);
  return { ok: res.ok, problem: res.ok ? null : res.problem, seconds: (performance.now() - t0) / 1000 };
}

export async function exportPhase(phase: string, o: { workspace: string; dir: string; input: string }): Promise<PhaseResult> {
  if (phase === 'export-label') return label(o.workspace);
  if (phase === 'export-jsonl') return runExport(o.workspace, o.dir, 'jsonl');
  if (phase === 'export-parquet') return runExport(o.workspace, o.dir, 'parquet');
  if (phase === 'export-verify') return verify(o.workspace, o.dir);
  throw new Error(`unknown bench phase "${phase}"`);
}

/** Where an export's time went: checks before writing, the row stream, sealing. */
const phases = (r: PhaseResult) =>
  `check ${fmt(Number(r.checkSeconds), 2)} s, rows ${fmt(Number(r.writeSeconds), 2)} s, seal ${fmt(Number(r.sealSeconds), 2)} s`;

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function exportBenchReport(
  workspace: string,
  dir: string,
  run: (phase: string, args: string[]) => PhaseResult,
  log: (s: string) => void,
): Promise<void> {
  const args = ['--workspace', workspace, '--dir', dir];
  log('');
  log('Export (issue 4)');
  const l = run('export-label', args);
  if (l.skipped) log('  verdicts: already recorded, reusing them');
  else log(`  labelled ${fmt(Number(l.labelled))} items (verdict + audit event each): ${fmt(Number(l.seconds), 1)} s, ${fmt(Number(l.rate))} verdicts/s`);
  const j = run('export-jsonl', args);
  log(
    `  JSONL rows/s:    ${fmt(Number(j.rowsPerSecond))} (trl-dpo, redaction on; ${fmt(Number(j.rows))} rows of ${fmt(Number(j.selected))} items in ${fmt(Number(j.seconds), 1)} s, ${fmt(Number(j.megabytes), 1)} MB; target ≥ 50,000)`,
  );
  log(`    peak RSS ${j.peakRssMb} MB (peak heap ${j.peakHeapMb} MB); ${phases(j)}`);
  const p = run('export-parquet', args);
  log(
    `  Parquet rows/s:  ${fmt(Number(p.rowsPerSecond))} (${fmt(Number(p.rows))} rows in ${fmt(Number(p.seconds), 1)} s, ${fmt(Number(p.megabytes), 1)} MB; target ≥ 20,000)`,
  );
  log(`    peak RSS ${p.peakRssMb} MB (peak heap ${p.peakHeapMb} MB); ${phases(p)}`);
  log(`  peak RSS: ${Math.max(Number(j.peakRssMb), Number(p.peakRssMb))} MB (target ≤ 500 MB)`);
  const v = run('export-verify', args);
  log(`  verify (files re-hashed + full audit log): ${v.ok ? 'ok' : `FAILED: ${String(v.problem)}`} in ${fmt(Number(v.seconds), 1)} s`);
}
