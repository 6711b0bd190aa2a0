/** search.reindex (verdict reindex): rebuilds index rows an older format or a lost write left wrong. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { itemFacets, queuePage } from '../../db/queries/items.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { FTS_FORMAT, reindex } from '../../electron/core/search/reindex.ts';
import { createService } from '../../electron/core/service.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const rec = (i: number) =>
  JSON.stringify({
    id: `esc-${i}`, created_at: '2026-11-01T00:00:00Z', input: `question ${i}`, output: i === 7 ? 'a zebra crossing' : `answer ${i}`,
    provenance: { request_id: `req-${i}-x` }, model: { name: i % 2 ? 'm-odd' : 'm-even' },
  });

describe('reindex', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('restores a cleared index row in chunks with progress, recounts facets, and records the format', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const f = join(t.dir, 'q.jsonl');
    writeFileSync(f, Array.from({ length: 25 }, (_, i) => rec(i)).join('\n') + '\n');
    await ingest(t.ws, { path: f });
    const found = (search: string) => queuePage(t.ws.sqlite, { search }, null, 50).rows.map((r) => r.externalId);
    expect(found('zebra')).toEqual(['esc-7']);
    const facetsBefore = itemFacets(t.ws.sqlite);

    // An item indexed under an older text (here: none at all), and facet counts gone astray.
    const seq = t.ws.sqlite.prepare("SELECT seq FROM items WHERE external_id = 'esc-7'").pluck().get() as number;
    t.ws.sqlite.prepare('DELETE FROM items_fts WHERE rowid = ?').run(seq);
    t.ws.sqlite.exec("UPDATE item_facets SET n = 999 WHERE kind = 'model'");
    expect(found('zebra')).toEqual([]);
    expect(found('req-7-x')).toEqual([]);

    const events: unknown[] = [];
    const service = createService(t.ws, { mode: 'cli', emit: (event, payload) => events.push([event, payload]) });
    try {
      const r = await service['search.reindex']({ all: false });
      expect(r).toMatchObject({ reindexed: 25, indexed: 0, format: FTS_FORMAT, rebuilt: true });
      expect(found('zebra')).toEqual(['esc-7']);
      expect(found('req-7-x')).toEqual(['esc-7']);
      expect(found('answer')).toHaveLength(24); // no row twice: a rebuilt row replaced the old one
      expect(itemFacets(t.ws.sqlite)).toEqual(facetsBefore);
      expect(events).toContainEqual(['search.reindexProgress', { done: 25, total: 25 }]);
      // Current format: nothing rebuilt unless asked.
      expect(await service['search.reindex']({ all: false })).toMatchObject({ reindexed: 0, rebuilt: false });
      expect(await service['search.reindex']({ all: true })).toMatchObject({ reindexed: 25, rebuilt: true });
      expect(found('answer')).toHaveLength(24);
      // Bounded transactions: one per seq range, progress after each.
      const progress: number[] = [];
      expect(await reindex(t.ws, { all: true, chunk: 7, onProgress: (p) => progress.push(p.done) })).toMatchObject({ reindexed: 25 });
      expect(progress).toEqual([7, 14, 21, 25]);
      expect(found('zebra')).toEqual(['esc-7']);
    } finally {
      await service.close();
    }
  });
});
