/**
 * Migration 0022 (the review desk's deployment filter): metric_items_deployment. A workspace at
 * the previous version with data upgrades; the queue filtered by a deployment reads its items
 * through the index and lists exactly the items whose provenance names it, before and after new
 * items and verdicts; the filter list offers every deployment.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { filteredStatusCounts, itemFacets, queuePage } from '../../db/queries/items.ts';
import { foldNewItems } from '../../db/queries/metrics.ts';
import { ingestDemo, recordDemoReviews } from '../../electron/core/demo/ingest-demo.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { codeSchemaVersion, openWorkspace } from '../../electron/core/workspace/open.ts';
import { tempWorkspace } from '../helpers/workspace.ts';
import { rollback0023 } from '../helpers/cube.ts';

/** Item seqs whose current revision's provenance names the deployment (independent of metric_items). */
const truth = (s: Database.Database, deployment: string) =>
  s
    .prepare(
      `SELECT i.seq FROM items i JOIN item_revisions r ON r.item_seq = i.seq AND r.revision = i.revision
       WHERE json_extract(r.record, '$.provenance.deployment') = ? ORDER BY i.seq`,
    )
    .pluck()
    .all(deployment) as number[];

function listed(s: Database.Database, deployment: string): number[] {
  const out: number[] = [];
  for (let after = null as Parameters<typeof queuePage>[2], guard = 0; guard < 100; guard++) {
    const page = queuePage(s, { deployment }, after, 100);
    out.push(...page.rows.map((r) => r.seq));
    if (!page.next) break;
    after = page.next;
  }
  return out.sort((a, b) => a - b);
}

describe('migration 0022 (the deployment filter index)', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('upgrades a workspace at the previous version with data; the deployment filter lists exactly its items, through the index', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    await ingestDemo(t.ws, 400, 9);
    recordDemoReviews(t.ws, 400, 9);
    foldNewItems(t.ws.sqlite);
    t.ws.close();
    // Back to the version before 0022 (0021, if present, stays applied: 0022 applies on top of either).
    const raw = new Database(t.path);
    // (0023 goes back too: drizzle applies only migrations after the last one applied.)
    rollback0023(raw);
    raw.exec('DROP INDEX metric_items_deployment; DELETE FROM __drizzle_migrations WHERE created_at = 1797868800000;');
    raw.close();

    const ws = openWorkspace(t.path);
    try {
      const s = ws.sqlite;
      expect(s.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion());
      expect(s.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'metric_items_deployment'").pluck().get()).toBe(1);
      const deployments = itemFacets(s).deployments;
      expect(deployments).toEqual(s.prepare("SELECT DISTINCT deployment FROM metric_items WHERE deployment <> '' ORDER BY 1").pluck().all());
      expect(deployments.length).toBeGreaterThan(2);
      const canary = deployments.find((d) => d.startsWith('canary'))!;
      expect(canary).toBeDefined();
      const plan = s.prepare('EXPLAIN QUERY PLAN SELECT item_seq FROM metric_items WHERE deployment = ?').all(canary) as { detail: string }[];
      expect(plan.map((r) => r.detail).join(' ')).toContain('metric_items_deployment');
      for (const d of deployments) expect(listed(s, d)).toEqual(truth(s, d));
      const want = truth(s, canary).length;
      expect(want).toBeGreaterThan(0);
      const counts = filteredStatusCounts(s, { deployment: canary }).counts;
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(want);
      // New verdicts on the canary's open items: the filter still lists them, by status.
      const review = new ReviewService(ws);
      const open = queuePage(s, { deployment: canary, status: ['new'] }, null, 3).rows;
      expect(open.length).toBeGreaterThan(0);
      for (const r of open) review.submit({ itemId: r.id, decision: 'violation', reviewer: 'zed' });
      foldNewItems(s);
      expect(listed(s, canary)).toEqual(truth(s, canary));
      expect(filteredStatusCounts(s, { deployment: canary }).counts.decided).toBe((counts.decided ?? 0) + open.length);
    } finally {
      ws.close();
    }
  });
});
