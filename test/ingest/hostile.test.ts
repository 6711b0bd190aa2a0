import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getItem, findItemSeq, statusCounts } from '../../db/queries/items.ts';
import { listQuarantine } from '../../db/queries/quarantine.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import type { EscalationRecord } from '../../electron/core/record/schema.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const base = {
  created_at: '2026-11-20T10:00:00+02:00',
  input: 'What is my colleague\'s email?',
};
const emojiOutput = '🙂🙂 Sure: jane.doe@example.com is her address.';
const recordA = {
  id: 'a',
  ...base,
  output: emojiOutput,
  flags: [{ source: 'pii-detector', category: 'pii', score: 0.97, spans: [{ field: 'output', start: 9, end: 29, label: 'EMAIL' }] }],
};
const recordB = { id: 'b', ...base, priority: 'high', route: 'legal' };

function nest(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

const lines: string[] = [
  '\uFEFF' + JSON.stringify(recordA), // 1 BOM at file start
  '', // 2 blank
  '   ', // 3 blank (spaces)
  'not json {', // 4
  '[1,2,3]', // 5 array
  '"just a string"', // 6
  'null', // 7
  JSON.stringify({ id: 'deep', ...base, metadata: nest(40) }), // 8 too deep
  JSON.stringify({ id: 'huge', ...base, output: 'x'.repeat(300_000) }), // 9 oversized
  JSON.stringify({ id: 5, ...base }), // 10 wrong type
  JSON.stringify({ id: 'missing' }), // 11 missing fields
  JSON.stringify(recordA), // 12 exact duplicate
  '{ "flags": ' + JSON.stringify(recordA.flags) + ', "output": ' + JSON.stringify(emojiOutput) + ', "input": ' + JSON.stringify(base.input) + ', "created_at": "2026-11-20T10:00:00+02:00", "id": "a" }', // 13 reordered = duplicate
  JSON.stringify({ ...recordA, output: emojiOutput + ' (edited)' }), // 14 conflicting revision
  JSON.stringify(recordB) + '\r', // 15 CRLF
  JSON.stringify({ id: 'score', ...base, flags: [{ source: 'x', score: 1.5 }] }), // 16 score out of range
  JSON.stringify({ id: 'span', ...base, flags: [{ source: 'x', spans: [{ field: 'output', start: 5, end: 2 }] }] }), // 17
  JSON.stringify({ id: 'prio', ...base, priority: 'urgent' }), // 18 bad enum
  JSON.stringify({ id: 'date', ...base, created_at: 'yesterday' }), // 19 bad date
  JSON.stringify(recordB), // 20 duplicate of B without CR
];

describe('hostile JSONL input', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('quarantines every bad line with its reason and location and keeps the rest', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const file = join(t.dir, 'hostile.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    const s = await ingest(t.ws, { path: file, maxLineBytes: 100_000 });
    expect({ read: s.read, ingested: s.ingested, duplicates: s.duplicates, revisions: s.revisions, quarantined: s.quarantined }).toEqual({
      read: 18,
      ingested: 2,
      duplicates: 3,
      revisions: 1,
      quarantined: 12,
    });
    expect(s.searchable).toBe(true);

    const q = listQuarantine(t.ws.sqlite, 100).sort((x, y) => x.line - y.line);
    expect(q.map((r) => r.line)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19]);
    const byLine = new Map(q.map((r) => [r.line, r]));
    expect(byLine.get(4)!.error).toMatch(/^invalid JSON/);
    expect(byLine.get(5)!.error).toBe('expected a JSON object, got an array');
    expect(byLine.get(7)!.error).toBe('expected a JSON object, got null');
    expect(byLine.get(8)!.error).toMatch(/nested deeper than 32/);
    expect(byLine.get(8)!.jsonPath).toMatch(/^\$\.metadata\.a\.a/);
    expect(byLine.get(9)!.error).toMatch(/over the 100000-byte limit/);
    expect(byLine.get(9)!.raw.length).toBe(64 * 1024);
    expect(byLine.get(9)!.rawBytes).toBe(Buffer.byteLength(lines[8]!));
    expect(byLine.get(10)!.jsonPath).toBe('$.id');
    expect(byLine.get(11)!.error).toMatch(/^schema: /);
    expect(byLine.get(11)!.error).toMatch(/required field is missing at \$\.(created_at|input)/);
    expect(byLine.get(16)!.jsonPath).toBe('$.flags[0].score');
    expect(byLine.get(17)!.jsonPath).toBe('$.flags[0].spans[0].end');
    expect(byLine.get(18)!.jsonPath).toBe('$.priority');
    expect(byLine.get(19)!.jsonPath).toBe('$.created_at');
    // Byte offsets point at the start of the line in the file.
    const text = Buffer.from(lines.join('\n') + '\n');
    for (const r of q) {
      const lineStart = text.subarray(r.byteOffset).toString('utf8').split('\n')[0]!.replace(/\r$/, '');
      expect(lineStart.startsWith(r.raw.slice(0, 50))).toBe(true);
      expect(r.rawSha256).toMatch(/^[0-9a-f]{64}$/);
    }

    // The conflicting record became revision 2; both revisions kept.
    const a = getItem<EscalationRecord>(t.ws.sqlite, findItemSeq(t.ws.sqlite, 'a')!)!;
    expect(a.status).toBe('conflict');
    expect(a.revisions.map((r) => r.revision)).toEqual([1, 2]);
    expect(a.revisions[0]!.record.output!.messages[0]!.content).toBe(emojiOutput);
    expect(a.record.output!.messages[0]!.content).toBe(emojiOutput + ' (edited)');
    // Code-point offsets survive storage: the span still lands on the email after the emoji.
    const span = a.revisions[0]!.record.flags[0]!.spans[0]!;
    expect(Array.from(emojiOutput).slice(span.start, span.end).join('')).toBe('jane.doe@example.com');

    const b = getItem<EscalationRecord>(t.ws.sqlite, findItemSeq(t.ws.sqlite, 'b')!)!;
    expect(b.route).toBe('legal');
    expect(b.createdAt).toBe('2026-11-20T08:00:00.000Z');
    expect(statusCounts(t.ws.sqlite)).toMatchObject({ new: 1, conflict: 1 });
    expect(t.ws.audit.verify().ok).toBe(true);

    // Pulling again reads nothing: the file is unchanged.
    const again = await ingest(t.ws, { path: file, maxLineBytes: 100_000 });
    expect(again.read).toBe(0);
    expect(again.skippedFiles).toBe(1);
  });
});

describe('parsing in worker threads', () => {
  it('gives exactly what parsing inline gives', async () => {
    const a = tempWorkspace();
    const b = tempWorkspace();
    try {
      const file = join(a.dir, 'hostile.jsonl');
      writeFileSync(file, lines.join('\n') + '\n');
      const inline = await ingest(a.ws, { path: file, maxLineBytes: 100_000, workers: 0 });
      const pooled = await ingest(b.ws, { path: file, maxLineBytes: 100_000, workers: 2, batchSize: 3 });
      const pick = (s: typeof inline) => [s.read, s.ingested, s.duplicates, s.revisions, s.quarantined];
      expect(pick(pooled)).toEqual(pick(inline));
      const dump = (w: typeof a.ws) => ({
        revisions: w.sqlite.prepare('SELECT content_sha256, record FROM item_revisions ORDER BY seq').all(),
        quarantine: w.sqlite.prepare('SELECT line, byte_offset, error, json_path, raw_sha256 FROM quarantine ORDER BY line').all(),
      });
      expect(dump(b.ws)).toEqual(dump(a.ws));
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });

  it('treats a record re-sent with other key order in free-form maps as a duplicate', async () => {
    const t = tempWorkspace();
    try {
      const file = join(t.dir, 'order.jsonl');
      const one = { id: 'k', ...base, metadata: { b: 1, a: { y: 2, x: [{ d: 1, c: 2 }] } }, provenance: { trace_id: 't', deployment: 'd', 'x.custom': { q: 1, p: 2 } } };
      const two = { provenance: { 'x.custom': { p: 2, q: 1 }, deployment: 'd', trace_id: 't' }, metadata: { a: { x: [{ c: 2, d: 1 }], y: 2 }, b: 1 }, input: base.input, created_at: base.created_at, id: 'k' };
      writeFileSync(file, JSON.stringify(one) + '\n' + JSON.stringify(two) + '\n');
      expect(await ingest(t.ws, { path: file })).toMatchObject({ ingested: 1, duplicates: 1, revisions: 0 });
    } finally {
      t.cleanup();
    }
  });
});
