/**
 * When the metric upkeep runs: in committed steps with a turn of the event loop between them (a
 * submit lands mid-way), never twice over the same verdicts when two folds meet, and before a
 * read. When it runs in the background: upkeep-policy.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { foldNewItems, foldNewItemsAsync, mergePendingSums, metricDays } from '../../db/queries/metrics.ts';
import { dashboard } from '../../electron/core/metrics/dashboard.ts';
import { ingestDemo, recordDemoReviews } from '../../electron/core/demo/ingest-demo.ts';
import { createMetricUpkeep } from '../../electron/core/metrics/upkeep.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import type { Workspace } from '../../electron/core/workspace/open.ts';
import { tempWorkspace } from '../helpers/workspace.ts';
import { CELLS_WITH_PENDING, CUBE_WITH_PENDING, cubeStatesSql } from '../helpers/cube.ts';

/** Counts kept by the upkeep against the same counts read from the logs and metric_items directly. */
function kept(ws: Workspace) {
  const s = ws.sqlite;
  return {
    decisions: s.prepare('SELECT coalesce(sum(decisions), 0) FROM metric_reviewer_daily').pluck().get(),
    // With the pending differences not yet merged into the cube (migration 0021).
    cube: s
      .prepare(`SELECT state, sum(n) FROM (${cubeStatesSql(CUBE_WITH_PENDING, CELLS_WITH_PENDING)}) GROUP BY state HAVING sum(n) <> 0 ORDER BY state`)
      .raw()
      .all(),
  };
}
function truth(ws: Workspace) {
  const s = ws.sqlite;
  return {
    decisions: s.prepare("SELECT count(*) FROM verdicts WHERE kind IN ('verdict', 'amendment', 'import') AND decision IN ('violation', 'dismiss', 'escalate')").pluck().get(),
    cube: s.prepare('SELECT state, count(*) FROM metric_items GROUP BY state ORDER BY state').raw().all(),
  };
}
const folded = (ws: Workspace) =>
  ws.sqlite.prepare("SELECT value FROM meta WHERE key = 'metrics_folded_verdict_seq'").pluck().get() === String(ws.sqlite.prepare('SELECT max(seq) FROM verdicts').pluck().get());

describe('metric upkeep', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('merges the pending differences into the sums when a step finds enough of them, with the same numbers before and after', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 300, 7);
    recordDemoReviews(t.ws, 300, 7);
    const s = t.ws.sqlite;
    const pending = s.prepare('SELECT (SELECT count(*) FROM metric_cube_pending) + (SELECT count(*) FROM metric_ttd_pending) + (SELECT count(*) FROM metric_cell_items_pending)').pluck();
    // Small steps, merged (in steps of their own) once 500 rows are pending: fewer are left after any step.
    const progress: number[] = [];
    foldNewItems(s, { chunk: 40, mergeAt: 500, onProgress: (p) => progress.push(p.done) });
    expect(s.prepare('SELECT count(*) FROM metric_cube WHERE n > 0').pluck().get()).toBeGreaterThan(0);
    const left = pending.get() as number;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(500);
    // Merge steps report no progress of their own.
    expect(progress.length).toBe(Math.ceil(300 / 40) + Math.ceil((s.prepare('SELECT max(seq) FROM verdicts').pluck().get() as number) / 40));
    expect(kept(t.ws)).toEqual(truth(t.ws));
    const ext = metricDays(s)!;
    const before = dashboard(s, { from: ext.first, to: ext.last });
    s.transaction(() => mergePendingSums(s)).immediate();
    expect(pending.get()).toBe(0);
    expect(dashboard(s, { from: ext.first, to: ext.last })).toEqual(before);
    expect(kept(t.ws)).toEqual(truth(t.ws));
  });

  it('a step that fails leaves nothing staged for the next one (the staging is emptied only where it holds rows)', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 200, 4);
    recordDemoReviews(t.ws, 200, 4);
    const s = t.ws.sqlite;
    foldNewItems(s);
    const review = new ReviewService(t.ws);
    const open = s.prepare("SELECT id FROM items WHERE status = 'new' ORDER BY seq LIMIT 6").pluck().all() as string[];
    expect(open).toHaveLength(6);
    // A fold whose staging keeps rows (a step leaves them for the next to clear).
    for (const id of open.slice(0, 3)) review.submit({ itemId: id, decision: 'violation', reviewer: 'ana', flagReviews: [{ flag: 0, accepted: true }] });
    foldNewItems(s);
    // The next fold fails after it emptied and refilled the staging: its rollback brings the earlier rows back.
    for (const id of open.slice(3)) review.submit({ itemId: id, decision: 'dismiss', reviewer: 'bo' });
    s.exec("CREATE TEMP TRIGGER fail_fold BEFORE UPDATE ON main.metric_items BEGIN SELECT RAISE(ABORT, 'disk gone'); END");
    expect(() => foldNewItems(s)).toThrow('disk gone');
    s.exec('DROP TRIGGER fail_fold');
    foldNewItems(s);
    expect(kept(t.ws)).toEqual(truth(t.ws));
    const flagRows = (sql: string) => s.prepare(`${sql} ORDER BY 1, 2, 3`).raw().all();
    const fresh = flagRows('SELECT item_seq, dim, value, reviewer, min(false_pos) FROM metric_flag_calls GROUP BY item_seq, dim, value');
    expect(flagRows('SELECT item_seq, dim, value, reviewer, false_pos FROM metric_flag_items')).toEqual(fresh);
    expect(fresh.length).toBeGreaterThan(0);
  });

  it('folds in steps a submit can land between, and a fold that meets another does not count twice', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 400, 3);
    recordDemoReviews(t.ws, 400, 3);
    const review = new ReviewService(t.ws);
    const open = t.ws.sqlite.prepare("SELECT id FROM items WHERE status = 'new' LIMIT 3").pluck().all() as string[];
    expect(open).toHaveLength(3);
    const seen: string[] = [];
    const fold = foldNewItemsAsync(t.ws.sqlite, { chunk: 25, onProgress: (p) => seen.push(`${p.phase} ${p.done}/${p.total}`) });
    // The fold has given the event loop a turn after its first step: a reviewer's submit runs now.
    await new Promise<void>((r) => setImmediate(r));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)).not.toMatch(/verdicts (\d+)\/\1$/);
    review.submit({ itemId: open[0]!, decision: 'violation', reviewer: 'mid-fold' });
    // A synchronous fold (a drill-down) runs to the end meanwhile; the first one then stops.
    foldNewItems(t.ws.sqlite);
    review.submit({ itemId: open[1]!, decision: 'dismiss', reviewer: 'mid-fold' });
    await fold;
    foldNewItems(t.ws.sqlite);
    expect(kept(t.ws)).toEqual(truth(t.ws));
    expect(t.ws.sqlite.prepare("SELECT count(*) FROM metric_items WHERE reviewer = 'mid-fold'").pluck().get()).toBe(2);
  });

  it('catches up before a read (when in the background: upkeep-policy.test.ts)', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 120, 4);
    recordDemoReviews(t.ws, 120, 4);
    const upkeep = createMetricUpkeep(t.ws, { background: false });
    try {
      expect(folded(t.ws)).toBe(false);
      await upkeep.catchUp();
      expect(folded(t.ws)).toBe(true);
      expect(kept(t.ws)).toEqual(truth(t.ws));
      // A verdict just submitted is counted by the next read's catch-up (no background run needed).
      const id = t.ws.sqlite.prepare("SELECT id FROM items WHERE status = 'new' LIMIT 1").pluck().get() as string;
      new ReviewService(t.ws).submit({ itemId: id, decision: 'violation', reviewer: 'next-read' });
      await upkeep.catchUp();
      expect(t.ws.sqlite.prepare("SELECT count(*) FROM metric_items WHERE reviewer = 'next-read'").pluck().get()).toBe(1);
      expect(kept(t.ws)).toEqual(truth(t.ws));
    } finally {
      upkeep.close();
    }
  });

  it('reports the progress of a catch-up on a backlog (the app shows it), and says nothing for a small one', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 300, 5);
    recordDemoReviews(t.ws, 300, 5);
    const pending = t.ws.sqlite.prepare('SELECT max(seq) FROM verdicts').pluck().get() as number;
    const events: { phase: string; done: number; total: number }[] = [];
    const upkeep = createMetricUpkeep(t.ws, { reportFrom: 100, onProgress: (p) => events.push({ ...p }) });
    try {
      await upkeep.catchUp();
      // Items first, then verdicts; each phase ends at its total, and done only grows.
      expect(events.map((e) => e.phase)).toEqual([...events.filter((e) => e.phase === 'items').map(() => 'items'), ...events.filter((e) => e.phase === 'verdicts').map(() => 'verdicts')]);
      expect(events.find((e) => e.phase === 'items' && e.done === e.total)?.total).toBe(300);
      expect(events.find((e) => e.phase === 'verdicts' && e.done === e.total)?.total).toBe(pending);
      for (const [a, b] of events.slice(1).map((e, i) => [events[i]!, e] as const)) if (a.phase === b.phase) expect(b.done).toBeGreaterThan(a.done);
      expect(pending).toBeGreaterThan(100);
      // One verdict: the read's catch-up is one small step, not a backlog.
      const id = t.ws.sqlite.prepare("SELECT id FROM items WHERE status = 'new' LIMIT 1").pluck().get() as string;
      new ReviewService(t.ws).submit({ itemId: id, decision: 'dismiss', reviewer: 'zed' });
      const before = events.length;
      await upkeep.catchUp();
      expect(events.length).toBe(before);
      expect(folded(t.ws)).toBe(true);
    } finally {
      upkeep.close();
    }
  });
});
