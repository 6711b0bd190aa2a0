/**
 * Round trip on the real Anthropic HH harmless-base test split: ingest with the hh-rlhf preset,
 * record each pair's chosen reply as the reviewer's correction, export, and compare every row
 * with the source pair parsed independently from the .gz file.
 *
 * Redaction is off here: the HH data carries no PII flags, but the built-in detector would
 * rewrite the e-mail addresses and phone numbers some transcripts contain, and this test is
 * about exact fidelity.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDataset, verifyExport } from '../../electron/core/export/index.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { parseHhTranscript } from '../../electron/core/ingest/presets.ts';
import { HH_RLHF, tempWorkspace } from '../helpers/workspace.ts';
import { readHhPairs, readItemsJsonl, readJsonlRows, readParquetRows, reviewAll } from './helpers.ts';
import { SPLITS } from '../../electron/core/export/index.ts';

type Msg = { role: string; content: string };

describe('export round trip on the real HH-RLHF pairs', () => {
  const t = tempWorkspace();
  let expected: Map<string, { prompt: Msg[]; chosen: Msg[]; rejected: Msg[] }>;
  /** The source pair of each item, by the line it was ingested from. */
  let pairOf: (itemId: string) => { prompt: Msg[]; chosen: Msg[]; rejected: Msg[] };

  /** Rows paired with the items.jsonl entry behind each (rows are read split by split). */
  function rowsWithItems<R>(out: string): { row: R; itemId: string }[] {
    const items = readItemsJsonl(out);
    const res: { row: R; itemId: string }[] = [];
    for (const s of SPLITS) {
      const rows = readJsonlRows(out, s) as R[];
      const ids = items.filter((i) => i.split === s).map((i) => i.item_id);
      expect(rows).toHaveLength(ids.length);
      rows.forEach((row, k) => res.push({ row, itemId: ids[k]! }));
    }
    return res;
  }

  beforeAll(async () => {
    const s = await ingest(t.ws, { path: HH_RLHF, preset: 'hh-rlhf' });
    expect(s.ingested).toBe(2312);
    // "Import each pair's chosen reply as the reviewer's correction".
    reviewAll(t.ws, (item) => ({
      itemId: item.id,
      decision: 'violation',
      correction: item.record.evidence.find((e) => e.kind === 'reference_response')!.content!,
      labels: ['S1'],
      reviewer: 'hh-import',
    }));
    // The expectation, built from the .gz alone (keyed by prompt + both replies: HH has a few exact duplicates).
    expected = new Map();
    const byLine: { prompt: Msg[]; chosen: Msg[]; rejected: Msg[] }[] = [];
    for (const pair of await readHhPairs(HH_RLHF)) {
      const chosen = parseHhTranscript(pair.chosen);
      const rejected = parseHhTranscript(pair.rejected);
      const e = { prompt: rejected.slice(0, -1), chosen: chosen.slice(-1), rejected: rejected.slice(-1) };
      expected.set(JSON.stringify(e), e);
      byLine.push(e);
    }
    expect(byLine).toHaveLength(2312);
    const lineStmt = t.ws.sqlite
      .prepare('SELECT r.line FROM item_revisions r JOIN items i ON i.seq = r.item_seq WHERE i.id = ? AND r.revision = 1')
      .pluck();
    const firstLine = t.ws.sqlite.prepare('SELECT min(line) FROM item_revisions').pluck().get() as number;
    pairOf = (itemId) => byLine[(lineStmt.get(itemId) as number) - firstLine]!;
  }, 120_000);

  afterAll(() => t.cleanup());

  it('trl-dpo: the five pairs with inconsistent prompts are left out by default, counted in the manifest and the card', async () => {
    const out = join(t.dir, 'dpo-default');
    const summary = await exportDataset(t.ws, { format: 'trl-dpo', out, outputs: ['jsonl'], redact: false });
    expect(summary.rows).toBe(2307);
    expect(summary.skipped).toMatchObject({ inconsistent_prompt: 5 });
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.content.counts.skipped.inconsistent_prompt).toBe(5);
    expect(manifest.content.keep_inconsistent_pairs).toBe(false);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toMatch(/5 preference pair\(s\) whose chosen reply followed other turns/);
    // Every row that is left carries a prompt the chosen reply really followed.
    for (const { row, itemId } of rowsWithItems<{ prompt: Msg[]; chosen: Msg[]; rejected: Msg[] }>(out)) {
      const src = pairOf(itemId);
      expect(JSON.stringify(row.prompt)).toBe(JSON.stringify(src.prompt));
    }
    expect(await verifyExport(out, t.ws)).toMatchObject({ ok: true, rows: 2307 });
  }, 120_000);

  it('trl-dpo with keepInconsistent: 2,312 of 2,312 rows carry exactly the source prompt, chosen and rejected messages', async () => {
    const out = join(t.dir, 'dpo');
    const summary = await exportDataset(t.ws, { format: 'trl-dpo', out, outputs: ['jsonl', 'parquet'], redact: false, keepInconsistent: true });
    expect(summary.rows).toBe(2312);
    const rows = readJsonlRows(out) as { prompt: Msg[]; chosen: Msg[]; rejected: Msg[] }[];
    expect(rows).toHaveLength(2312);
    // Row by row against the very pair (source line) the item was ingested from.
    let matched = 0;
    for (const { row, itemId } of rowsWithItems<{ prompt: Msg[]; chosen: Msg[]; rejected: Msg[] }>(out)) {
      expect(Object.keys(row)).toEqual(['prompt', 'chosen', 'rejected']);
      const src = pairOf(itemId);
      expect(row.prompt.length).toBeGreaterThan(0);
      if (JSON.stringify(row) === JSON.stringify({ prompt: src.prompt, chosen: src.chosen, rejected: src.rejected })) matched++;
    }
    expect(matched).toBe(2312);
    // Every source pair is represented (the multiset of rows covers the distinct pairs).
    expect(new Set(rows.map((r) => JSON.stringify(r))).size).toBe(expected.size);
    // Parquet, read back by hyparquet, holds the same rows in the same order.
    expect(await readParquetRows(out)).toEqual(rows);
    // items.jsonl names the item and verdict behind each row.
    const items = readItemsJsonl(out);
    expect(items).toHaveLength(2312);
    expect(new Set(items.map((i) => i.item_id)).size).toBe(2312);
    expect(await verifyExport(out, t.ws)).toMatchObject({ ok: true, rows: 2312 });
  }, 120_000);

  it('preference: the 2,307 consistent pairs in the OpenAI preference layout match the source pairs', async () => {
    const out = join(t.dir, 'pref');
    const summary = await exportDataset(t.ws, { format: 'preference', out, outputs: ['jsonl'], redact: false });
    expect(summary.rows).toBe(2307);
    type Pref = { input: { messages: Msg[] }; preferred_output: Msg[]; non_preferred_output: Msg[] };
    expect(readJsonlRows(out)).toHaveLength(2307);
    let matched = 0;
    for (const { row, itemId } of rowsWithItems<Pref>(out)) {
      expect(Object.keys(row)).toEqual(['input', 'preferred_output', 'non_preferred_output']);
      const src = pairOf(itemId);
      const want: Pref = { input: { messages: src.prompt }, preferred_output: src.chosen, non_preferred_output: src.rejected };
      if (JSON.stringify(row) === JSON.stringify(want)) matched++;
    }
    expect(matched).toBe(2307);
  }, 120_000);
});
