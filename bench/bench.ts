/**
 * `npm run bench`: prints figures; asserts nothing. Each phase runs in its own child process
 * so its peak RSS is its own.
 *
 *   npm run bench -- [--count 1000000] [--dir PATH] [--only ingest,queries,open,review,trust,trust-submit,oversight,oversight-session,oversight-inwrite,paint,export,team,team-export,agreement] [--runs N] [--verdicts N] [--batch N] [--arrivals]
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemoRecords } from '../electron/core/demo/generate.ts';
import { config } from '../electron/core/config.ts';

const BIN = (): string => join(config().root, 'electron', 'cli', 'bin.mjs');

export interface PhaseResult {
  [k: string]: number | string | boolean | null;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Writes `count` demo escalations padded to about 2 KB each. */
async function writeInput(file: string, count: number, seed = 7): Promise<{ bytes: number; seconds: number }> {
  const t0 = performance.now();
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let buf = '';
  let i = 0;
  for (const r of generateDemoRecords(count, seed)) {
    const line = JSON.stringify(r);
    const pad = 2000 - line.length;
    const padded = pad > 40 ? JSON.stringify({ ...r, metadata: { ...(r.metadata ?? {}), notes: 'n'.repeat(pad - 40) } }) : line;
    buf += padded + '\n';
    if (++i % 2000 === 0) {
      if (!out.write(buf)) await new Promise<void>((res) => out.once('drain', () => res()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((res) => out.end(res));
  return { bytes: statSync(file).size, seconds: (performance.now() - t0) / 1000 };
}

const loadAverage = () => loadavg().map((x) => x.toFixed(2)).join(', ');

function runPhase(phase: string, args: string[]): PhaseResult {
  const res = spawnSync(process.execPath, [BIN(), 'bench', '--phase', phase, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 24,
  });
  if (res.status !== 0) throw new Error(`bench phase ${phase} failed (exit ${res.status})`);
  const last = res.stdout.trim().split('\n').pop()!;
  return JSON.parse(last) as PhaseResult;
}

export async function runBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: 'string', default: '1000000' },
      dir: { type: 'string' },
      phase: { type: 'string' },
      input: { type: 'string' },
      workspace: { type: 'string' },
      only: { type: 'string' },
      keep: { type: 'boolean', default: false },
      runs: { type: 'string' },
      verdicts: { type: 'string' },
      batch: { type: 'string' },
      arrivals: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.phase) {
    const { runPhaseInProcess } = await import('./phases.ts');
    const result = await runPhaseInProcess(values.phase, { input: values.input!, workspace: values.workspace!, dir: values.dir!, count: Number(values.count), ...session(values) });
    process.stdout.write(`${JSON.stringify({ ...result, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
    return 0;
  }

  const count = Number(values.count);
  const dir = values.dir ?? join(tmpdir(), `verdict-bench-${count}`);
  mkdirSync(dir, { recursive: true });
  const only = new Set((values.only ?? 'ingest,queries,open,review,oversight,paint,export').split(','));
  const input = join(dir, `input-${count}.jsonl`);
  const log = (s: string) => process.stdout.write(`${s}\n`);
  if ((await teamPhases(only, count, log)) && only.size === 0) return 0;
  // Expert review (issue 13) works on its own workspace of `count` imported verdicts: no escalation input needed.
  if (only.has('agreement')) {
    const a = runPhase('agreement', ['--dir', dir, '--count', String(count)]);
    log(`Expert review (issue 13): ${fmt(Number(a.verdicts))} imported verdicts on ${fmt(Number(a.items))} items (3 reviewers each)`);
    if (a.reused) log(`  workspace reused (${a.reused}): no import figure; ${fmt(Number(a.disputed))} items disputed`);
    else log(`  import through ReviewService:  ${fmt(Number(a.importSeconds), 1)} s (${fmt(Number(a.verdicts) / Number(a.importSeconds))} verdicts/s); ${fmt(Number(a.disputed))} items disputed`);
    if (Number(a.openSeconds) > 1) log(`  workspace open incl. migrations: ${fmt(Number(a.openSeconds), 1)} s (0018 backfills agreement_items on an older workspace)`);
    log(`  agreement over them:           ${fmt(Number(a.readSeconds) + Number(a.computeSeconds), 2)} s wall = read ${fmt(Number(a.readSeconds), 2)} s + statistics ${fmt(Number(a.computeSeconds), 2)} s (target ≤ 2 s at 1M)`);
    log(`    CPU: read ${fmt(Number(a.readCpuSeconds), 2)} s + statistics ${fmt(Number(a.computeCpuSeconds), 2)} s = ${fmt(Number(a.readCpuSeconds) + Number(a.computeCpuSeconds), 2)} s; load average ${a.load} (after: ${a.loadAfter})`);
    log(`    read: ${fmt(Number(a.patternRows))} pattern rows from agreement_items; plan: ${a.ratingsPlan}`);
    log(`    (${fmt(Number(a.agreementItems))} items, ${a.pairs} reviewer pairs, ${a.labels} labels, 200 bootstrap resamples per figure; alpha ${Number(a.alpha).toFixed(3)})`);
    log(`  other paths to the same figures: patterns computed from the verdicts (period filters) ${fmt(Number(a.liveSeconds), 2)} s wall / ${fmt(Number(a.liveCpuSeconds), 2)} s CPU;`);
    log(`    every rating to JavaScript (before 0018) read ${fmt(Number(a.perRatingSeconds), 2)} s / ${fmt(Number(a.perRatingCpuSeconds), 2)} s CPU + statistics ${fmt(Number(a.perRatingStatsSeconds), 2)} s / ${fmt(Number(a.perRatingStatsCpuSeconds), 2)} s CPU; same report: ${a.sameReport}`);
    log(`  report alone, in-memory ratings: 100k ${fmt(Number(a.compute100k), 2)} s, 300k ${fmt(Number(a.compute300k), 2)} s, 1M ${fmt(Number(a.compute1m), 2)} s (target ≤ 2 s at 1M)`);
    log(`  adjudication open-next p95:    ${fmt(Number(a.openP95), 2)} ms (p50 ${fmt(Number(a.openP50), 2)} ms over ${a.opens} opens; target ≤ 50 ms); peak RSS ${a.peakRssMb} MB`);
    if (only.size === 1) return 0;
  }
  log(`Verdict bench: ${fmt(count)} escalations, working in ${dir}`);
  if (!existsSync(input)) {
    const w = await writeInput(input, count);
    log(`  input: ${fmt(w.bytes / 1e6, 1)} MB (${fmt(w.bytes / count)} B/record avg), generated in ${fmt(w.seconds, 1)} s`);
  }
  // The demo generator's speed (timed here, not in a unit test): best of three runs of 100,000.
  let demoBest = Infinity;
  for (let attempt = 0; attempt < 3; attempt++) {
    const t0 = performance.now();
    for (const r of generateDemoRecords(100_000, 123)) if (!r.id) throw new Error('demo record without id');
    demoBest = Math.min(demoBest, performance.now() - t0);
  }
  log(`  demo generator: 100,000 records in ${fmt(demoBest)} ms (best of 3)`);
  const ws = join(dir, 'workspace.sqlite');

  if (only.has('ingest')) {
    for (const s of ['', '-wal', '-shm']) rmSync(ws + s, { force: true });
    const raw = runPhase('raw', ['--input', input, '--dir', dir]);
    const ing = runPhase('ingest', ['--input', input, '--workspace', ws, '--dir', dir]);
    const rate = Number(ing.ingestRate);
    const rawRate = Number(raw.rate);
    log('');
    log('Ingest (issue 2)');
    log(`  raw baseline (prepared INSERT, 5,000-row transactions): ${fmt(rawRate)} rows/s, ${fmt(Number(raw.seconds), 2)} s, peak RSS ${raw.peakRssMb} MB`);
    log(`  Verdict ingest:                 ${fmt(rate)} items/s, ${fmt(Number(ing.ingestSeconds), 2)} s  → ${fmt((100 * rate) / rawRate, 1)} % of baseline (target ≥ 50 %)`);
    log(`  all items searchable after:     ${fmt(Number(ing.searchableSeconds), 2)} s  → ${fmt(Number(ing.searchableSeconds) / Number(raw.seconds), 2)}× baseline time (target ≤ 3×)`);
    log(`  peak RSS during ingest:         ${ing.peakRssMb} MB (target ≤ 300 MB; sampled: ${ing.rssReadingMb} MB reading, ${ing.rssIndexingMb} MB indexing)`);
    log(`  summary: ${ing.summary}`);
  }
  if (only.has('queries') && existsSync(ws)) {
    const q = runPhase('queries', ['--workspace', ws, '--dir', dir]);
    log('');
    log(`Queries at ${fmt(Number(q.items))} items`);
    log(`  keyset page of 100, p95:        ${fmt(Number(q.pageP95), 2)} ms (p50 ${fmt(Number(q.pageP50), 2)} ms; target ≤ 5 ms)`);
    log(`  filtered page (status+route) p95: ${fmt(Number(q.filteredPageP95), 2)} ms`);
    log(`  status counts:                  ${fmt(Number(q.countsMs), 3)} ms (target ≤ 10 ms)`);
    log(`  full-text search p95:           ${fmt(Number(q.searchP95), 2)} ms (p50 ${fmt(Number(q.searchP50), 2)} ms; target ≤ 50 ms)`);
    log(`  filter-panel facets (table):    ${fmt(Number(q.facetsMs), 3)} ms p50 (the DISTINCT scans it replaced: ${fmt(Number(q.facetsScanMs), 1)} ms)`);
  }
  if (only.has('open') && existsSync(ws)) {
    const { openBench } = await import('./open-bench.ts');
    await openBench(ws, log);
  }
  if (only.has('review') && existsSync(ws)) {
    const background = join(dir, 'input-background.jsonl');
    if (!existsSync(background)) await writeInput(background, count, 8);
    const { reviewBench } = await import('./review-bench.ts');
    await reviewBench(ws, input, dir, log);
  }
  /** A reviewer's submits during a 50,000-record CLI ingest into the workspace (issue 9), `runs` times. */
  const trustSubmit = async (ws: string, dir: string, runs = 1) => {
    for (let run = 0; run < runs; run++) {
      log(`  [uptime ${loadAverage()}]`);
      // A new file each run: an unchanged file of a known source would be skipped, not ingested.
      const concurrent = join(dir, `input-concurrent-${Date.now()}.jsonl`);
      await writeInput(concurrent, 50_000, 9);
      const s = runPhase('trust-submit', ['--workspace', ws, '--dir', dir, '--input', concurrent]);
      rmSync(concurrent, { force: true });
      log(
        `  submit during a 50,000-record CLI ingest: ${fmt(Number(s.submits))} submits, ${fmt(Number(s.failures))} failed; p50 ${fmt(Number(s.submitP50), 1)} ms, p95 ${fmt(Number(s.submitP95), 1)} ms (target ≤ 100 ms), max ${fmt(Number(s.submitMax), 1)} ms`,
      );
      log(
        `    first submit after open ${fmt(Number(s.firstSubmit), 1)} ms; p95 by part: lock wait ${fmt(Number(s.lockWaitP95), 1)} ms, work ${fmt(Number(s.bodyP95), 1)} ms (max ${fmt(Number(s.bodyMax), 1)}), commit ${fmt(Number(s.commitP95), 1)} ms (max ${fmt(Number(s.commitMax), 1)}; blocked, neither on nor waiting for a CPU: p95 ${fmt(Number(s.commitBlockedP95), 1)} ms)`,
      );
      log(`    ingest exit ${String(s.ingestExit)} in ${fmt(Number(s.ingestSeconds), 1)} s${s.ingestStderr ? `; stderr: ${String(s.ingestStderr)}` : ''}`);
      log(
        `    reviewer thread p95: on CPU ${fmt(Number(s.cpuP95), 1)} ms, waiting for a CPU ${fmt(Number(s.runQueueP95), 1)} ms; submit less its CPU wait p95 ${fmt(Number(s.submitLessRunQueueP95), 1)} ms`,
      );
      if (s.ingest_count !== undefined)
        log(
          `    from the ingest's side: gave way ${fmt(Number(s.ingest_count))} times; writer waited p50 ${fmt(Number(s.ingest_wait_p50_ms), 1)} / p95 ${fmt(Number(s.ingest_wait_p95_ms), 1)} / max ${fmt(Number(s.ingest_wait_max_ms), 1)} ms (seen after p95 ${fmt(Number(s.ingest_detect_p95_ms), 1)} ms, released in p95 ${fmt(Number(s.ingest_release_p95_ms), 1)} ms: CPU ${fmt(Number(s.ingest_release_cpu_p95_ms), 1)}, waiting for a CPU ${fmt(Number(s.ingest_release_run_queue_p95_ms), 1)}; rows committed p95 ${fmt(Number(s.ingest_rows_p95))})`,
        );
    }
  };
  if (only.has('trust-submit') && existsSync(ws)) {
    log('');
    log('Trust (issue 9): submit during a concurrent ingest');
    await trustSubmit(ws, dir, Number(values.runs ?? 1));
  }
  if (only.has('trust') && existsSync(ws)) {
    const args = ['--workspace', ws, '--dir', dir];
    log('');
    log('Trust (issue 9)');
    // Every item gets a verdict first (the export bench's labelling), so the replay covers 1M verdicts.
    const l = runPhase('export-label', args);
    if (!l.skipped) log(`  labelled ${fmt(Number(l.labelled))} items (verdict + audit event each): ${fmt(Number(l.seconds), 1)} s`);
    const r = runPhase('trust-replay', args);
    const total = Number(r.quickCheckSeconds) + Number(r.chainSeconds) + Number(r.stateSeconds);
    log(`  audit verify at ${fmt(Number(r.items))} items / ${fmt(Number(r.verdicts))} verdicts / ${fmt(Number(r.events))} events (${fmt(Number(r.fileMb))} MB): ${r.ok ? 'ok' : `FAILED: ${String(r.problem)}`}`);
    log(`    full replay ${fmt(total, 1)} s: quick_check ${fmt(Number(r.quickCheckSeconds), 1)} s, hash chain ${fmt(Number(r.chainSeconds), 1)} s, state replay ${fmt(Number(r.stateSeconds), 1)} s; peak RSS ${r.peakRssMb} MB`);
    await trustSubmit(ws, dir);
    const inc = runPhase('trust-incremental', args);
    log(
      `  incremental audit verify from the head above (events ${fmt(Number(inc.fromEvent))} → ${fmt(Number(inc.toEvent))}; ${fmt(Number(inc.revisions))} revisions, ${fmt(Number(inc.verdicts))} verdicts): ${inc.ok ? 'ok' : `FAILED: ${String(inc.problem)}`} in ${fmt(Number(inc.seconds), 2)} s`,
    );
  }
  // Labels every item (1M verdicts at 1M items) with decisions spread over time, then times the panels.
  if (only.has('oversight') && existsSync(ws)) {
    const { oversightBenchReport } = await import('./oversight-phase.ts');
    oversightBenchReport(ws, dir, runPhase, log);
  }
  if ((only.has('oversight') || only.has('oversight-session')) && existsSync(ws)) await sessionBench(ws, dir, values, !only.has('oversight'), log);
  if (only.has('oversight-inwrite') && existsSync(ws)) await inWriteBench(ws, dir, log);
  if (only.has('paint') && existsSync(ws)) {
    const { paintBench } = await import('./paint-bench.ts');
    await paintBench(ws, log);
  }
  // Last: the export bench labels every item, which empties the review queue.
  if (only.has('export') && existsSync(ws)) {
    const { exportBench } = await import('./phases.ts');
    await exportBench(ws, dir, runPhase, log);
  }
  if (!values.keep && !values.dir) log(`\n(bench files kept in ${dir} for reuse; delete when done)`);
  return 0;
}

/** The team phases: each starts its own PostgreSQL (no input file, no workspace). True when one ran. */
/**
 * oversight-session: verdicts the simulated reviewer writes; the background batch, to weigh one other than the app's;
 * `arrivals`: the reviewer decides newly arrived items instead of the backlog spread over the history (oversight-session.ts).
 */
const session = (v: { verdicts?: string; batch?: string; arrivals?: boolean }) => ({
  verdicts: v.verdicts ? Number(v.verdicts) : undefined,
  batch: v.batch ? Number(v.batch) : undefined,
  arrivals: v.arrivals ?? false,
});

/** The aggregates' cost per verdict under the app's catch-up policy (a reviewer's session, oversight-session.ts). */
async function sessionBench(ws: string, dir: string, o: { verdicts?: string; batch?: string; arrivals?: boolean }, heading: boolean, log: (s: string) => void) {
  const { oversightSessionReport } = await import('./oversight-session.ts');
  if (heading) log(`\nOversight (issue 14) [uptime ${loadAverage()}]`);
  const args = ['--workspace', ws, '--dir', dir, '--verdicts', o.verdicts ?? '2500', ...(o.batch ? ['--batch', o.batch] : []), ...(o.arrivals ? ['--arrivals'] : [])];
  oversightSessionReport(runPhase('oversight-session', args), log);
}

/** The other design (the verdict counted inside its write, oversight-inwrite.ts), weighed on request only: it uses 2,000 open items. */
async function inWriteBench(ws: string, dir: string, log: (s: string) => void) {
  const { oversightInWriteReport } = await import('./oversight-inwrite.ts');
  log(`\nOversight (issue 14), the verdict counted inside its write [uptime ${loadAverage()}]`);
  oversightInWriteReport(runPhase('oversight-inwrite', ['--workspace', ws, '--dir', dir]), log);
}

async function teamPhases(only: Set<string>, count: number, log: (s: string) => void): Promise<boolean> {
  let ran = false;
  if (only.delete('team')) {
    const { teamBench } = await import('./team-bench.ts');
    await teamBench(count, log);
    ran = true;
  }
  // Items decided through the queue functions, then export --team.
  if (only.delete('team-export')) {
    const { teamExportBench } = await import('./team-export-bench.ts');
    await teamExportBench(count, log);
    ran = true;
  }
  return ran;
}
