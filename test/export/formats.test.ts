/**
 * The four formats on varied content (system and tool turns, multi-message outputs, emoji,
 * empty labels, null severity, escalations), each written as JSONL and Parquet: the Parquet
 * files read back by an independent implementation (hyparquet) give exactly the JSONL rows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetSchema } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDataset, SPLITS, type ExportFormat } from '../../electron/core/export/index.ts';
import type { EscalationRecordInput } from '../../electron/core/record/schema.ts';
import { tempWorkspace } from '../helpers/workspace.ts';
import { ingestRecords, readItemsJsonl, readJsonlRows, readParquetRows, record, reviewAll } from './helpers.ts';

const N = 240;

function varied(i: number): EscalationRecordInput {
  const input =
    i % 3 === 0
      ? { messages: [{ role: 'system' as const, content: `You are bot ${i % 5}.` }, { role: 'user' as const, content: `Q${i} 🙂 naïve café` }] }
      : i % 3 === 1
        ? `plain string prompt ${i}`
        : {
            messages: [
              { role: 'user' as const, content: `run tool ${i}` },
              { role: 'assistant' as const, content: `[tool_call] t${i}` },
              { role: 'tool' as const, content: `{"ok":${i}}`, name: 'lookup' },
            ],
          };
  const output = i % 11 === 0 ? undefined : i % 4 === 0 ? { messages: [{ role: 'assistant' as const, content: `part A ${i}` }, { role: 'assistant' as const, content: `part B ${i} 𝄞` }] } : `answer ${i}`;
  return record(`f${i}`, {
    input,
    output,
    route: i % 7 === 0 ? 'clinical' : 'trust_safety',
    provenance: { 'gen_ai.conversation.id': `c${i % 60}`, 'gen_ai.request.model': i % 2 ? 'model-a' : 'model-b' },
  });
}

describe('formats: JSONL and Parquet agree, row for row', () => {
  const t = tempWorkspace();
  beforeAll(async () => {
    await ingestRecords(
      t.ws,
      t.dir,
      Array.from({ length: N }, (_, i) => varied(i)),
    );
    reviewAll(t.ws, (item, i) => {
      const kind = i % 6;
      if (kind === 5) return { itemId: item.id, decision: 'escalate', routeTo: 'legal', labels: ['S5'], reviewer: 'r2' };
      if (kind === 4) return { itemId: item.id, decision: 'dismiss', reviewer: 'r1' };
      return {
        itemId: item.id,
        decision: 'violation',
        labels: kind === 0 ? [] : kind === 1 ? ['S1'] : ['S10', 'hallucination'],
        severity: kind === 2 ? null : 'high',
        correction: kind === 3 ? '' : `Safer reply ${i} ✅`,
        reviewer: 'r1',
      };
    });
  }, 60_000);
  afterAll(() => t.cleanup());

  const cases: { format: ExportFormat; extra?: object; columns: string[] }[] = [
    { format: 'sft', extra: { includeDismissed: true }, columns: ['messages'] },
    { format: 'preference', columns: ['input', 'preferred_output', 'non_preferred_output'] },
    { format: 'trl-dpo', columns: ['prompt', 'chosen', 'rejected'] },
    { format: 'classifier', extra: { filters: { decisions: ['violation', 'dismiss', 'escalate'] } }, columns: ['item_id', 'route', 'input', 'output', 'decision', 'labels', 'severity', 'spans'] },
  ];

  for (const c of cases) {
    it(`${c.format}: Parquet read back by hyparquet equals the JSONL export, split by split (small shards and row groups)`, async () => {
      const out = join(t.dir, `out-${c.format}`);
      const s = await exportDataset(t.ws, { format: c.format, out, shardRows: 37, rowGroupRows: 10, redact: false, ...c.extra });
      expect(s.rows).toBeGreaterThan(20);
      for (const split of SPLITS) {
        const jsonl = readJsonlRows(out, split);
        const parquet = await readParquetRows(out, split);
        expect(parquet).toEqual(jsonl);
        for (const r of jsonl) expect(Object.keys(r)).toEqual(c.columns);
        // Shards: `<split>-0000i-of-0000N`, N consistent, at most 37 rows each.
        const files = readdirSync(join(out, 'data')).filter((f) => f.startsWith(`${split}-`) && f.endsWith('.parquet'));
        const n = Math.ceil(jsonl.length / 37);
        expect(files.sort()).toEqual(Array.from({ length: n }, (_, i) => `${split}-${String(i).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.parquet`));
      }
      // Message lists are real nested columns: list<struct<role, content>>.
      const file = readdirSync(join(out, 'data')).find((f) => f.endsWith('.parquet'))!;
      const meta = await parquetMetadataAsync(await asyncBufferFromFile(join(out, 'data', file)));
      const tree = parquetSchema(meta);
      const listCol = tree.children.find((ch) => ch.element.converted_type === 'LIST' && ch.element.name !== 'labels');
      if (listCol) {
        expect(listCol.children[0]!.element.repetition_type).toBe('REPEATED');
        expect(listCol.children[0]!.children[0]!.children.map((x) => x.element.name)).toEqual(['role', 'content']);
      }
      expect(readItemsJsonl(out)).toHaveLength(s.rows);
    });
  }

  it('row shapes follow each format and the card declares configs, features and splits', async () => {
    const sft = readJsonlRows(join(t.dir, 'out-sft')) as { messages: { role: string; content: string }[] }[];
    // Corrections become the final assistant turn; empty corrections are kept; dismissed items add their original output.
    expect(sft.some((r) => r.messages.at(-1)!.content.startsWith('Safer reply'))).toBe(true);
    expect(sft.some((r) => r.messages.at(-1)!.content === '')).toBe(true);
    expect(sft.some((r) => r.messages.at(-1)!.content.startsWith('answer'))).toBe(true);
    for (const r of sft) expect(r.messages.every((m) => Object.keys(m).join() === 'role,content')).toBe(true);

    const dpo = readJsonlRows(join(t.dir, 'out-trl-dpo')) as { prompt: unknown[]; chosen: { role: string }[]; rejected: unknown[] }[];
    for (const r of dpo) {
      expect(r.chosen).toHaveLength(1);
      expect(r.chosen[0]!.role).toBe('assistant');
      expect(r.rejected.length).toBeGreaterThan(0);
    }
    expect(dpo.some((r) => r.rejected.length === 2)).toBe(true);

    const cls = readJsonlRows(join(t.dir, 'out-classifier')) as { decision: string; labels: string[]; severity: string | null }[];
    expect(new Set(cls.map((r) => r.decision))).toEqual(new Set(['violation', 'dismiss', 'escalate']));
    expect(cls.some((r) => r.labels.length === 0)).toBe(true);
    expect(cls.some((r) => r.severity === null)).toBe(true);

    const card = readFileSync(join(t.dir, 'out-classifier', 'README.md'), 'utf8');
    const yaml = card.split('---')[1]!;
    expect(yaml).toContain('license: other');
    expect(yaml).toContain('task_categories:\n- text-classification');
    expect(yaml).toMatch(/configs:\n- config_name: default\n {2}data_files:\n {2}- split: train\n {4}path: "data\/train-\*\.parquet"/);
    expect(yaml).toContain('  - name: input\n    list:\n    - name: role\n      dtype: string\n    - name: content\n      dtype: string');
    expect(yaml).toContain('  - name: labels\n    sequence: string');
    const manifest = JSON.parse(readFileSync(join(t.dir, 'out-classifier', 'manifest.json'), 'utf8'));
    for (const split of SPLITS) {
      const count = manifest.content.counts.per_split[split];
      if (count > 0) expect(yaml).toMatch(new RegExp(`name: ${split}\\n {4}num_bytes: \\d+\\n {4}num_examples: ${count}\\n`));
    }
    expect(yaml).toContain('taxonomy:');
    expect(yaml).toContain('  - id: "S10"\n    name: "Hate"');
    expect(card).toContain('## Redaction');
    expect(card).toContain('**Redaction was turned off for this export**');
    expect(card).toContain('## Provenance');

    const pref = JSON.parse(readFileSync(join(t.dir, 'out-preference', 'manifest.json'), 'utf8'));
    // Items without an output (every 11th) cannot make a preference pair; dismissed ones have no correction.
    expect(pref.content.counts.skipped.no_output).toBeGreaterThan(0);
    expect(pref.content.counts.skipped.no_correction).toBeGreaterThan(0);
  });
});
