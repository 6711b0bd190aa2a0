/** Bench phases, each run in a child process by bench.ts. */
import Database from 'better-sqlite3';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { itemFacets, queuePage, statusCounts } from '../db/queries/items.ts';
import { ingest } from '../electron/core/ingest/ingest.ts';
import { readLines } from '../electron/core/ingest/lines.ts';
import { openWorkspace } from '../electron/core/workspace/open.ts';
import type { PhaseResult } from './bench.ts';

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The floor: the same payloads through one prepared INSERT, 5,000 rows per transaction. */
async function raw(input: string, dir: string): Promise<PhaseResult> {
  const path = join(dir, 'raw-baseline.sqlite');
  for (const s of ['', '-wal', '-shm']) (await import('node:fs')).rmSync(path + s, { force: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE raw (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO raw (payload) VALUES (?)');
  const t0 = performance.now();
  let batch: string[] = [];
  let rows = 0;
  const flush = db.transaction((b: string[]) => {
    for (const p of b) insert.run(p);
  });
  for await (const lines of readLines(createReadStream(input, { highWaterMark: 1 << 20 }), { maxLineBytes: 4 << 20 })) {
    for (const l of lines) {
      batch.push(l.bytes.toString('utf8'));
      if (batch.length === 5000) {
        flush(batch);
        rows += batch.length;
        batch = [];
      }
    }
  }
  flush(batch);
  rows += batch.length;
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  return { rows, seconds, rate: rows / seconds };
}

async function ingestPhase(input: string, workspace: string): Promise<PhaseResult> {
  const ws = openWorkspace(workspace);
  const t0 = performance.now();
  let readDone = 0;
  // Which stage holds the peak (the process's maxRSS is reported beside it).
  const peaks: Record<string, number> = { reading: 0, indexing: 0 };
  let stage: 'reading' | 'indexing' | 'done' = 'reading';
  const sampler = setInterval(() => {
    if (stage !== 'done') peaks[stage] = Math.max(peaks[stage]!, Math.round(process.memoryUsage.rss() / 1048576));
  }, 20).unref();
  const summary = await ingest(ws, {
    path: input,
    exclusive: true,
    // The CLI's default batch size unless BENCH_BATCH says otherwise.
    batchSize: process.env.BENCH_BATCH ? Number(process.env.BENCH_BATCH) : undefined,
    onProgress: (p) => {
      stage = p.phase;
      if (p.phase === 'indexing' && readDone === 0) readDone = performance.now();
    },
  });
  const end = performance.now();
  clearInterval(sampler);
  if (readDone === 0) readDone = end;
  ws.close();
  const ingestSeconds = (readDone - t0) / 1000;
  return {
    ingestSeconds,
    ingestRate: summary.ingested / ingestSeconds,
    searchableSeconds: (end - t0) / 1000,
    rssReadingMb: peaks.reading!,
    rssIndexingMb: peaks.indexing!,
    summary: `read ${summary.read}, ingested ${summary.ingested}, quarantined ${summary.quarantined}, searchable ${summary.searchable}`,
  };
}

function queries(workspace: string): PhaseResult {
  const ws = openWorkspace(workspace);
  const db = ws.sqlite;
  const rand = mulberry32(42);
  const items = db.prepare('SELECT max(seq) FROM items').pluck().get() as number;
  const cursorAt = db.prepare('SELECT priority AS p, created_ms AS c, seq AS s FROM items WHERE seq = ?');
  const time = (fn: () => unknown) => {
    const t = performance.now();
    fn();
    return performance.now() - t;
  };
  const page: number[] = [];
  const filtered: number[] = [];
  for (let i = 0; i < 300; i++) {
    const c = cursorAt.get(1 + Math.floor(rand() * items)) as { p: number; c: number; s: number };
    page.push(time(() => queuePage(db, {}, i % 10 === 0 ? null : c, 100)));
    filtered.push(time(() => queuePage(db, { status: ['new'], route: ['trust_safety'] }, i % 10 === 0 ? null : c, 100)));
  }
  const counts: number[] = [];
  for (let i = 0; i < 50; i++) counts.push(time(() => statusCounts(db)));
  const words = ['password', 'refund', 'ignore previous', 'dosage', 'contract', 'email', 'lawsuit', 'delete', 'bank', 'doctor', 'kill', 'citation', 'visa', 'medication', 'jailbreak'];
  const search: number[] = [];
  for (let i = 0; i < 200; i++) {
    const w = words[Math.floor(rand() * words.length)]!;
    search.push(time(() => queuePage(db, { search: w }, null, 100)));
  }
  // The filter panel's facets: the ingest-kept table (0009), and the three DISTINCT scans it replaced.
  const facets: number[] = [];
  const facetScans: number[] = [];
  const scan = (col: string) => db.prepare(`SELECT DISTINCT ${col} FROM items WHERE ${col} IS NOT NULL ORDER BY 1 LIMIT 200`).pluck().all();
  for (let i = 0; i < 20; i++) {
    facets.push(time(() => itemFacets(db)));
    if (i < 5) facetScans.push(time(() => ['model', 'top_flag_category', 'top_flag_policy'].map(scan)));
  }
  ws.close();
  return {
    items,
    facetsMs: percentile(facets, 50),
    facetsScanMs: percentile(facetScans, 50),
    pageP50: percentile(page, 50),
    pageP95: percentile(page, 95),
    filteredPageP95: percentile(filtered, 95),
    countsMs: percentile(counts, 50),
    searchP50: percentile(search, 50),
    searchP95: percentile(search, 95),
  };
}

export async function runPhaseInProcess(phase: string, o: { input: string; workspace: string; dir: string; count?: number; verdicts?: number; batch?: number; arrivals?: boolean }): Promise<PhaseResult> {
  if (phase === 'agreement') return (await import('./agreement-phase.ts')).agreementPhase(o.dir, o.count ?? 100_000);
  if (phase === 'raw') return raw(o.input, o.dir);
  if (phase === 'ingest') return ingestPhase(o.input, o.workspace);
  if (phase === 'queries') return queries(o.workspace);
  if (phase.startsWith('trust-')) {
    const { trustPhase } = await import('./trust-phase.ts');
    return trustPhase(phase, o);
  }
  if (phase === 'oversight-label') return (await import('./oversight-phase.ts')).oversightLabel(o.workspace);
  if (phase === 'oversight') return (await import('./oversight-phase.ts')).oversightPhase(o.workspace);
  if (phase === 'oversight-session') return (await import('./oversight-session.ts')).oversightSession(o.workspace, o.verdicts ?? 2_500, o.batch, o.arrivals);
  if (phase === 'oversight-inwrite') return (await import('./oversight-inwrite.ts')).oversightInWrite(o.workspace);
  const { exportPhase } = await import('./export-phase.ts');
  return exportPhase(phase, o);
}

export async function exportBench(
  workspace: string,
  dir: string,
  run: (phase: string, args: string[]) => PhaseResult,
  log: (s: string) => void,
): Promise<void> {
  const { exportBenchReport } = await import('./export-phase.ts');
  await exportBenchReport(workspace, dir, run, log);
}
