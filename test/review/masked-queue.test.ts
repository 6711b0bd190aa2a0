/**
 * Masking is one definition (electron/core/review/masking.ts): queue.page says `masked` for
 * exactly the items item.actions masks, and sends no snippet for them, so no masked text
 * reaches the desk's queue list. Masked by a flag category, by a verdict label, and by route.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { createService } from '../../electron/core/service.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const SECRET = 'tonight is the night, the pills are ready';
const rec = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id, created_at: '2026-11-01T00:00:00Z', input: `q ${id}`, output: `${SECRET} (${id})`, ...extra });

describe('queue.page masked rows', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('marks masked rows as item.actions does and sends no snippet for them', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const f = join(t.dir, 'q.jsonl');
    writeFileSync(
      f,
      [
        rec('flagged', { flags: [{ source: 'llama-guard', category: 'S11: Suicide & Self-Harm', score: 0.9 }] }),
        rec('labelled'),
        rec('clinical', { route: 'clinical' }),
        rec('plain'),
      ].join('\n') + '\n',
    );
    await ingest(t.ws, { path: f });
    const service = createService(t.ws, { mode: 'cli', emit: () => {} });
    const ids = Object.fromEntries((t.ws.sqlite.prepare('SELECT external_id, id FROM items').raw().all() as [string, string][]).map(([e, i]) => [e, i]));
    await service['expert.setSettings']({ blindRoutes: [], maskedRoutes: ['clinical'], maskedLabels: ['S4', 'S11'], breakAfter: 20, goldRates: {} });
    new ReviewService(t.ws).submit({ itemId: ids.labelled!, decision: 'violation', labels: ['S4'], reviewer: 'ana' });

    const page = await service['queue.page']({ filter: {}, after: null, limit: 50 });
    const byExt = Object.fromEntries(page.rows.map((r) => [r.externalId, r]));
    expect(Object.fromEntries(page.rows.map((r) => [r.externalId, r.masked]))).toEqual({ flagged: 'S11', labelled: 'S4', clinical: 'route clinical', plain: null });
    for (const ext of ['flagged', 'labelled', 'clinical']) {
      expect(byExt[ext]!.snippet).toBe('');
      // The same answer as the item view's.
      expect((await service['item.actions']({ itemId: ids[ext]! })).masked).toBe(byExt[ext]!.masked);
    }
    expect(byExt.plain!.snippet).toContain(SECRET);
    expect((await service['item.actions']({ itemId: ids.plain! })).masked).toBeNull();
    // Nothing of a masked item's text anywhere in the page the desk receives.
    const sent = JSON.stringify(page.rows.filter((r) => r.masked));
    expect(sent).not.toContain(SECRET);
    await service.close();
  });
});
