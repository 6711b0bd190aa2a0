/**
 * Migration 0023 (open items out of the cube: metric_cell_items): a workspace at the previous version
 * with data, and with differences still pending, upgrades to the same panel numbers as a fresh
 * catch-up of the same data; the cube per state equals a GROUP BY over metric_items; a verdict on
 * an open item then adds one pending cube row (its decided cell), none for the open cell; the
 * drill-downs of open and decided tiles list their counts.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cellItemCount, foldNewItems, mergePendingSums, metricDays } from '../../db/queries/metrics.ts';
import { ingestDemo } from '../../electron/core/demo/ingest-demo.ts';
import { dashboard } from '../../electron/core/metrics/dashboard.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { codeSchemaVersion, openWorkspace } from '../../electron/core/workspace/open.ts';
import { busiestReviewer, CUBE_CELL, cubeStatesSql, rollback0023 } from '../helpers/cube.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const SUMS = 'count(*), sum(traced), sum(first_ms IS NOT NULL), sum(breached), sum(overturned), sum(overlap), sum(agreed), sum(halluc), sum(pii), sum(coalesce(first_ms - created_ms, 0)), sum(calls)';
const KEPT = 'n, traced, decided, breached, overturned, overlap, agreed, halluc, pii, ttd_ms, calls';

/** The cube (its pending rows merged) per cell and state against a GROUP BY over metric_items. */
function expectCubeEqualsItems(s: Database.Database): void {
  s.transaction(() => mergePendingSums(s)).immediate();
  const cell = `${CUBE_CELL}, state`;
  const plain = s.prepare(`SELECT ${cell}, ${SUMS} FROM metric_items GROUP BY ${cell} ORDER BY ${cell}`).raw().all();
  expect(s.prepare(`SELECT ${cell}, ${KEPT} FROM (${cubeStatesSql()}) WHERE n <> 0 ORDER BY ${cell}`).raw().all()).toEqual(plain);
  expect(s.prepare(`SELECT ${CUBE_CELL}, n, traced FROM metric_cell_items WHERE n <> 0 ORDER BY ${CUBE_CELL}`).raw().all()).toEqual(
    s.prepare(`SELECT ${CUBE_CELL}, count(*), sum(traced) FROM metric_items GROUP BY ${CUBE_CELL} ORDER BY ${CUBE_CELL}`).raw().all(),
  );
  expect(s.prepare("SELECT count(*) FROM metric_cube WHERE state = 'open' AND (n <> 0 OR traced <> 0)").pluck().get()).toBe(0);
}

describe('migration 0023 (open items out of the cube)', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('upgrades a 0022 workspace with pending differences to the panels of a fresh catch-up; a verdict on an open item adds one cube row', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 600, 5, { reviews: true });
    foldNewItems(t.ws.sqlite);
    const ext = metricDays(t.ws.sqlite)!;
    const reviewer = busiestReviewer(t.ws.sqlite);
    const wide = { from: ext.first, to: ext.last };
    const scopes = [wide, { from: ext.last, to: ext.last }, { ...wide, reviewer }, { ...wide, deployment: 'canary-us-east-1' }, { ...wide, detector: 'jailbreak-classifier' }];
    const panels = (s: Database.Database) => scopes.map((f) => dashboard(s, f));
    const fresh = panels(t.ws.sqlite);
    expect(fresh[0]!.totals.open).toBeGreaterThan(10);
    expect(fresh[0]!.totals.violation).toBeGreaterThan(10);
    t.ws.close();
    // Back to 0022: the open items in their cells' 'open' rows. Then some cells' sums moved into
    // the pending rows as an 0022 build left them (a cell split between the two, and a +x/-x pair).
    const raw = new Database(t.path);
    rollback0023(raw);
    // Back at 0022 (rollback0023 takes back later migrations too).
    expect(raw.prepare('SELECT max(created_at) FROM __drizzle_migrations').pluck().get()).toBe(1797868800000);
    expect(raw.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'metric_cell_items'").pluck().get()).toBe(0);
    expect(raw.prepare("SELECT sum(n) FROM metric_cube WHERE state = 'open'").pluck().get()).toBe(fresh[0]!.totals.open);
    const cols = `${CUBE_CELL}, state, ${KEPT}`;
    raw.exec(`CREATE TEMP TABLE moved AS SELECT ${cols} FROM metric_cube WHERE n >= 1 AND state = 'open' ORDER BY ${CUBE_CELL} LIMIT 15;
      INSERT INTO moved SELECT ${cols} FROM metric_cube WHERE n >= 2 AND state = 'violation' ORDER BY ${CUBE_CELL} LIMIT 15;
      INSERT INTO metric_cube_pending (${cols}) SELECT ${cols} FROM moved;
      INSERT INTO metric_cube_pending (${cols}) SELECT ${CUBE_CELL}, state, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM moved LIMIT 5;
      INSERT INTO metric_cube_pending (${cols}) SELECT ${CUBE_CELL}, state, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM moved LIMIT 5;
      UPDATE metric_cube SET n = 0, traced = 0, decided = 0, breached = 0, overturned = 0, overlap = 0, agreed = 0, halluc = 0, pii = 0, ttd_ms = 0, calls = 0
        WHERE (${CUBE_CELL}, state) IN (SELECT ${CUBE_CELL}, state FROM moved);`);
    expect(raw.prepare("SELECT count(*) FROM metric_cube_pending WHERE state = 'open'").pluck().get()).toBeGreaterThan(3);
    raw.close();

    const ws = openWorkspace(t.path);
    try {
      const s = ws.sqlite;
      expect(s.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion());
      expect(s.prepare('SELECT count(*) FROM metric_cube_pending').pluck().get()).toBe(0);
      expect(panels(s)).toEqual(fresh);
      expectCubeEqualsItems(s);
      // Verdicts on open items in distinct cells: one pending cube row each (its decided cell), none for an open cell.
      const open = s
        .prepare(`SELECT i.id FROM items i JOIN metric_items m ON m.item_seq = i.seq WHERE m.state = 'open' GROUP BY ${CUBE_CELL.replace(/(\w+)/g, 'm.$1')} ORDER BY min(i.seq) LIMIT 6`)
        .pluck()
        .all() as string[];
      expect(open).toHaveLength(6);
      const review = new ReviewService(ws);
      open.forEach((id, i) => review.submit({ itemId: id, decision: i % 2 ? 'violation' : 'dismiss', reviewer: 'zed' }));
      foldNewItems(s);
      expect(s.prepare('SELECT state, count(*) AS rows, sum(n) AS n FROM metric_cube_pending GROUP BY state ORDER BY state').all()).toEqual([
        { state: 'dismiss', rows: 3, n: 3 },
        { state: 'violation', rows: 3, n: 3 },
      ]);
      const after = dashboard(s, wide);
      expect(after.totals).toMatchObject({ n: fresh[0]!.totals.n, open: fresh[0]!.totals.open - 6, violation: fresh[0]!.totals.violation + 3 });
      // An undo sends one back to open: a -1 on its decided cell only. New items: their cells in metric_cell_items.
      review.undo('zed');
      await ingestDemo(ws, 40, 11);
      foldNewItems(s);
      expect(s.prepare("SELECT count(*) FROM metric_cube_pending WHERE state = 'open'").pluck().get()).toBe(0);
      expect(s.prepare('SELECT sum(n) FROM metric_cell_items_pending').pluck().get()).toBe(40);
      const later = dashboard(s, { from: '2000-01-01', to: '2100-01-01' });
      expect(later.totals).toMatchObject({ n: fresh[0]!.totals.n + 40, open: fresh[0]!.totals.open - 5 + 40 });
      // The open and decided tiles list exactly their items.
      for (const h of later.headline.filter((x) => x.cell && x.key !== 'escalation_per_1000')) expect(cellItemCount(s, h.cell!)).toBe(h.num);
      expectCubeEqualsItems(s);
    } finally {
      ws.close();
    }
  });
});
