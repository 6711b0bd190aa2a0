import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { cellItemCount, foldNewItems, mergePendingSums } from '../../db/queries/metrics.ts';
import { filteredStatusCounts, queuePage } from '../../db/queries/items.ts';
import { recordDemoReviews, ingestDemo } from '../../electron/core/demo/ingest-demo.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { dashboard, type Dashboard } from '../../electron/core/metrics/dashboard.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import type { Workspace } from '../../electron/core/workspace/open.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const H = 3_600_000;
const DAY1 = Date.parse('2026-11-02T08:00:00Z');
const DAY2 = Date.parse('2026-11-03T08:00:00Z');

/** 24 items whose every metric is known: see the comments in `decide`. */
function records(): object[] {
  return Array.from({ length: 24 }, (_, i) => {
    const [source, category, policy] = i < 8 ? ['det-noisy', 'jailbreak', 'sec.jb'] : i < 16 ? ['det-ground', 'hallucination', 'quality.grounded'] : ['det-pii', 'pii', 'privacy.pii'];
    return {
      id: `case-${i}`,
      created_at: new Date((i < 12 ? DAY1 : DAY2) + i * 60_000).toISOString(),
      priority: 'normal',
      route: 'trust_safety',
      input: `question ${i}`,
      output: `answer ${i}`,
      flags: [{ source, category, policy, score: 0.9 }],
      provenance: {
        'gen_ai.request.model': 'model-a',
        model_version: i % 2 === 0 ? 'v1' : 'v2',
        ...(i === 5 ? {} : { trace_id: `t${i}`, span_id: `s${i}` }),
      },
    };
  });
}

async function build(ws: Workspace): Promise<Map<string, string>> {
  const text = records().map((r) => JSON.stringify(r)).join('\n') + '\n';
  await ingest(ws, { path: '-', stream: Readable.from([text]), name: 'known' });
  const ids = new Map((ws.sqlite.prepare('SELECT external_id, id FROM items').all() as { external_id: string; id: string }[]).map((r) => [r.external_id, r.id]));
  const review = new ReviewService(ws);
  const created = (i: number) => (i < 12 ? DAY1 : DAY2) + i * 60_000;
  const at = (i: number, hours: number) => new Date(created(i) + hours * H).toISOString();
  const submit = (i: number, decision: 'violation' | 'dismiss' | 'escalate', reviewer: string, hours: number, labels: string[] = []) =>
    review.submit({ itemId: ids.get(`case-${i}`)!, decision, reviewer, decidedAt: at(i, hours), labels, routeTo: decision === 'escalate' ? 'legal' : null });
  for (let i = 0; i < 6; i++) submit(i, 'dismiss', 'ana', 1.5); // the noisy detector: 6 of its 8 dismissed
  submit(6, 'violation', 'ana', 30); // decided past the 24 h SLA
  submit(7, 'violation', 'ana', 30); // decided past the 24 h SLA
  for (let i = 8; i < 14; i++) submit(i, 'violation', 'bo', 1.5, ['hallucination']);
  submit(14, 'dismiss', 'bo', 1.5);
  // 15: never decided
  for (let i = 16; i < 20; i++) submit(i, 'violation', 'ana', 1.5, ['pii_exposure']);
  submit(20, 'escalate', 'ana', 1);
  const v21 = submit(21, 'dismiss', 'ana', 1.5);
  review.amend(v21.id, { decision: 'violation', reviewer: 'lead', labels: ['pii_exposure'], decidedAt: at(21, 5) }); // overturned
  submit(22, 'violation', 'bo', 1.5);
  submit(22, 'violation', 'chen', 3); // double review, agreeing
  submit(23, 'violation', 'ana', 1.5);
  review.undo('ana'); // retracts 23: open again
  return ids;
}

/**
 * The same figures computed independently from items and verdicts (no metric table or view): the
 * verdict in force is the last verdict/amendment/import row (not a skip) that no standing row supersedes.
 */
function independent(sqlite: Database.Database, from: string, to: string) {
  return sqlite
    .prepare(
      `WITH undone AS (SELECT supersedes AS id FROM verdicts WHERE kind = 'undo'),
       standing AS (SELECT v.* FROM verdicts v WHERE v.id NOT IN (SELECT id FROM undone WHERE id IS NOT NULL)),
       superseded AS (SELECT supersedes AS id FROM standing WHERE supersedes IS NOT NULL),
       cand AS (SELECT v.*, row_number() OVER (PARTITION BY v.item_seq ORDER BY v.seq DESC) AS rn FROM standing v
                WHERE v.kind IN ('verdict', 'amendment', 'import') AND v.decision <> 'skip' AND v.id NOT IN (SELECT id FROM superseded)),
       cur AS (SELECT * FROM cand WHERE rn = 1),
       it AS (SELECT i.*, coalesce(c.decision, 'open') AS dec, c.labels AS labels FROM items i LEFT JOIN cur c ON c.item_seq = i.seq
              WHERE date(i.created_at) BETWEEN ? AND ?)
       SELECT top_flag_source AS detector, count(*) AS n,
         sum(dec = 'violation') AS violation, sum(dec = 'dismiss') AS dismiss, sum(dec = 'escalate') AS escalate, sum(dec = 'open') AS open,
         sum(dec = 'violation' AND (labels LIKE '%"hallucination"%' OR top_flag_category = 'hallucination')) AS halluc,
         sum(dec = 'violation' AND (labels LIKE '%"pii_exposure"%' OR top_flag_category = 'pii')) AS pii
       FROM it GROUP BY top_flag_source ORDER BY 1`,
    )
    .all(from, to) as { detector: string; n: number; violation: number; dismiss: number; escalate: number; open: number; halluc: number; pii: number }[];
}

const value = (d: Dashboard, key: string) => d.headline.find((h) => h.key === key)!;

function crossCheck(ws: Workspace, d: Dashboard, from: string, to: string): void {
  const ind = independent(ws.sqlite, from, to);
  const sum = (k: 'n' | 'violation' | 'dismiss' | 'escalate' | 'open' | 'halluc' | 'pii') => ind.reduce((a, r) => a + r[k], 0);
  expect(d.totals.n).toBe(sum('n'));
  expect(d.totals.violation).toBe(sum('violation'));
  expect(d.totals.dismiss).toBe(sum('dismiss'));
  expect(d.totals.escalate).toBe(sum('escalate'));
  expect(d.totals.open).toBe(sum('open'));
  expect(d.totals.halluc).toBe(sum('halluc'));
  expect(d.totals.pii).toBe(sum('pii'));
  for (const row of d.detectors) {
    const r = ind.find((x) => (x.detector ?? '(none)') === row.key || (x.detector === null && row.key === '(none)'))!;
    expect({ key: row.key, v: row.confirmed, d: row.dismissed }).toEqual({ key: row.key, v: r.violation, d: r.dismiss });
  }
}

/** Every bar's cell lists exactly its number of items, in metric_items and through the queue filter. */
function drillDownsMatch(ws: Workspace, d: Dashboard): void {
  const cells = [
    ...d.detectors.map((r) => ({ cell: r.cell, n: r.dismissed })),
    ...d.categories.map((r) => ({ cell: r.cell, n: r.confirmed })),
    ...d.models.map((r) => ({ cell: r.cell, n: r.confirmed })),
    ...d.ttd.map((r) => ({ cell: r.cell, n: r.breached })),
    ...d.headline.filter((h) => h.cell && h.key !== 'escalation_per_1000').map((h) => ({ cell: h.cell!, n: h.num })),
  ];
  for (const { cell, n } of cells) {
    expect(cellItemCount(ws.sqlite, cell)).toBe(n);
    const counts = filteredStatusCounts(ws.sqlite, { oversight: cell });
    expect(Object.values(counts.counts).reduce((a, b) => a + b, 0)).toBe(n);
    expect(queuePage(ws.sqlite, { oversight: cell }, null, 500).rows.length).toBe(Math.min(n, 500));
  }
}

describe('oversight metrics', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('equal the known true values of a hand-built workspace, and an independent SQL computation', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await build(t.ws);
    foldNewItems(t.ws.sqlite);
    const d = dashboard(t.ws.sqlite, { from: '2026-11-02', to: '2026-11-03' });
    expect(d.totals).toMatchObject({ n: 24, violation: 14, dismiss: 7, escalate: 1, open: 2, halluc: 6, pii: 6, overturned: 1, overlap: 1, agreed: 1, traced: 23, breached: 2 });
    expect(value(d, 'violation_rate')).toMatchObject({ num: 14, den: 21 });
    expect(value(d, 'false_positive_rate')).toMatchObject({ num: 7, den: 21 });
    expect(value(d, 'hallucination_rate')).toMatchObject({ num: 6, den: 21 });
    expect(value(d, 'expert_escalation_rate')).toMatchObject({ num: 1, den: 22 });
    expect(value(d, 'overturn_rate')).toMatchObject({ num: 1, den: 21 });
    expect(value(d, 'audit_completeness')).toMatchObject({ num: 23, den: 24 });
    expect(value(d, 'agreement')).toMatchObject({ num: 1, den: 1 });
    expect(value(d, 'escalation_per_1000').value).toBeNull();
    const noisy = d.detectors.find((r) => r.key === 'det-noisy')!;
    expect(noisy).toMatchObject({ reviewed: 8, dismissed: 6, confirmed: 2, rate: 0.75 });
    expect(d.detectors[0]!.key).toBe('det-noisy');
    // Time to first decision: 90 min for most, 30 h for two, 1 h for the escalation; none undone counted.
    const normal = d.ttd.find((r) => r.priority === 2)!;
    expect(normal).toMatchObject({ decided: 22, breached: 2, p50Ms: 7_200_000, p95Ms: 172_800_000 });
    // By day: day 2 holds items 12..23.
    expect(d.daily.map((r) => [r.day, r.open + r.violation + r.dismiss + r.escalate])).toEqual([['2026-11-02', 12], ['2026-11-03', 12]]);
    // A reviewer filter (the reviewer of the verdict in force): bo holds 8-14 (22 went to chen's later verdict).
    expect(dashboard(t.ws.sqlite, { from: '2026-11-02', to: '2026-11-03', reviewer: 'bo' }).totals).toMatchObject({ n: 7, violation: 6, dismiss: 1, halluc: 6 });
    expect(dashboard(t.ws.sqlite, { from: '2026-11-02', to: '2026-11-03', reviewer: 'lead' }).totals).toMatchObject({ n: 1, violation: 1, overturned: 1 });
    const one = dashboard(t.ws.sqlite, { from: '2026-11-03', to: '2026-11-03', version: 'v2' });
    expect(one.totals.n).toBe(6);
    // Reviewers: ana decided 0-7, 16-21 and 23 (15), bo 8-14 and 22 (8), chen 1, lead 1.
    expect(Object.fromEntries(d.reviewers.map((r) => [r.reviewer, r.decisions]))).toEqual({ ana: 15, bo: 8, chen: 1, lead: 1 });
    crossCheck(t.ws, d, '2026-11-02', '2026-11-03');
    drillDownsMatch(t.ws, d);
  });

  it('stay equal to the independent computation on the demo workspace, through later verdicts, amendments and undos', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 600, 5);
    foldNewItems(t.ws.sqlite);
    // The verdicts land after the items were folded: the next fold catches up with them.
    recordDemoReviews(t.ws, 600, 5);
    foldNewItems(t.ws.sqlite);
    const range = { from: '2026-10-01', to: '2026-11-30' };
    let d = dashboard(t.ws.sqlite, range);
    expect(d.totals.n).toBe(600);
    crossCheck(t.ws, d, range.from, range.to);
    drillDownsMatch(t.ws, d);
    expect(d.regressions.some((r) => r.category === 'hallucination' && r.candidate === '2026.11.0-rc1')).toBe(true);
    expect(d.detectors[0]!.key).toBe('jailbreak-classifier');

    const review = new ReviewService(t.ws);
    const open = t.ws.sqlite.prepare("SELECT i.id FROM items i JOIN metric_items m ON m.item_seq = i.seq WHERE m.state = 'open' LIMIT 5").pluck().all() as string[];
    for (const id of open) review.submit({ itemId: id, decision: 'violation', reviewer: 'zed' });
    review.undo('zed');
    const decided = t.ws.sqlite.prepare("SELECT v.id FROM verdicts v WHERE v.kind = 'verdict' AND v.decision = 'dismiss' AND v.reviewer = 'ana' ORDER BY v.seq LIMIT 3").pluck().all() as string[];
    for (const id of decided) {
      try {
        review.amend(id, { decision: 'violation', reviewer: 'lead.kim' });
      } catch {
        // already superseded in the simulated history: fine, the next one is amended
      }
    }
    expect(foldNewItems(t.ws.sqlite)).toBeGreaterThan(0);
    d = dashboard(t.ws.sqlite, range);
    crossCheck(t.ws, d, range.from, range.to);
    drillDownsMatch(t.ws, d);
    // Folding in chunks gives the same tables as folding at once.
    // (Pending differences merged first: how they split between steps depends on the chunks.)
    const snapshot = (ws: Workspace) => {
      ws.sqlite.transaction(() => mergePendingSums(ws.sqlite)).immediate();
      return ws.sqlite.prepare('SELECT * FROM metric_cube WHERE n > 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8').all();
    };
    const u = tempWorkspace();
    try {
      await ingestDemo(u.ws, 600, 5);
      recordDemoReviews(u.ws, 600, 5);
      foldNewItems(u.ws.sqlite, 37);
      const v = tempWorkspace();
      try {
        await ingestDemo(v.ws, 600, 5);
        recordDemoReviews(v.ws, 600, 5);
        foldNewItems(v.ws.sqlite);
        expect(snapshot(u.ws)).toEqual(snapshot(v.ws));
      } finally {
        v.cleanup();
      }
    } finally {
      u.cleanup();
    }
  });
});
