import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filteredStatusCounts, queuePage, statusCounts, STATUSES, type QueueFilter } from '../../db/queries/items.ts';
import { ingestDemo } from '../../electron/core/demo/ingest-demo.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const t = tempWorkspace();

/** What a full scan says, to hold the trigger-kept counts to. */
function scanned(filter: QueueFilter) {
  const out = Object.fromEntries(STATUSES.map((s) => [s, 0]));
  let after = null;
  do {
    const page = queuePage(t.ws.sqlite, { ...filter, status: undefined }, after, 100);
    for (const r of page.rows) out[r.status]!++;
    after = page.next;
  } while (after);
  return out;
}

describe('queue reads', () => {
  beforeAll(async () => {
    await ingestDemo(t.ws, 400, 5);
    const review = new ReviewService(t.ws);
    const rows = queuePage(t.ws.sqlite, {}, null, 30).rows;
    rows.forEach((r, i) =>
      review.submit({ itemId: r.id, decision: i % 3 === 0 ? 'escalate' : 'dismiss', routeTo: i % 3 === 0 ? 'legal' : null, reviewer: 'ana' }),
    );
  });
  afterAll(() => t.cleanup());

  it('keeps counts per status, route and priority exact through verdicts and escalations', () => {
    expect(statusCounts(t.ws.sqlite)).toEqual(scanned({}));
    for (const filter of [{ route: ['legal'] }, { route: ['clinical', 'trust_safety'] }, { priority: [0, 1] }, { route: ['legal'], priority: [2] }]) {
      const r = filteredStatusCounts(t.ws.sqlite, filter);
      expect(r.capped).toBe(false);
      expect(r.counts, JSON.stringify(filter)).toEqual(scanned(filter));
    }
    const model = queuePage(t.ws.sqlite, {}, null, 1).rows[0]!.model!;
    expect(filteredStatusCounts(t.ws.sqlite, { model }).counts).toEqual(scanned({ model }));
  });

  it('pages in queue order without gaps or repeats', () => {
    const seen: string[] = [];
    let after = null;
    let prev: [number, string, number] | null = null;
    do {
      const page = queuePage(t.ws.sqlite, {}, after, 37);
      for (const r of page.rows) {
        const key: [number, string, number] = [r.priority, r.createdAt, r.seq];
        if (prev) expect(key[0] > prev[0] || (key[0] === prev[0] && (key[1] > prev[1] || (key[1] === prev[1] && key[2] > prev[2])))).toBe(true);
        prev = key;
        seen.push(r.id);
      }
      after = page.next;
    } while (after);
    expect(new Set(seen).size).toBe(400);
  });

  it('pages a several-status filter in the same order as the whole queue, merging one scan per status', () => {
    const collect = (filter: QueueFilter, size: number) => {
      const out: string[] = [];
      let after = null;
      do {
        const page = queuePage(t.ws.sqlite, filter, after, size);
        out.push(...page.rows.map((r) => `${r.status}:${r.id}`));
        after = page.next;
      } while (after);
      return out;
    };
    const picked = new Set(['new', 'escalated', 'decided']);
    const whole = collect({}, 400).filter((k) => picked.has(k.split(':')[0]!));
    expect(whole.some((k) => k.startsWith('escalated:'))).toBe(true);
    expect(collect({ status: ['new', 'escalated', 'decided'] }, 23)).toEqual(whole);
    expect(collect({ status: ['escalated', 'escalated'] }, 7)).toEqual(whole.filter((k) => k.startsWith('escalated:')));
  });

  it('searches message text, source ids, flag categories and reasons, and evidence titles', () => {
    const any = queuePage(t.ws.sqlite, {}, null, 1).rows[0]!;
    expect(queuePage(t.ws.sqlite, { search: any.externalId }, null, 10).rows.map((r) => r.id)).toContain(any.id);
    const cat = t.ws.sqlite.prepare("SELECT top_flag_source FROM items WHERE top_flag_source LIKE '%groundedness%' LIMIT 1").pluck().get() as string;
    expect(queuePage(t.ws.sqlite, { search: cat }, null, 5).rows.length).toBeGreaterThan(0);
    expect(queuePage(t.ws.sqlite, { search: 'zzqx-no-such-word' }, null, 5).rows).toEqual([]);
    // FTS syntax in the query cannot break it.
    expect(() => queuePage(t.ws.sqlite, { search: 'NEAR( "unbalanced * OR' }, null, 5)).not.toThrow();
  });
});
