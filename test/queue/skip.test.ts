import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuePage, statusCounts, type Cursor, type QueueFilter } from '../../db/queries/items.ts';
import { ingestDemo } from '../../electron/core/demo/ingest-demo.ts';
import { verifyState } from '../../electron/core/audit/replay.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const t = tempWorkspace();
const OPEN: QueueFilter = { status: ['new', 'in_review', 'conflict', 'skipped'] };

function collect(filter: QueueFilter, size: number): { id: string; status: string; key: [number, number, number] }[] {
  const out: { id: string; status: string; key: [number, number, number] }[] = [];
  let after: Cursor | null = null;
  do {
    const page = queuePage(t.ws.sqlite, filter, after, size);
    out.push(...page.rows.map((r) => ({ id: r.id, status: r.status, key: [r.priority, r.createdMs, r.seq] as [number, number, number] })));
    after = page.next;
  } while (after);
  return out;
}

const before = (a: [number, number, number], b: [number, number, number]) => a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])));

describe('skipped items', () => {
  let skipped: string[] = [];
  let top: string[] = [];
  beforeAll(async () => {
    await ingestDemo(t.ws, 120, 5);
    top = queuePage(t.ws.sqlite, OPEN, null, 10).rows.map((r) => r.id);
    const review = new ReviewService(t.ws);
    // Skip the first, third and fifth item of the queue.
    skipped = [top[0]!, top[2]!, top[4]!];
    for (const id of skipped) review.submit({ itemId: id, decision: 'skip', reviewer: 'ana' });
  });
  afterAll(() => t.cleanup());

  it('leave "In review" and are counted as skipped', () => {
    const counts = statusCounts(t.ws.sqlite);
    expect(counts.in_review).toBe(0);
    expect(counts.skipped).toBe(3);
    const rows = t.ws.sqlite.prepare(`SELECT status FROM items WHERE id IN (?, ?, ?)`).pluck().all(...skipped);
    expect(rows).toEqual(['skipped', 'skipped', 'skipped']);
  });

  it('come after every unskipped item, in queue order, on every page size and in search and single-status views', () => {
    for (const size of [1, 2, 7, 50, 500]) {
      const list = collect(OPEN, size);
      expect(new Set(list.map((r) => r.id)).size, `page size ${size}`).toBe(list.length);
      expect(list.length).toBe(120);
      const firstSkipped = list.findIndex((r) => r.status === 'skipped');
      expect(firstSkipped).toBe(117);
      expect(list.slice(117).map((r) => r.id)).toEqual(skipped);
      // Within each group, the usual order.
      for (let i = 1; i < list.length; i++) if (i !== 117) expect(before(list[i - 1]!.key, list[i]!.key)).toBe(true);
      // The queue's new top: the second, fourth, sixth... item of the old one.
      expect(list.slice(0, 3).map((r) => r.id)).toEqual([top[1], top[3], top[5]]);
    }
    // A search that matches everything sorts the same way.
    const all = collect({ ...OPEN, search: 'the' }, 9);
    const skippedAt = all.map((r, i) => (r.status === 'skipped' ? i : -1)).filter((i) => i >= 0);
    expect(skippedAt.length).toBeGreaterThan(0);
    expect(skippedAt[0]).toBe(all.length - skippedAt.length);
    expect(collect({ status: ['skipped'] }, 2).map((r) => r.id)).toEqual(skipped);
  });

  it('a decision on a skipped item decides it, and the audit replays the statuses', () => {
    const review = new ReviewService(t.ws);
    review.submit({ itemId: skipped[1]!, decision: 'dismiss', reviewer: 'ana' });
    expect(statusCounts(t.ws.sqlite).skipped).toBe(2);
    expect(verifyState(t.ws.sqlite).ok).toBe(true);
    // Undo reopens it (a skip is not a verdict in force, so the item goes back to new).
    review.undo('ana');
    expect(t.ws.sqlite.prepare('SELECT status FROM items WHERE id = ?').pluck().get(skipped[1])).toBe('new');
    expect(verifyState(t.ws.sqlite).ok).toBe(true);
  });
});
