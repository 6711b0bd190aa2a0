/**
 * Expert-review bench (issue 13), in its own process on its own workspace:
 *  - `count` verdicts imported (three reviewers per item, from a pool of twelve, agreeing about
 *    three times in four; labels from MLCommons S1..S12), through ReviewService as `verdicts
 *    import` records them (audit event, outbox row, disputed status from the SQL definition);
 *  - agreement over them: the ratings read from SQL as patterns (agreement_items, migration 0018),
 *    then the report (alpha, per-label alpha, Cohen per pair, Fleiss per route, per month; 200
 *    bootstrap resamples each), each with wall and CPU time; for comparison the same patterns
 *    computed from the verdicts (the path a period filter takes) and the per-rating read;
 *  - the agreement computation alone over in-memory ratings at 100k, 300k and 1M;
 *  - the adjudication screen's open-next (next disputed item + its side-by-side view), p50/p95.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { ratingColumns, ratingPatterns, ratingPatternsLive, ratingPatternsTableSql } from '../db/queries/agreement.ts';
import { agreementReport, ratingColumnsOf, type Rating } from '../electron/core/agreement/index.ts';
import { seededRandom } from '../electron/core/agreement/rng.ts';
import { ingest } from '../electron/core/ingest/ingest.ts';
import { expertHandlers } from '../electron/core/review/expert-handlers.ts';
import { ReviewService } from '../electron/core/review/verdicts.ts';
import { openWorkspace } from '../electron/core/workspace/open.ts';
import type { PhaseResult } from './bench.ts';
import { percentile } from './phases.ts';

const LABELS = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9', 'S10', 'S11', 'S12'];
const DECISIONS = ['violation', 'dismiss', 'escalate'] as const;

/** Three ratings per item: a shared truth each reviewer follows with probability 0.75. */
function* synthetic(verdicts: number, seed: number): Generator<{ item: number; reviewer: string; decision: (typeof DECISIONS)[number]; labels: string[]; month: number }> {
  const rng = seededRandom(seed);
  const items = Math.ceil(verdicts / 3);
  let n = 0;
  for (let item = 0; item < items && n < verdicts; item++) {
    const truth = rng() < 0.5 ? 'violation' : rng() < 0.9 ? 'dismiss' : 'escalate';
    const label = LABELS[Math.floor(rng() * LABELS.length)]!;
    const first = Math.floor(rng() * 12);
    for (let k = 0; k < 3 && n < verdicts; k++, n++) {
      const decision = rng() < 0.75 ? truth : DECISIONS[Math.floor(rng() * 3)]!;
      yield { item, reviewer: `reviewer-${(first + k * 5) % 12}`, decision, labels: decision === 'violation' ? (rng() < 0.8 ? [label] : [LABELS[Math.floor(rng() * 12)]!]) : [], month: item % 6 };
    }
  }
}

function computeOnly(verdicts: number): { seconds: number; items: number } {
  const rows: Rating[] = [];
  for (const r of synthetic(verdicts, 5))
    rows.push({ item: r.item, reviewer: r.reviewer, decision: r.decision, labels: r.labels, route: r.item % 4 === 0 ? 'clinical' : 'default', period: `2026-0${r.month + 1}` });
  const cols = ratingColumnsOf(rows);
  const t = performance.now();
  const report = agreementReport(cols, { resamples: 200 });
  return { seconds: (performance.now() - t) / 1000, items: report.items };
}

async function buildWorkspace(ws: ReturnType<typeof openWorkspace>, review: ReviewService, dir: string, count: number, items: number): Promise<{ n: number; importSeconds: number }> {
    const input = join(dir, `agreement-items-${items}.jsonl`);
    const lines: string[] = [];
    for (let i = 0; i < items; i++)
      lines.push(JSON.stringify({ id: `a-${i}`, created_at: new Date(Date.UTC(2026, i % 6, 1 + (i % 28))).toISOString(), route: i % 4 === 0 ? 'clinical' : 'default', input: `prompt ${i}`, output: `response ${i}` }));
    writeFileSync(input, lines.join('\n') + '\n');
    await ingest(ws, { path: input });
    const ids = ws.sqlite.prepare("SELECT external_id, id FROM items").raw().all() as [string, string][];
    const idOf = new Map(ids);
    const t = performance.now();
    let n = 0;
    ws.sqlite.exec('BEGIN IMMEDIATE');
    for (const r of synthetic(count, 11)) {
      review.submit(
        {
          itemId: idOf.get(`a-${r.item}`)!,
          decision: r.decision,
          labels: r.labels,
          routeTo: r.decision === 'escalate' ? 'legal' : null,
          reviewer: r.reviewer,
          decidedAt: new Date(Date.UTC(2026, r.month, 2, 0, 0, n % 3600)).toISOString(),
        },
        'import',
      );
      if (++n % 5000 === 0) ws.sqlite.exec('COMMIT; BEGIN IMMEDIATE');
    }
    ws.sqlite.exec('COMMIT');
    const importSeconds = (performance.now() - t) / 1000;
    return { n, importSeconds };
}

export async function agreementPhase(dir: string, count: number): Promise<PhaseResult> {
  const path = join(dir, `agreement-${count}.sqlite`);
  // A finished workspace of this size is reused (building 1M verdicts takes long); VERDICT_BENCH_FRESH=1 rebuilds.
  const reuse = !process.env.VERDICT_BENCH_FRESH && existsSync(path) && existsSync(`${path}.done`);
  if (!reuse) for (const s of ['', '-wal', '-shm', '.done']) rmSync(path + s, { force: true });
  const opened = performance.now();
  const ws = openWorkspace(path);
  // Opening an older workspace applies its migrations (0018 backfills agreement_items).
  const openSeconds = (performance.now() - opened) / 1000;
  try {
    const items = Math.ceil(count / 3);
    const review = new ReviewService(ws);
    let n = 0;
    let importSeconds = 0;
    if (reuse) n = ws.sqlite.prepare('SELECT count(*) FROM verdicts').pluck().get() as number;
    else {
      ({ n, importSeconds } = await buildWorkspace(ws, review, dir, count, items));
      writeFileSync(`${path}.done`, `${n}\n`);
    }

    const plan = (ws.sqlite.prepare(`EXPLAIN QUERY PLAN ${ratingPatternsTableSql().sql}`).all() as { detail: string }[]).map((r) => r.detail);
    const timed = <T>(fn: () => T): { value: T; wall: number; cpu: number } => {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const value = fn();
      const c = process.cpuUsage(c0);
      return { value, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
    };
    // Warm once (the import left other pages in the cache), then measure wall and CPU time.
    ratingPatterns(ws.sqlite);
    const read = timed(() => ratingPatterns(ws.sqlite));
    const stats = timed(() => agreementReport(read.value, { resamples: 200 }));
    const report = stats.value;
    // The same figures by the other paths, for comparison: patterns computed from the verdicts in
    // SQL (what a period filter runs), and every rating handed to JavaScript (before 0018).
    const live = timed(() => ratingPatternsLive(ws.sqlite));
    const perRating = timed(() => ratingColumns(ws.sqlite));
    const perRatingStats = timed(() => agreementReport(perRating.value, { resamples: 200 }));
    const same = JSON.stringify(perRatingStats.value) === JSON.stringify(report);

    const handlers = expertHandlers(ws, review, () => 'bench-adjudicator', () => {});
    const opens: number[] = [];
    let after: string | undefined;
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      const next = handlers['adjudication.next']({ afterItemId: after }).itemId;
      if (!next) break;
      handlers['adjudication.get']({ itemId: next });
      opens.push(performance.now() - t0);
      after = next;
    }
    const disputed = ws.sqlite.prepare("SELECT count(*) FROM items WHERE status = 'disputed'").pluck().get() as number;
    const c100k = computeOnly(100_000);
    const c300k = computeOnly(300_000);
    const c1m = computeOnly(1_000_000);
    return {
      verdicts: n,
      reused: reuse ? path : '',
      load: loadavg().map((x) => x.toFixed(2)).join(' '),
      items,
      importSeconds,
      openSeconds,
      readSeconds: read.wall,
      readCpuSeconds: read.cpu,
      patternRows: read.value.units.length + read.value.labels.length + read.value.raters.length,
      computeSeconds: stats.wall,
      computeCpuSeconds: stats.cpu,
      liveSeconds: live.wall,
      liveCpuSeconds: live.cpu,
      perRatingSeconds: perRating.wall,
      perRatingCpuSeconds: perRating.cpu,
      perRatingStatsSeconds: perRatingStats.wall,
      perRatingStatsCpuSeconds: perRatingStats.cpu,
      sameReport: same,
      loadAfter: loadavg().map((x) => x.toFixed(2)).join(' '),
      ratingsPlan: plan.join(' | '),
      agreementItems: report.items,
      alpha: report.overall.alpha.value,
      pairs: report.byPair.length,
      labels: report.byLabel.length,
      disputed,
      openP50: percentile(opens, 50),
      openP95: percentile(opens, 95),
      opens: opens.length,
      compute100k: c100k.seconds,
      compute300k: c300k.seconds,
      compute1m: c1m.seconds,
      compute1mItems: c1m.items,
    };
  } finally {
    ws.close();
  }
}
