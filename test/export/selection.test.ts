/**
 * Selection: only each item's in-force verdict counts (an amendment replaces the verdict, an undo
 * removes it or restores the one before, a skip never counts), items in revision conflict are
 * left out and counted, and the filters (decision, labels any-of, route, model, time, reviewer)
 * select what they say.
 */
import { DEFAULT_TAXONOMY } from '../../electron/core/review/taxonomy.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDataset, type ExportFilters } from '../../electron/core/export/index.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { tempWorkspace } from '../helpers/workspace.ts';
import { ingestRecords, itemsOf, readItemsJsonl, readJsonlRows, record } from './helpers.ts';

describe('selection', () => {
  const t = tempWorkspace();
  const id: Record<string, string> = {};
  let amendmentId = '';
  let n = 0;

  const base = () => [
    record('amended'),
    record('undone'),
    record('undo-amend'),
    record('skip-only'),
    record('skip-later'),
    record('conflicted'),
    record('other', {
      route: 'legal',
      created_at: '2026-09-01T08:00:00+02:00',
      provenance: { 'gen_ai.request.model': 'm-x' },
    }),
  ];

  beforeAll(async () => {
    await ingestRecords(t.ws, t.dir, base());
    for (const it of itemsOf(t.ws)) id[it.externalId] = it.id;
    const r = new ReviewService(t.ws);
    const first = r.submit({ itemId: id.amended!, decision: 'violation', correction: 'A1', labels: ['S1'], reviewer: 'r' });
    amendmentId = r.amend(first.id, { decision: 'violation', correction: 'A2', labels: ['S2'], reviewer: 'r' }).id;
    r.submit({ itemId: id.undone!, decision: 'violation', correction: 'B1', reviewer: 'u' });
    expect(r.undo('u')).not.toBeNull();
    const c1 = r.submit({ itemId: id['undo-amend']!, decision: 'violation', correction: 'C1', reviewer: 'r' });
    r.amend(c1.id, { decision: 'violation', correction: 'C2', reviewer: 'v' });
    expect(r.undo('v')!.undone.correction).toBe('C2');
    r.submit({ itemId: id['skip-only']!, decision: 'skip', reviewer: 'r' });
    r.submit({ itemId: id['skip-later']!, decision: 'violation', correction: 'D1', reviewer: 'r' });
    r.submit({ itemId: id['skip-later']!, decision: 'skip', reviewer: 'r' });
    r.submit({ itemId: id.conflicted!, decision: 'violation', correction: 'E1', reviewer: 'r' });
    // The legal route lets a false positive keep its labels (coherence rule, taxonomy routes).
    t.ws.sqlite
      .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('taxonomy', ?, ?)")
      .run(JSON.stringify({ ...DEFAULT_TAXONOMY, routes: { legal: { dismissMayCarryLabels: true } } }), new Date().toISOString());
    r.submit({ itemId: id.other!, decision: 'dismiss', correction: 'F1', labels: ['S9'], reviewer: 'w' });
    // A new revision of "conflicted" arrives after its verdict: unresolved conflict.
    await ingestRecords(t.ws, t.dir, base().map((x) => (x.id === 'conflicted' ? { ...x, output: 'a different answer' } : x)));
    expect(t.ws.sqlite.prepare('SELECT status FROM items WHERE id = ?').pluck().get(id.conflicted)).toBe('conflict');
  }, 60_000);
  afterAll(() => t.cleanup());

  async function run(filters?: ExportFilters) {
    const out = join(t.dir, `out${n++}`);
    const s = await exportDataset(t.ws, { format: 'trl-dpo', out, outputs: ['jsonl'], filters, split: { train: 1, validation: 0, test: 0 } });
    const rows = readJsonlRows(out) as { chosen: { content: string }[] }[];
    return { s, out, chosen: rows.map((r) => r.chosen[0]!.content).sort() };
  }

  it('exports each item by its in-force verdict: amendments replace, undo removes or restores, skips never count', async () => {
    const { s, out, chosen } = await run({ decisions: ['violation', 'dismiss'] });
    expect(chosen).toEqual(['A2', 'C1', 'D1', 'F1']);
    const items = readItemsJsonl(out);
    expect(items.find((i) => i.item_id === id.amended)!.verdict_id).toBe(amendmentId);
    expect(items.map((i) => i.item_id)).not.toContain(id.undone);
    expect(items.map((i) => i.item_id)).not.toContain(id.conflicted);
    // The conflict is left out and counted in the summary, the manifest and the card.
    expect(s).toMatchObject({ selected: 5, rows: 4, excludedConflict: 1 });
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.content.counts).toMatchObject({ selected: 5, rows: 4, excluded_conflict: 1, per_decision: { violation: 3, dismiss: 1 } });
    expect(manifest.content.counts.per_label).toEqual({ S2: 1, S9: 1 });
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('Left out: 1 item(s) with an unresolved revision conflict');
  });

  it('filters: decision, labels (any of), route, model, time range, reviewer', async () => {
    expect((await run()).chosen).toEqual(['A2', 'C1', 'D1', 'F1']);
    expect((await run({ decisions: ['dismiss'] })).chosen).toEqual(['F1']);
    expect((await run({ decisions: ['violation'] })).chosen).toEqual(['A2', 'C1', 'D1']);
    expect((await run({ labels: ['S9', 'S2'] })).chosen).toEqual(['A2', 'F1']);
    expect((await run({ labels: ['S1'] })).chosen).toEqual([]); // S1 was amended away
    expect((await run({ routes: ['legal'] })).chosen).toEqual(['F1']);
    expect((await run({ models: ['m-x'] })).chosen).toEqual(['F1']);
    expect((await run({ from: '2026-09-15' })).chosen).toEqual(['A2', 'C1', 'D1']);
    expect((await run({ to: '2026-09-15T00:00:00Z' })).chosen).toEqual(['F1']);
    // created_at is compared in UTC: 08:00+02:00 is 06:00Z.
    expect((await run({ from: '2026-09-01T06:00:00Z', to: '2026-09-01T06:00:01Z' })).chosen).toEqual(['F1']);
    expect((await run({ reviewers: ['w'] })).chosen).toEqual(['F1']);
    expect((await run({ reviewers: ['r'] })).chosen).toEqual(['A2', 'C1', 'D1']);
  });

  it('an empty selection still makes a valid, verifiable export', async () => {
    const { verifyExport } = await import('../../electron/core/export/index.ts');
    const { s, out, chosen } = await run({ reviewers: ['nobody'] });
    expect(s.rows).toBe(0);
    expect(chosen).toEqual([]);
    const card = readFileSync(join(out, 'README.md'), 'utf8');
    expect(card).not.toContain('configs:');
    expect(card).toContain('size_categories:\n- n<1K');
    expect(await verifyExport(out, t.ws)).toMatchObject({ ok: true, rows: 0 });
  });

  it('rejects bad options with usage errors', async () => {
    const out = join(t.dir, 'bad');
    await expect(exportDataset(t.ws, { format: 'nope' as never, out })).rejects.toThrow(/--format must be one of/);
    await expect(exportDataset(t.ws, { format: 'sft', out, split: { train: 0.5, validation: 0.1, test: 0.1 } })).rejects.toThrow(/sum to 1/);
    await expect(exportDataset(t.ws, { format: 'sft', out, filters: { from: 'yesterday' } })).rejects.toThrow(/--from must be an ISO 8601/);
    await expect(exportDataset(t.ws, { format: 'sft', out, filters: { decisions: ['skip' as never] } })).rejects.toThrow(/--decision/);
    await expect(exportDataset(t.ws, { format: 'trl-dpo', out, includeDismissed: true })).rejects.toThrow(/sft only/);
    await expect(exportDataset(t.ws, { format: 'sft', out: join(t.dir, 'out0') })).rejects.toThrow(/is not empty/);
  });
});
