/**
 * Gold items mixed into the desk's queue at a per-route rate (electron/core/review/gold-mix.ts):
 * the schedule is deterministic for a seed and spreads gold items one per 1/rate regular items;
 * paging queue.page shows every item once with gold at its scheduled place, the same on every
 * load; and nothing a reviewer receives (queue row, item.get, item.actions) tells gold apart.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { goldSchedule, placeGold } from '../../electron/core/review/gold-mix.ts';
import { createService } from '../../electron/core/service.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

describe('gold schedule (pure)', () => {
  const ids = Array.from({ length: 20 }, (_, i) => `g${i}`);

  it('is deterministic for a seed, differs across seeds, and puts the j-th gold item in the j-th window of 1/rate', () => {
    const a = goldSchedule(ids, 0.1, 'seed-1');
    expect(goldSchedule([...ids].reverse(), 0.1, 'seed-1')).toEqual(a); // input order does not matter
    expect(goldSchedule(ids, 0.1, 'seed-2').map((s) => s.id)).not.toEqual(a.map((s) => s.id));
    expect(new Set(a.map((s) => s.id)).size).toBe(20);
    a.forEach((s, j) => {
      expect(s.rank).toBeGreaterThanOrEqual(j * 10);
      expect(s.rank).toBeLessThan((j + 1) * 10);
    });
    // Not all at the start of their windows: the offsets are drawn.
    expect(new Set(a.map((s, j) => s.rank - j * 10)).size).toBeGreaterThan(3);
    expect(goldSchedule(ids, 0, 'seed-1')).toEqual([]);
  });

  it('places each gold row after its anchor and drops it from its natural place', () => {
    const rows = [1, 2, 3, 4, 5].map((seq) => ({ seq }));
    expect(placeGold(rows, new Map([[1, [{ seq: 4 }]]])).map((r) => r.seq)).toEqual([1, 4, 2, 3, 5]);
  });
});

describe('queue.page mixes gold in', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('pages show each item once, gold at its scheduled place, identical on reload; the reviewer cannot tell gold apart', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const f = join(t.dir, 'q.jsonl');
    // 60 items on route default, all the same priority, created one minute apart; 10 on clinical.
    const lines = Array.from({ length: 70 }, (_, i) =>
      JSON.stringify({ id: `e${String(i).padStart(2, '0')}`, created_at: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(), route: i < 60 ? 'default' : 'clinical', input: `q${i}`, output: `a${i}` }),
    );
    writeFileSync(f, lines.join('\n') + '\n');
    await ingest(t.ws, { path: f });
    const service = createService(t.ws, { mode: 'cli', emit: () => {} });
    const idOf = Object.fromEntries((t.ws.sqlite.prepare('SELECT external_id, id FROM items').raw().all() as [string, string][]).map(([e, i]) => [e, i]));
    // The newest five of route default are gold: in natural order they would all come last.
    const goldExt = ['e55', 'e56', 'e57', 'e58', 'e59'];
    const viewBefore = await service['item.get']({ id: idOf.e57! });
    const actionsBefore = await service['item.actions']({ itemId: idOf.e57! });
    for (const e of goldExt) await service['gold.mark']({ itemId: idOf[e]!, decision: 'dismiss', labels: [] });
    await service['expert.setSettings']({ blindRoutes: [], maskedRoutes: [], maskedLabels: [], breakAfter: 20, goldRates: { default: 0.1 } });

    const all = async () => {
      const out: { externalId: string; route: string }[] = [];
      let after = null;
      do {
        const page: Awaited<ReturnType<(typeof service)['queue.page']>> = await service['queue.page']({ filter: { route: ['default'] }, after, limit: 7 });
        out.push(...page.rows);
        after = page.next;
      } while (after);
      return out.map((r) => r.externalId);
    };
    const order = await all();
    expect(order).toHaveLength(60);
    expect(new Set(order).size).toBe(60);
    expect(await all()).toEqual(order); // the same on every load
    // Spread: one gold item in each window of ten regular items, not the last five.
    const positions = goldExt.map((e) => order.indexOf(e)).sort((a, b) => a - b);
    expect(positions.slice(-1)[0]!).toBeLessThan(55);
    const regularBefore = positions.map((p) => order.slice(0, p).filter((e) => !goldExt.includes(e)).length);
    regularBefore.forEach((n, j) => {
      expect(n).toBeGreaterThanOrEqual(j * 10 + 1);
      expect(n).toBeLessThanOrEqual((j + 1) * 10);
    });

    // Indistinguishable: a gold row has the same fields as any other; the item view is what it was before the mark.
    const page = await service['queue.page']({ filter: {}, after: null, limit: 100 });
    const gold = page.rows.find((r) => r.externalId === 'e57')!;
    const plain = page.rows.find((r) => r.externalId === 'e10')!;
    expect(Object.keys(gold).sort()).toEqual(Object.keys(plain).sort());
    expect(JSON.stringify(page.rows)).not.toMatch(/gold/i);
    expect(await service['item.get']({ id: idOf.e57! })).toEqual(viewBefore);
    expect(await service['item.actions']({ itemId: idOf.e57! })).toEqual(actionsBefore);
    // The lead still sees them under Gold, and the mix leaves a route without a rate alone.
    expect((await service['gold.list']({})).items.map((g) => g.itemId).sort()).toEqual(goldExt.map((e) => idOf[e]).sort());
    const clinical = await service['queue.page']({ filter: { route: ['clinical'] }, after: null, limit: 100 });
    expect(clinical.rows.map((r) => r.externalId)).toEqual(Array.from({ length: 10 }, (_, i) => `e${60 + i}`));
    await service.close();
  });
});
