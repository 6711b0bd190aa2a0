/**
 * The verdict counted inside its own write transaction (countVerdictsInWrite: issue 14's other
 * design, weighed by bench/oversight-inwrite.ts, not the app's policy). It is the batched fold's
 * own verdict step under the writer's lock: a verdict is counted once, there or by the catch-up,
 * and the tables end up as a batched catch-up leaves them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { foldNewItems, mergePendingSums, metricDays } from '../../db/queries/metrics.ts';
import { countVerdictsInWrite } from '../../db/queries/metrics-fold.ts';
import { dashboard } from '../../electron/core/metrics/dashboard.ts';
import { ingestDemo, recordDemoReviews } from '../../electron/core/demo/ingest-demo.ts';
import { ReviewService, type VerdictInput } from '../../electron/core/review/verdicts.ts';
import { writeTransaction } from '../../electron/core/workspace/write-lock.ts';
import type { Workspace } from '../../electron/core/workspace/open.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const TABLES = ['metric_items', 'metric_flag_items', 'metric_reviewer_daily', 'metric_cube', 'metric_ttd', 'metric_cell_items'];
/** Every metric table's rows after the pending differences are merged, and the marks. */
function state(ws: Workspace) {
  const s = ws.sqlite;
  s.transaction(() => mergePendingSums(s)).immediate();
  const out: Record<string, unknown> = {};
  for (const t of TABLES)
    out[t] = (s.prepare(`SELECT * FROM ${t} WHERE ${t.startsWith('metric_c') || t === 'metric_ttd' ? 'n <> 0' : 'true'}`).raw().all() as unknown[][])
      .map((r) => JSON.stringify(r))
      .sort();
  out.marks = s.prepare("SELECT key, value FROM meta WHERE key LIKE 'metrics_folded%' ORDER BY key").raw().all();
  return out;
}

async function demo() {
  const t = tempWorkspace();
  await ingestDemo(t.ws, 160, 5);
  recordDemoReviews(t.ws, 160, 5);
  foldNewItems(t.ws.sqlite);
  return t;
}

/** The metric tables emptied and their marks reset: the next catch-up counts everything from the logs. */
function recount(ws: Workspace): void {
  const s = ws.sqlite;
  for (const t of [...TABLES, 'metric_cube_pending', 'metric_ttd_pending', 'metric_cell_items_pending']) s.exec(`DELETE FROM ${t}`);
  s.exec("DELETE FROM meta WHERE key IN ('metrics_folded_seq', 'metrics_folded_verdict_seq')");
  foldNewItems(s);
}

/** A first decision with a flag call, another, a second reviewer's call on the first item, an escalation (then an undo). */
function decisions(ws: Workspace): VerdictInput[] {
  const open = ws.sqlite.prepare("SELECT id FROM items WHERE status = 'new' ORDER BY seq LIMIT 3").pluck().all() as string[];
  expect(open).toHaveLength(3);
  // Escalated to its own route: a recount reads an item's dimensions as they are now, the fold as
  // they were when the item was counted in (a route change is not a verdict's to count).
  const route = ws.sqlite.prepare('SELECT route FROM items WHERE id = ?').pluck().get(open[2]) as string;
  return [
    { itemId: open[0]!, decision: 'violation', reviewer: 'ana', flagReviews: [{ flag: 0, accepted: true }] },
    { itemId: open[1]!, decision: 'dismiss', reviewer: 'ana' },
    { itemId: open[0]!, decision: 'dismiss', reviewer: 'ben', flagReviews: [{ flag: 0, accepted: false }] },
    { itemId: open[2]!, decision: 'escalate', reviewer: 'ana', routeTo: route },
  ];
}

describe('a verdict counted inside its write', () => {
  let cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups) c();
    cleanups = [];
  });

  it('leaves the metric tables as a recount from the logs does, each verdict counted once', async () => {
    const t = await demo();
    cleanups.push(t.cleanup);
    const s = t.ws.sqlite;
    const review = new ReviewService(t.ws);
    const counted = (write: () => void) =>
      writeTransaction(s, t.ws.path, () => {
        write();
        expect(countVerdictsInWrite(s, 1)).toBe(true);
      });
    for (const d of decisions(t.ws)) counted(() => review.submit(d));
    counted(() => review.undo('ana'));
    // Nothing left for a catch-up.
    expect(foldNewItems(s)).toBe(0);
    const ext = metricDays(s)!;
    const panels = dashboard(s, { from: ext.first, to: ext.last });
    const kept = state(t.ws);
    recount(t.ws);
    expect(state(t.ws)).toEqual(kept);
    expect(dashboard(s, { from: ext.first, to: ext.last })).toEqual(panels);
  });

  it('leaves a backlog larger than it may take to the catch-up, and runs only inside a transaction', async () => {
    const t = await demo();
    cleanups.push(t.cleanup);
    const s = t.ws.sqlite;
    const review = new ReviewService(t.ws);
    const [first, second] = decisions(t.ws);
    review.submit(first!);
    const mark = s.prepare("SELECT value FROM meta WHERE key = 'metrics_folded_verdict_seq'").pluck();
    const before = mark.get();
    writeTransaction(s, t.ws.path, () => {
      review.submit(second!);
      expect(countVerdictsInWrite(s, 1)).toBe(false);
    });
    expect(mark.get()).toBe(before);
    expect(() => countVerdictsInWrite(s, 1)).toThrow(/inside a write transaction/);
    expect(foldNewItems(s)).toBe(2);
  });
});
