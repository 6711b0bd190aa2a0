/**
 * Text JavaScript can hold but UTF-8 and JSON cannot. The rule: a lone surrogate or bytes that
 * are not UTF-8 make the line bad; it is quarantined with the reason and JSON path, and the other
 * lines of its batch are kept. Valid astral text (a surrogate pair) goes through, and the JSONL
 * and Parquet halves of an export carry identical text, read back by independent readers.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportDataset } from '../../electron/core/export/index.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { importVerdicts } from '../../electron/core/sync/import.ts';
import { verifyWorkspace } from '../../electron/core/audit/verify-workspace.ts';
import { tempWorkspace } from '../helpers/workspace.ts';
import { readJsonlRows, readParquetRows } from '../export/helpers.ts';

const line = (id: string, output: string) => `{"id":"${id}","created_at":"2026-11-01T00:00:00Z","input":"question ${id}","output":"${output}"}`;

describe('lone surrogates and invalid UTF-8', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('ingest quarantines them with reason and path; the rest of the batch is kept; astral text survives', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const f = join(t.dir, 'q.jsonl');
    writeFileSync(
      f,
      Buffer.concat([
        Buffer.from(`${line('good1', 'fine')}\n${line('lone', 'bad \\ud800 here')}\n`),
        Buffer.from(`${line('bytes', 'x')}\n`.replace('"x"', '"\xff\xfe"'), 'latin1'),
        Buffer.from(`${line('low', '\\udc00 first')}\n${line('pair', 'emoji \\ud83d\\ude00 ok')}\n${line('literal', 'backslash \\\\ud800 is text')}\n`),
      ]),
    );
    const s = await ingest(t.ws, { path: f });
    expect(s).toMatchObject({ read: 6, ingested: 3, quarantined: 3 });
    const q = t.ws.sqlite.prepare('SELECT line, error, json_path AS path FROM quarantine ORDER BY line').all();
    expect(q).toEqual([
      { line: 2, error: expect.stringContaining('lone UTF-16 surrogate'), path: '$.output.messages[0].content' },
      { line: 3, error: expect.stringContaining('not valid UTF-8'), path: '$' },
      { line: 4, error: expect.stringContaining('lone UTF-16 surrogate'), path: '$.output.messages[0].content' },
    ]);
    const stored = t.ws.sqlite.prepare("SELECT i.external_id AS id, r.record FROM items i JOIN item_revisions r ON r.item_seq = i.seq ORDER BY i.seq").all() as { id: string; record: string }[];
    expect(stored.map((r) => r.id)).toEqual(['good1', 'pair', 'literal']);
    expect(JSON.parse(stored[1]!.record).output.messages[0].content).toBe('emoji \u{1F600} ok');
    expect(JSON.parse(stored[2]!.record).output.messages[0].content).toBe('backslash \\ud800 is text');
  });

  it('verdicts import quarantines the bad line alone; a submit is refused with one line', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const f = join(t.dir, 'q.jsonl');
    writeFileSync(f, ['a', 'b', 'c'].map((id) => line(id, `answer ${id}`)).join('\n') + '\n');
    await ingest(t.ws, { path: f });
    const v = join(t.dir, 'v.jsonl');
    const at = '2026-11-02T00:00:00Z';
    writeFileSync(
      v,
      [
        `{"item_id":"a","decision":"violation","correction":"safer \\ud83d\\ude00","reviewer":"r","decided_at":"${at}"}`,
        `{"item_id":"b","decision":"violation","correction":"broken \\ud800","reviewer":"r","decided_at":"${at}"}`,
        `{"item_id":"c","decision":"dismiss","labels":["\\udfff"],"reviewer":"r","decided_at":"${at}"}`,
        `{"item_id":"c","decision":"dismiss","reviewer":"r","decided_at":"${at}"}`,
      ].join('\n') + '\n',
    );
    const s = await importVerdicts(t.ws, { path: v });
    expect(s).toMatchObject({ read: 4, imported: 2, quarantined: 2 });
    const q = t.ws.sqlite.prepare("SELECT line, json_path AS path FROM quarantine WHERE error LIKE '%surrogate%' ORDER BY line").all();
    expect(q).toEqual([
      { line: 2, path: '$.correction' },
      { line: 3, path: '$.labels[0]' },
    ]);
    const item = t.ws.sqlite.prepare("SELECT id FROM items WHERE external_id = 'b'").pluck().get() as string;
    expect(() => new ReviewService(t.ws).submit({ itemId: item, decision: 'violation', correction: 'x\ud800', reviewer: 'r' })).toThrow(
      /^text at \$\.correction holds a lone UTF-16 surrogate[^\n]*$/,
    );
    expect(verifyWorkspace(t.ws)).toMatchObject({ ok: true });
  });

  it('JSONL and Parquet carry identical astral text, read back by JSON.parse and hyparquet', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const f = join(t.dir, 'q.jsonl');
    writeFileSync(f, Array.from({ length: 12 }, (_, i) => line(`e${i}`, `reply \\ud83d\\ude00 ${i} \\u00e9\\u4e2d`)).join('\n') + '\n');
    await ingest(t.ws, { path: f });
    const review = new ReviewService(t.ws);
    for (const id of t.ws.sqlite.prepare('SELECT id FROM items').pluck().all() as string[])
      review.submit({ itemId: id, decision: 'violation', correction: 'kinder \u{1F642} reply \u{10FFFF}', reviewer: 'r' });
    const out = join(t.dir, 'out');
    await exportDataset(t.ws, { format: 'trl-dpo', out, outputs: ['jsonl', 'parquet'], redact: false });
    const jsonl = readJsonlRows(out);
    const parquet = await readParquetRows(out);
    expect(jsonl).toHaveLength(12);
    expect(parquet).toEqual(jsonl);
    const text = JSON.stringify(jsonl);
    expect(text).toContain('\u{1F600}');
    expect(text).toContain('\u{1F642}');
    expect(text).not.toContain('\uFFFD');
  });
});
