/** Span review: add, adjust, reject; code-point offsets; stored with the verdict and its event; audit verify catches a changed edit. */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findItemSeq, getItem } from '../../db/queries/items.ts';
import { verdictsForItem } from '../../db/queries/verdicts.ts';
import { verifyWorkspace } from '../../electron/core/audit/verify-workspace.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { openWorkspace } from '../../electron/core/workspace/open.ts';
import { tempWorkspace } from '../helpers/workspace.ts';
import { exportDataset } from '../../electron/core/export/index.ts';
import { readJsonlRows } from '../export/helpers.ts';

// Astral characters before the target: UTF-16 offsets and code-point offsets differ by 2 here.
const OUTPUT = '😀😀 Take 40 mg twice daily.';
const cp = (needle: string) => {
  const start = Array.from(OUTPUT.slice(0, OUTPUT.indexOf(needle))).length;
  return { start, end: start + Array.from(needle).length };
};
const FLAGS = [{ source: 'dose-detector', category: 'dosing', spans: [{ field: 'output', ...cp('40 mg'), label: 'dose' }, { field: 'output', ...cp('twice'), label: 'freq' }] }];

async function setup() {
  const t = tempWorkspace();
  const f = join(t.dir, 'q.jsonl');
  writeFileSync(f, JSON.stringify({ id: 'dose', created_at: '2026-11-01T00:00:00Z', input: 'How much?', output: OUTPUT, flags: FLAGS }) + '\n');
  await ingest(t.ws, { path: f });
  const item = getItem(t.ws.sqlite, findItemSeq(t.ws.sqlite, 'dose')!)!;
  return { t, item, review: new ReviewService(t.ws) };
}

describe('span edits', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('are stored canonical and sorted, in the audit event, and verify; the offsets are code points', async () => {
    const { t, item, review } = await setup();
    cleanup = t.cleanup;
    const daily = cp('daily');
    expect(daily.start).toBe(OUTPUT.indexOf('daily') - 2);
    const v = review.submit({
      itemId: item.id, decision: 'violation', labels: ['S6'], reviewer: 'ana',
      spanEdits: [
        { op: 'add', field: 'output.messages[0]', ...daily, label: 'frequency' },
        { op: 'reject', flag: 0, span: 1 },
        { op: 'adjust', flag: 0, span: 0, start: cp('40 mg').start, end: cp('40 mg twice').end },
      ],
    });
    const expected = [
      { end: cp('40 mg twice').end, flag: 0, op: 'adjust', span: 0, start: cp('40 mg').start },
      { flag: 0, op: 'reject', span: 1 },
      { end: daily.end, field: 'output.messages[0]', label: 'frequency', op: 'add', start: daily.start },
    ];
    expect(v.spanEdits).toEqual(expected);
    const row = t.ws.sqlite.prepare('SELECT span_edits FROM verdicts WHERE id = ?').pluck().get(v.id) as string;
    expect(row).toBe(JSON.stringify(expected));
    const body = JSON.parse(t.ws.sqlite.prepare('SELECT body FROM audit_events WHERE seq = ?').pluck().get(v.auditSeq) as string) as { data: { span_edits: unknown } };
    expect(body.data.span_edits).toEqual(expected);
    expect(verdictsForItem(t.ws.sqlite, item.seq)[0]!.spanEdits).toEqual(expected);
    // The added span covers exactly "daily" when sliced in code points.
    expect(Array.from(OUTPUT).slice(daily.start, daily.end).join('')).toBe('daily');
    expect(verifyWorkspace(t.ws)).toMatchObject({ ok: true });
  });

  it('refuses spans past the message, empty ones, unknown flags or messages, and a span edited twice, writing nothing', async () => {
    const { t, item, review } = await setup();
    cleanup = t.cleanup;
    const len = Array.from(OUTPUT).length;
    const submit = (spanEdits: Parameters<ReviewService['submit']>[0]['spanEdits']) => () =>
      review.submit({ itemId: item.id, decision: 'dismiss', reviewer: 'ana', spanEdits });
    // The UTF-16 length is past the end in code points.
    expect(submit([{ op: 'add', field: 'output', start: 0, end: OUTPUT.length, label: 'x' }])).toThrow(`the span ends at ${OUTPUT.length} but the message has ${len} characters`);
    expect(submit([{ op: 'add', field: 'output', start: 3, end: 3, label: 'x' }])).toThrow(/0 ≤ start < end/);
    expect(submit([{ op: 'add', field: 'output.messages[4]', start: 0, end: 1, label: 'x' }])).toThrow(/no message output.messages\[4\]/);
    expect(submit([{ op: 'reject', flag: 1, span: 0 }])).toThrow('flag 2 span 1 does not exist in this revision');
    expect(submit([{ op: 'reject', flag: 0, span: 0 }, { op: 'adjust', flag: 0, span: 0, start: 0, end: 2 }])).toThrow(/adjusted or rejected twice/);
    expect(submit([{ op: 'adjust', flag: 0, span: 0, ...cp('40 mg') }])).toThrow(/new bounds are the old ones/);
    expect(verdictsForItem(t.ws.sqlite, item.seq)).toHaveLength(0);
  });

  it('a span edit changed in the table without its event fails audit verify, naming span_edits and the row', async () => {
    const { t, item, review } = await setup();
    const v = review.submit({ itemId: item.id, decision: 'violation', labels: ['S6'], reviewer: 'ana', spanEdits: [{ op: 'reject', flag: 0, span: 1 }] });
    t.ws.close();
    const raw = new Database(t.path);
    cleanup = () => (raw.close(), t.cleanup());
    for (const name of raw.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%no_%'").pluck().all() as string[]) raw.exec(`DROP TRIGGER ${name}`);
    raw.prepare('UPDATE verdicts SET span_edits = ? WHERE id = ?').run('[{"flag":0,"op":"reject","span":0}]', v.id);
    const ws = openWorkspace(t.path, { create: false });
    try {
      const res = verifyWorkspace(ws);
      expect(res.ok).toBe(false);
      if (res.ok) return;
      expect(res.mismatch).toMatchObject({ table: 'verdicts', row: v.id });
      expect(res.reason).toMatch(/span_edits/);
    } finally {
      ws.close();
    }
  });

  it('are exported with the verdict: the classifier rows carry the reviewed spans (moved, rejected left out, added)', async () => {
    const { t, item, review } = await setup();
    cleanup = t.cleanup;
    const daily = cp('daily');
    review.submit({
      itemId: item.id, decision: 'violation', labels: ['S6'], reviewer: 'ana', correction: 'See a clinician for dosing.',
      spanEdits: [{ op: 'reject', flag: 0, span: 1 }, { op: 'adjust', flag: 0, span: 0, start: cp('40 mg').start, end: cp('40 mg twice').end }, { op: 'add', field: 'output', ...daily, label: 'S6' }],
    });
    const out = join(t.dir, 'out');
    await exportDataset(t.ws, { format: 'classifier', out, redact: false });
    const rows = readJsonlRows(out) as { spans: string[] }[];
    expect(rows).toHaveLength(1);
    const spans = rows[0]!.spans.map((s) => JSON.parse(s) as { field: string; start: number; end: number; label: string; origin: string });
    expect(spans).toEqual([
      { end: cp('40 mg twice').end, field: 'output', label: 'dose', origin: 'flag', start: cp('40 mg').start },
      { end: daily.end, field: 'output', label: 'S6', origin: 'reviewer', start: daily.start },
    ]);
    expect(spans.map((s) => Array.from(OUTPUT).slice(s.start, s.end).join(''))).toEqual(['40 mg twice', 'daily']);
  });
});
