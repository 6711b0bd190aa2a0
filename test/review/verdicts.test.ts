import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findItemSeq, getItem, statusCounts } from '../../db/queries/items.ts';
import { currentVerdict, verdictsForItem } from '../../db/queries/verdicts.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const rec = (id: string, out = `answer ${id}`) => JSON.stringify({ id, created_at: '2026-11-01T00:00:00Z', input: `q ${id}`, output: out });

async function setup() {
  const t = tempWorkspace();
  const f = join(t.dir, 'q.jsonl');
  writeFileSync(f, [rec('a'), rec('b'), rec('c')].join('\n') + '\n');
  await ingest(t.ws, { path: f });
  const id = (ext: string) => getItem(t.ws.sqlite, findItemSeq(t.ws.sqlite, ext)!)!;
  return { t, f, id, review: new ReviewService(t.ws) };
}

describe('verdicts', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('records a verdict, its status change and its audit event in one go', async () => {
    const { t, id, review } = await setup();
    cleanup = t.cleanup;
    const a = id('a');
    const before = t.ws.audit.head().size;
    const v = review.submit({ itemId: a.id, revisionId: a.revisions[0]!.id, decision: 'violation', labels: ['S7', 'pii_exposure', 'S7'], severity: 'high', correction: 'I cannot share that.', rationale: 'leaks an email', reviewer: 'ana' });
    expect(v.labels).toEqual(['S7', 'pii_exposure']);
    expect(id('a').status).toBe('decided');
    expect(t.ws.audit.head().size).toBe(before + 1);
    const ev = JSON.parse(t.ws.sqlite.prepare('SELECT body FROM audit_events WHERE seq = ?').pluck().get(v.auditSeq) as string);
    expect(ev).toMatchObject({ type: 'verdict.recorded', actor: 'ana', subject: a.id, data: { verdict_id: v.id, decision: 'violation' } });
    // Content enters the log by hash only.
    expect(JSON.stringify(ev)).not.toContain('I cannot share that.');
    expect(ev.data.correction_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(statusCounts(t.ws.sqlite)).toMatchObject({ new: 2, decided: 1 });
    expect(t.ws.audit.verify().ok).toBe(true);
  });

  it('undo retracts the last verdict and amend supersedes a past one, keeping lineage', async () => {
    const { t, id, review } = await setup();
    cleanup = t.cleanup;
    const a = id('a');
    const b = id('b');
    const va = review.submit({ itemId: a.id, decision: 'dismiss', reviewer: 'ana' });
    const vb = review.submit({ itemId: b.id, decision: 'escalate', routeTo: 'legal', reviewer: 'ana' });
    expect(id('b')).toMatchObject({ status: 'escalated', route: 'legal' });
    const u = review.undo('ana')!;
    expect(u.undone.id).toBe(vb.id);
    expect(u.undo).toMatchObject({ kind: 'undo', supersedes: vb.id, decision: 'retracted' });
    expect(id('b').status).toBe('new');
    // The next undo goes further back.
    expect(review.undo('ana')!.undone.id).toBe(va.id);
    expect(id('a').status).toBe('new');
    expect(review.undo('ana')).toBeNull();

    const v1 = review.submit({ itemId: a.id, decision: 'dismiss', reviewer: 'ana' });
    const v2 = review.amend(v1.id, { decision: 'violation', labels: ['S10'], reviewer: 'ben', rationale: 'second look' });
    expect(v2).toMatchObject({ kind: 'amendment', supersedes: v1.id });
    expect(currentVerdict(t.ws.sqlite, a.seq)!.id).toBe(v2.id);
    expect(() => review.amend(v1.id, { decision: 'dismiss', reviewer: 'ben' })).toThrow(/already amended/);
    // Undoing the amendment puts the original back in force.
    review.undo('ben');
    expect(currentVerdict(t.ws.sqlite, a.seq)!.id).toBe(v1.id);
    expect(id('a').status).toBe('decided');
    expect(verdictsForItem(t.ws.sqlite, a.seq).map((v) => v.kind)).toEqual(['verdict', 'undo', 'verdict', 'amendment', 'undo']);
    // ...and can be amended again.
    const v3 = review.amend(v1.id, { decision: 'violation', labels: ['S1'], reviewer: 'ben' });
    expect(currentVerdict(t.ws.sqlite, a.seq)!.id).toBe(v3.id);
    // An undone verdict cannot be amended.
    expect(() => review.amend(v2.id, { decision: 'dismiss', reviewer: 'ben' })).toThrow(/already amended or undone/);
    expect(t.ws.audit.verify().ok).toBe(true);
  });

  it('refuses a verdict on a revision that is no longer current', async () => {
    const { t, f, id, review } = await setup();
    cleanup = t.cleanup;
    const old = id('c').revisions[0]!.id;
    writeFileSync(f, [rec('a'), rec('b'), rec('c', 'changed')].join('\n') + '\n');
    await ingest(t.ws, { path: f });
    expect(id('c').status).toBe('conflict');
    expect(() => review.submit({ itemId: id('c').id, revisionId: old, decision: 'dismiss', reviewer: 'ana' })).toThrow(/new revision/);
    review.submit({ itemId: id('c').id, revisionId: id('c').revisions[1]!.id, decision: 'dismiss', reviewer: 'ana' });
    expect(id('c').status).toBe('decided');
    review.undo('ana');
    expect(id('c').status).toBe('conflict');
  });
});
