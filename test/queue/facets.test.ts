/** The filter panel's facets come from the ingest-kept item_facets table (migration 0009); it must say what a scan says. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { itemFacets } from '../../db/queries/items.ts';
import { ingestDemo } from '../../electron/core/demo/ingest-demo.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const t = tempWorkspace();
afterAll(() => t.cleanup());

function scanned() {
  const counts = (col: string) =>
    t.ws.sqlite.prepare(`SELECT ${col} AS value, count(*) AS n FROM items WHERE ${col} IS NOT NULL GROUP BY 1 ORDER BY 1`).all();
  return { model: counts('model'), flag_category: counts('top_flag_category'), flag_policy: counts('top_flag_policy') };
}
function kept() {
  const counts = (kind: string) => t.ws.sqlite.prepare('SELECT value, n FROM item_facets WHERE kind = ? AND n > 0 ORDER BY value').all(kind);
  return { model: counts('model'), flag_category: counts('flag_category'), flag_policy: counts('flag_policy') };
}

describe('item facets', () => {
  it('match a full scan after batched ingests, a rolled-in revision that changes model and top flag, and a second file', async () => {
    await ingestDemo(t.ws, 700, 11);
    expect(kept()).toEqual(scanned());
    expect(kept().model.length).toBeGreaterThan(1);
    const f = join(t.dir, 'q.jsonl');
    const rec = (model: string, category: string) =>
      JSON.stringify({ id: 'moving', created_at: '2026-11-01T00:00:00Z', input: 'q', output: 'a', provenance: { 'gen_ai.request.model': model }, flags: [{ source: 'd', category, policy: 'pol-x', score: 0.9 }] });
    writeFileSync(f, rec('model-one', 'cat-one') + '\n');
    await ingest(t.ws, { path: f, batchSize: 1 });
    writeFileSync(f, rec('model-two', 'cat-two') + '\n');
    await ingest(t.ws, { path: f, batchSize: 1 });
    expect(kept()).toEqual(scanned());
    const facets = itemFacets(t.ws.sqlite);
    expect(facets.models).toContain('model-two');
    expect(facets.models).not.toContain('model-one');
    expect(facets.flagCategories).toContain('cat-two');
    expect(facets.flagPolicies).toContain('pol-x');
  });
});
