/**
 * Issue 14: deployment as a dimension (a canary deployment compared with the others) and
 * false-positive rates from per-flag calls. Known true values on a hand-built workspace, checked
 * against an independent computation from items, revisions and verdicts (no metric table), and
 * every bar's drill-down listing exactly its number of items.
 */
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { cellItemCount, foldNewItems } from '../../db/queries/metrics.ts';
import { filteredStatusCounts, queuePage } from '../../db/queries/items.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { dashboard, OTHER_DEPLOYMENTS, type Dashboard } from '../../electron/core/metrics/dashboard.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import type { Workspace } from '../../electron/core/workspace/open.ts';
import { ingestDemo } from '../../electron/core/demo/ingest-demo.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const DAY = Date.parse('2026-11-02T08:00:00Z');
const RANGE = { from: '2026-11-02', to: '2026-11-02' };

/** 20 items, each with two flags: det-noisy (top, jailbreak) and det-pii (pii); 0-9 on prod-a, 10-19 on canary-b. */
function records(): object[] {
  return Array.from({ length: 20 }, (_, i) => ({
    id: `case-${i}`,
    created_at: new Date(DAY + i * 60_000).toISOString(),
    priority: 'normal',
    route: 'trust_safety',
    input: `question ${i}`,
    output: `answer ${i}`,
    flags: [
      { source: 'det-noisy', category: 'jailbreak', policy: 'sec.jb', score: 0.9 },
      { source: 'det-pii', category: 'pii', policy: 'privacy.pii', score: 0.5 },
    ],
    provenance: { 'gen_ai.request.model': 'model-a', model_version: 'v1', deployment: i < 10 ? 'prod-a' : 'canary-b', trace_id: `t${i}`, span_id: `s${i}` },
  }));
}

async function build(ws: Workspace): Promise<{ ids: Map<string, string>; verdicts: Map<number, string> }> {
  const text = records().map((r) => JSON.stringify(r)).join('\n') + '\n';
  await ingest(ws, { path: '-', stream: Readable.from([text]), name: 'known' });
  const ids = new Map((ws.sqlite.prepare('SELECT external_id, id FROM items').all() as { external_id: string; id: string }[]).map((r) => [r.external_id, r.id]));
  const review = new ReviewService(ws);
  const verdicts = new Map<number, string>();
  const submit = (i: number, decision: 'violation' | 'dismiss', calls: [number, boolean][]) =>
    verdicts.set(i, review.submit({ itemId: ids.get(`case-${i}`)!, decision, reviewer: 'ana', flagReviews: calls.map(([flag, accepted]) => ({ flag, accepted })) }).id);
  for (let i = 0; i < 4; i++) submit(i, 'dismiss', [[0, false], [1, false]]); // both flags rejected
  for (let i = 4; i < 6; i++) submit(i, 'violation', [[0, false], [1, true]]); // a violation, but the noisy flag was wrong
  for (let i = 6; i < 8; i++) submit(i, 'dismiss', []); // no per-flag calls: the top flag, by the decision
  submit(8, 'violation', [[0, true]]); // det-pii left uncalled: not counted
  // 9: open
  for (let i = 10; i < 19; i++) submit(i, 'violation', []);
  submit(19, 'violation', [[0, true], [1, true]]);
  return { ids, verdicts };
}

/**
 * The false-positive units computed without any metric table: the verdict in force (the same
 * independent rule as metrics.test.ts), its per-flag calls resolved against the judged revision's
 * flags in JS, or the top flag judged by the decision.
 */
function independentCalls(sqlite: Database.Database, dim: 'source' | 'policy' | 'category') {
  const cur = sqlite
    .prepare(
      `WITH undone AS (SELECT supersedes AS id FROM verdicts WHERE kind = 'undo'),
       standing AS (SELECT v.* FROM verdicts v WHERE v.id NOT IN (SELECT id FROM undone WHERE id IS NOT NULL)),
       superseded AS (SELECT supersedes AS id FROM standing WHERE supersedes IS NOT NULL),
       cand AS (SELECT v.*, row_number() OVER (PARTITION BY v.item_seq ORDER BY v.seq DESC) AS rn FROM standing v
                WHERE v.kind IN ('verdict', 'amendment', 'import') AND v.decision <> 'skip' AND v.id NOT IN (SELECT id FROM superseded))
       SELECT c.item_seq AS item, c.decision, c.flag_reviews AS calls, r.record, i.top_flag_source AS source, i.top_flag_policy AS policy,
         i.top_flag_category AS category FROM cand c JOIN item_revisions r ON r.id = c.revision_id JOIN items i ON i.seq = c.item_seq
       WHERE c.rn = 1 AND c.decision IN ('violation', 'dismiss')`,
    )
    .all() as { item: number; decision: string; calls: string; record: string; source: string; policy: string; category: string }[];
  const out = new Map<string, { units: number; fp: number; perFlag: number; items: Set<number> }>();
  const add = (value: string, fp: boolean, perFlag: boolean, item: number) => {
    const o = out.get(value) ?? { units: 0, fp: 0, perFlag: 0, items: new Set<number>() };
    o.units++;
    if (fp) {
      o.fp++;
      o.items.add(item);
    }
    if (perFlag) o.perFlag++;
    out.set(value, o);
  };
  for (const c of cur) {
    const calls = JSON.parse(c.calls) as { flag: number; accepted: boolean }[];
    if (calls.length === 0) {
      add(c[dim] ?? '', c.decision === 'dismiss', false, c.item);
      continue;
    }
    const flags = (JSON.parse(c.record) as { flags: Record<string, string>[] }).flags;
    const byValue = new Map<string, boolean>();
    for (const call of calls) {
      const v = flags[call.flag]![dim] ?? '';
      byValue.set(v, (byValue.get(v) ?? false) || call.accepted);
    }
    for (const [v, anyAccepted] of byValue) add(v, !anyAccepted, true, c.item);
  }
  return out;
}

function crossCheck(ws: Workspace, d: Dashboard): void {
  for (const [dim, col] of [['detector', 'source'], ['policy', 'policy'], ['category', 'category']] as const) {
    const ind = independentCalls(ws.sqlite, col);
    const got = Object.fromEntries(d.flagRates[dim].map((r) => [r.key, [r.calls, r.falsePositives, r.perFlag]]));
    const want = Object.fromEntries([...ind].map(([k, v]) => [k || '(none)', [v.units, v.fp, v.perFlag]]));
    // The panel lists the 30 values with the most calls.
    expect(d.flagRates[dim]).toHaveLength(Math.min(30, ind.size));
    for (const k of Object.keys(got)) expect([k, got[k]]).toEqual([k, want[k]]);
    const least = Math.min(...d.flagRates[dim].map((r) => r.calls));
    for (const [k, v] of Object.entries(want)) if (!(k in got)) expect(v[0]!).toBeLessThanOrEqual(least);
  }
}

function drillDownsMatch(ws: Workspace, d: Dashboard): void {
  const cells = [
    ...d.flagRates.detector.map((r) => ({ cell: r.cell, n: r.falsePositives })),
    ...d.flagRates.policy.map((r) => ({ cell: r.cell, n: r.falsePositives })),
    ...d.flagRates.category.map((r) => ({ cell: r.cell, n: r.falsePositives })),
    ...d.deployments.map((r) => ({ cell: r.cell, n: r.confirmed })),
    ...d.regressions.map((r) => ({ cell: r.cell, n: Math.round(r.candidateRate * r.nCandidate) })),
  ];
  expect(cells.length).toBeGreaterThan(0);
  for (const { cell, n } of cells) {
    expect(cellItemCount(ws.sqlite, cell)).toBe(n);
    const counts = filteredStatusCounts(ws.sqlite, { oversight: cell });
    expect(Object.values(counts.counts).reduce((a, b) => a + b, 0)).toBe(n);
    expect(queuePage(ws.sqlite, { oversight: cell }, null, 500).rows.length).toBe(Math.min(n, 500));
  }
}

describe('oversight: deployments and per-flag false positives', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('equal the known true values, an independent computation, and their drill-downs, through amendments and undos', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const { verdicts } = await build(t.ws);
    foldNewItems(t.ws.sqlite);
    let d = dashboard(t.ws.sqlite, RANGE);
    const by = (rows: Dashboard['flagRates']['detector'], key: string) => rows.find((r) => r.key === key)!;
    // det-noisy: every reviewed item (0-8, 10-19: 19); false positives 0-3 and 4-5 (called), 6-7 (dismissed, no calls).
    expect(by(d.flagRates.detector, 'det-noisy')).toMatchObject({ calls: 19, falsePositives: 8, perFlag: 8, perFlagFalsePositives: 6 });
    // det-pii: only where it was called (0-5, 19); 8 left it uncalled, items without calls count their top flag only.
    expect(by(d.flagRates.detector, 'det-pii')).toMatchObject({ calls: 7, falsePositives: 4, perFlag: 7, perFlagFalsePositives: 4 });
    expect(by(d.flagRates.category, 'jailbreak')).toMatchObject({ calls: 19, falsePositives: 8 });
    expect(by(d.flagRates.policy, 'privacy.pii')).toMatchObject({ calls: 7, falsePositives: 4 });
    // The item-level rate by top flag (dismissed ÷ reviewed) would say 6 of 19 for det-noisy.
    expect(d.detectors.find((r) => r.key === 'det-noisy')).toMatchObject({ reviewed: 19, dismissed: 6 });

    // Deployments: prod-a confirms 3 of 9 reviewed, canary-b 10 of 10: the canary stands out.
    expect(d.deployments.map((r) => [r.deployment, r.confirmed, r.reviewed, r.items])).toEqual([['canary-b', 10, 10, 10], ['prod-a', 3, 9, 10]]);
    const canary = d.deployments.find((r) => r.deployment === 'canary-b')!;
    expect(canary.lo).toBeGreaterThan(d.deployments.find((r) => r.deployment === 'prod-a')!.hi!);
    const reg = d.regressions.filter((r) => r.dimension === 'deployment');
    expect(reg).toHaveLength(1);
    expect(reg[0]).toMatchObject({ candidate: 'canary-b', baseline: OTHER_DEPLOYMENTS, category: 'jailbreak', nCandidate: 10, nBase: 9 });
    // The deployment filter: every panel narrows to it.
    const f = dashboard(t.ws.sqlite, { ...RANGE, deployment: 'prod-a' });
    expect(f.totals).toMatchObject({ n: 10, violation: 3, dismiss: 6, open: 1 });
    expect(by(f.flagRates.detector, 'det-noisy')).toMatchObject({ calls: 9, falsePositives: 8 });
    expect(f.ttd.find((r) => r.priority === 2)!.decided).toBe(9);
    crossCheck(t.ws, d);
    drillDownsMatch(t.ws, d);
    drillDownsMatch(t.ws, f);

    // An amendment with its own calls replaces the item's calls; an undo retracts them.
    const review = new ReviewService(t.ws);
    review.amend(verdicts.get(6)!, { decision: 'violation', reviewer: 'lead', flagReviews: [{ flag: 0, accepted: true }, { flag: 1, accepted: false }] });
    review.submit({ itemId: t.ws.sqlite.prepare("SELECT id FROM items WHERE external_id = 'case-9'").pluck().get() as string, decision: 'dismiss', reviewer: 'bo', flagReviews: [{ flag: 1, accepted: false }] });
    review.undo('bo');
    foldNewItems(t.ws.sqlite);
    d = dashboard(t.ws.sqlite, RANGE);
    expect(by(d.flagRates.detector, 'det-noisy')).toMatchObject({ calls: 19, falsePositives: 7, perFlag: 9, perFlagFalsePositives: 6 });
    expect(by(d.flagRates.detector, 'det-pii')).toMatchObject({ calls: 8, falsePositives: 5, perFlag: 8 });
    crossCheck(t.ws, d);
    drillDownsMatch(t.ws, d);
    // The rows the panels sum (no flag cube since 0021) are those a fresh build from the view gives.
    const cols = 'item_seq, dim, value, day, route, category, policy, detector, model, version, deployment, reviewer';
    const fresh = t.ws.sqlite
      .prepare(`SELECT ${cols}, min(false_pos), max(per_flag) FROM metric_flag_calls GROUP BY item_seq, dim, value ORDER BY 1, 2, 3`)
      .raw()
      .all();
    const kept = t.ws.sqlite.prepare(`SELECT ${cols}, false_pos, per_flag FROM metric_flag_items ORDER BY 1, 2, 3`).raw().all();
    expect(fresh.length).toBeGreaterThan(0);
    expect(kept).toEqual(fresh);
  });

  it('on the demo workspace: the canary deployment regresses and the noisy detector has per-flag false positives', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 600, 5, { reviews: true });
    foldNewItems(t.ws.sqlite);
    const d = dashboard(t.ws.sqlite, { from: '2026-10-01', to: '2026-11-30' });
    crossCheck(t.ws, d);
    drillDownsMatch(t.ws, d);
    expect(d.regressions.some((r) => r.dimension === 'deployment' && r.candidate.startsWith('canary') && r.category === 'hallucination')).toBe(true);
    const noisy = d.flagRates.detector[0]!;
    expect(noisy.key).toBe('jailbreak-classifier');
    expect(noisy.perFlag).toBeGreaterThan(noisy.calls / 2);
    expect(noisy.perFlagFalsePositives / noisy.perFlag).toBeGreaterThan(0.6);
  });
});
