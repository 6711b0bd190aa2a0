/**
 * Migration 0025 (an item's outcome in one pass over its verdicts): a workspace at the previous
 * version with data upgrades to the same panels as a fresh catch-up; the new view gives every item
 * the outcome 0015's view gave (three subqueries); after more verdicts (second reviewers agreeing and
 * disagreeing, an escalation, an undo, an amendment, an adjudication) the upkeep's panels still
 * equal a fresh catch-up and each item's outcome still equals 0015's.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { foldNewItems, metricDays } from '../../db/queries/metrics.ts';
import { ingestDemo } from '../../electron/core/demo/ingest-demo.ts';
import { dashboard } from '../../electron/core/metrics/dashboard.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { codeSchemaVersion, openWorkspace } from '../../electron/core/workspace/open.ts';
import { busiestReviewer, rollback0025, view0015 } from '../helpers/cube.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const OUTCOME = 'item_seq, state, reviewer, halluc, pii, first_ms, ttd_bucket, breached, overturned, overlap, agreed, verdict_seq';

/** Every item's outcome from the current views against the same views over 0015's metric_item_verdicts. */
function expectOutcomeAs0015(s: Database.Database): void {
  const now = s.prepare(`SELECT ${OUTCOME} FROM metric_item_outcome_cols ORDER BY item_seq`).raw().all();
  const cur = s.prepare(`SELECT item_seq, cur_seq, first_seq, min(reviewers, 3), min(decisions, 3) FROM metric_item_verdicts ORDER BY item_seq`).raw().all();
  s.exec('BEGIN');
  try {
    s.exec(`DROP VIEW metric_item_verdicts; ${view0015()}`);
    expect(s.prepare(`SELECT ${OUTCOME} FROM metric_item_outcome_cols ORDER BY item_seq`).raw().all()).toEqual(now);
    expect(s.prepare(`SELECT item_seq, cur_seq, first_seq, min(reviewers, 3), min(decisions, 3) FROM metric_item_verdicts ORDER BY item_seq`).raw().all()).toEqual(cur);
  } finally {
    s.exec('ROLLBACK');
  }
}

/** The metric tables emptied and rebuilt by a catch-up from the logs. */
function freshCatchUp(s: Database.Database): void {
  s.exec(`BEGIN IMMEDIATE; DELETE FROM metric_items; DELETE FROM metric_cube; DELETE FROM metric_ttd; DELETE FROM metric_flag_items;
    DELETE FROM metric_cube_pending; DELETE FROM metric_ttd_pending; DELETE FROM metric_cell_items; DELETE FROM metric_cell_items_pending;
    DELETE FROM metric_reviewer_daily; DELETE FROM meta WHERE key IN ('metrics_folded_seq', 'metrics_folded_verdict_seq'); COMMIT`);
  foldNewItems(s);
}

describe('migration 0025 (outcome in one pass)', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('upgrades a 0023 workspace to the panels of a fresh catch-up, with every outcome as 0015 computed it, before and after more verdicts', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 600, 5, { reviews: true });
    foldNewItems(t.ws.sqlite);
    t.ws.close();
    const raw = new Database(t.path);
    rollback0025(raw);
    expect(raw.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion() - 1);
    expect(raw.prepare("SELECT sql FROM sqlite_master WHERE name = 'metric_item_verdicts'").pluck().get()).not.toContain('json_each');
    raw.close();

    const ws = openWorkspace(t.path);
    try {
      const s = ws.sqlite;
      expect(s.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion());
      expect(s.prepare("SELECT sql FROM sqlite_master WHERE name = 'metric_item_verdicts'").pluck().get()).toContain('json_each');
      const ext = metricDays(s)!;
      const wide = { from: ext.first, to: ext.last };
      const reviewer = busiestReviewer(s);
      const scopes = [wide, { from: ext.last, to: ext.last }, { ...wide, reviewer }, { ...wide, deployment: 'canary-us-east-1' }, { ...wide, detector: 'jailbreak-classifier' }];
      const panels = () => scopes.map((f) => dashboard(s, f));
      foldNewItems(s);
      const upgraded = panels();
      expectOutcomeAs0015(s);
      freshCatchUp(s);
      expect(panels()).toEqual(upgraded);

      // More verdicts through the upkeep: second reviewers (agreeing, disagreeing), an escalation, an undo, an amendment, an adjudication.
      const review = new ReviewService(ws);
      const decided = s.prepare("SELECT i.id, m.state FROM items i JOIN metric_items m ON m.item_seq = i.seq WHERE m.state IN ('violation', 'dismiss') ORDER BY i.seq LIMIT 8").all() as { id: string; state: 'violation' | 'dismiss' }[];
      const open = s.prepare("SELECT i.id FROM items i JOIN metric_items m ON m.item_seq = i.seq WHERE m.state = 'open' ORDER BY i.seq LIMIT 4").pluck().all() as string[];
      expect(decided).toHaveLength(8);
      expect(open).toHaveLength(4);
      const other = (d: 'violation' | 'dismiss') => (d === 'violation' ? 'dismiss' : 'violation');
      decided.slice(0, 3).forEach((d) => review.submit({ itemId: d.id, decision: d.state, reviewer: 'second-a' }));
      decided.slice(3, 6).forEach((d) => review.submit({ itemId: d.id, decision: other(d.state), reviewer: 'second-b' }));
      review.submit({ itemId: decided[6]!.id, decision: 'escalate', reviewer: 'second-c', routeTo: 'tier-2' });
      review.submit({ itemId: open[0]!, decision: 'escalate', reviewer: 'zed', routeTo: 'tier-2' });
      review.submit({ itemId: open[1]!, decision: 'violation', reviewer: 'zed' });
      const toAmend = review.submit({ itemId: open[2]!, decision: 'dismiss', reviewer: 'zed' });
      review.amend(toAmend.id, { decision: 'violation', reviewer: 'lead' });
      review.adjudicate({ itemId: decided[3]!.id, decision: decided[3]!.state, reviewer: 'lead' });
      review.submit({ itemId: decided[7]!.id, decision: decided[7]!.state, reviewer: 'second-a' });
      review.submit({ itemId: open[3]!, decision: 'dismiss', reviewer: 'zed-undo' });
      review.undo('zed-undo');
      foldNewItems(s);
      const after = panels();
      expect(after).not.toEqual(upgraded);
      expect(s.prepare('SELECT sum(overlap), sum(agreed) FROM metric_items').raw().get()).not.toEqual(s.prepare('SELECT 0, 0').raw().get());
      expectOutcomeAs0015(s);
      freshCatchUp(s);
      expect(panels()).toEqual(after);
    } finally {
      ws.close();
    }
  });
});
