/** Per-flag accept/reject: stored with the verdict, in its audit event, checked against the judged revision. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findItemSeq, getItem } from '../../db/queries/items.ts';
import { verdictsForItem } from '../../db/queries/verdicts.ts';
import { verifyWorkspace } from '../../electron/core/audit/verify-workspace.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const FLAGS = [
  { source: 'llama-guard-3', category: 'S6', score: 0.9 },
  { source: 'pii-scan', category: 'pii', score: 0.4 },
  { source: 'toxicity', score: 0.2 },
];
const rec = (id: string, flags: unknown[]) => JSON.stringify({ id, created_at: '2026-11-01T00:00:00Z', input: `q ${id}`, output: `answer ${id}`, flags });

async function setup() {
  const t = tempWorkspace();
  const f = join(t.dir, 'q.jsonl');
  writeFileSync(f, [rec('three', FLAGS), rec('none', [])].join('\n') + '\n');
  await ingest(t.ws, { path: f });
  const item = (ext: string) => getItem(t.ws.sqlite, findItemSeq(t.ws.sqlite, ext)!)!;
  return { t, item, review: new ReviewService(t.ws) };
}

const eventData = (t: ReturnType<typeof tempWorkspace>, auditSeq: number) =>
  (JSON.parse(t.ws.sqlite.prepare('SELECT body FROM audit_events WHERE seq = ?').pluck().get(auditSeq) as string) as { data: Record<string, unknown> }).data;

describe('per-flag review', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('is stored sorted by flag, in the audit event, in History, and the workspace verifies', async () => {
    const { t, item, review } = await setup();
    cleanup = t.cleanup;
    const it3 = item('three');
    const v = review.submit({
      itemId: it3.id, decision: 'violation', labels: ['S6'], reviewer: 'ana',
      flagReviews: [{ flag: 2, accepted: false }, { flag: 0, accepted: true }],
    });
    const expected = [{ accepted: true, flag: 0 }, { accepted: false, flag: 2 }];
    expect(v.flagReviews).toEqual(expected);
    expect(eventData(t, v.auditSeq).flag_reviews).toEqual(expected);
    expect(verdictsForItem(t.ws.sqlite, it3.seq)[0]!.flagReviews).toEqual(expected);
    // An amendment carries its own calls; the original keeps its.
    const a = review.amend(v.id, { decision: 'dismiss', reviewer: 'ana', flagReviews: [{ flag: 0, accepted: false }, { flag: 1, accepted: false }, { flag: 2, accepted: false }] });
    expect(a.flagReviews.map((r) => r.accepted)).toEqual([false, false, false]);
    expect(verdictsForItem(t.ws.sqlite, it3.seq).map((r) => r.flagReviews.length)).toEqual([2, 3]);
    // Undo carries none.
    const u = review.undo('ana')!;
    expect(u.undo.flagReviews).toEqual([]);
    expect(eventData(t, u.undo.auditSeq).flag_reviews).toEqual([]);
    expect(verifyWorkspace(t.ws)).toMatchObject({ ok: true });
  });

  it('refuses a flag the revision does not have, and a flag called twice, writing nothing', async () => {
    const { t, item, review } = await setup();
    cleanup = t.cleanup;
    const it3 = item('three');
    expect(() => review.submit({ itemId: it3.id, decision: 'dismiss', reviewer: 'ana', flagReviews: [{ flag: 3, accepted: false }] })).toThrow(
      'flag 4 does not exist: this revision has 3 flags',
    );
    expect(() => review.submit({ itemId: item('none').id, decision: 'dismiss', reviewer: 'ana', flagReviews: [{ flag: 0, accepted: true }] })).toThrow(
      /this revision has 0 flags/,
    );
    expect(() =>
      review.submit({ itemId: it3.id, decision: 'dismiss', reviewer: 'ana', flagReviews: [{ flag: 1, accepted: true }, { flag: 1, accepted: false }] }),
    ).toThrow(/flag 2 is accepted or rejected twice/);
    expect(verdictsForItem(t.ws.sqlite, it3.seq)).toHaveLength(0);
    // No review at all stays valid.
    expect(review.submit({ itemId: it3.id, decision: 'dismiss', reviewer: 'ana' }).flagReviews).toEqual([]);
  });
});
