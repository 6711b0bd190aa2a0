/**
 * The expert overturn panel per model and version (electron/core/metrics/overturns.ts): counts
 * behind each rate, checked against a plain count of the verdict table; an adjudication or an
 * expert amendment that changes the first decision is an overturn, one that agrees is not.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { overturnsByModel } from '../../electron/core/metrics/overturns.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

describe('overturns by model', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('counts adjudications and amendments that change the first decision, per model and version', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const f = join(t.dir, 'q.jsonl');
    const models = [
      ['m-a', 'v1'],
      ['m-a', 'v2'],
      ['m-b', 'v1'],
    ];
    const lines = Array.from({ length: 12 }, (_, i) => {
      const [name, version] = models[i % 3]!;
      return JSON.stringify({ id: `e${i}`, created_at: '2026-11-01T00:00:00Z', input: `q${i}`, output: `a${i}`, provenance: { 'gen_ai.request.model': name, model_version: version } });
    });
    writeFileSync(f, lines.join('\n') + '\n');
    await ingest(t.ws, { path: f });
    const id = (i: number) => t.ws.sqlite.prepare('SELECT id FROM items WHERE external_id = ?').pluck().get(`e${i}`) as string;
    const review = new ReviewService(t.ws);
    for (let i = 0; i < 12; i++) {
      review.submit({ itemId: id(i), decision: 'violation', reviewer: 'ana' }, 'import');
      review.submit({ itemId: id(i), decision: i % 2 ? 'dismiss' : 'violation', reviewer: 'ben' }, 'import');
    }
    // Disputed: odd items. e1, e7 (m-a v2) and e5 (m-b v1) overturned to dismiss; e3 (m-a v1) upheld; e9, e11 left open.
    for (const i of [1, 5, 7]) review.adjudicate({ itemId: id(i), decision: 'dismiss', reviewer: 'lead' });
    review.adjudicate({ itemId: id(3), decision: 'violation', reviewer: 'lead' });
    // An expert amendment of ana's agreed verdict on e0 (m-a v1) changes it: an overturn by the expert.
    const ana0 = t.ws.sqlite.prepare("SELECT v.id FROM verdicts v JOIN items i ON i.seq = v.item_seq WHERE i.external_id = 'e0' AND v.reviewer = 'ana'").pluck().get() as string;
    review.amend(ana0, { decision: 'dismiss', reviewer: 'expert' });

    const r = overturnsByModel(t.ws.sqlite);
    const by = Object.fromEntries(r.rows.map((x) => [`${x.model} ${x.version}`, [x.overturned, x.reviewed]]));
    // Reviewed per model/version: 4 items each; overturned: e0 (expert amendment), e1, e7, e5 (adjudications).
    expect(by).toEqual({ 'm-a v1': [1, 4], 'm-a v2': [2, 4], 'm-b v1': [1, 4] });
    expect(r.total).toMatchObject({ overturned: 4, reviewed: 12 });
    expect(r.total.rate).toBeCloseTo(4 / 12, 10);
    for (const x of r.rows) {
      expect(x.lo!).toBeLessThanOrEqual(x.rate!);
      expect(x.hi!).toBeGreaterThanOrEqual(x.rate!);
    }
    expect(overturnsByModel(t.ws.sqlite, { route: 'no-such-route' }).rows).toEqual([]);
  });
});
