/**
 * "In force" is one SQL definition (db/queries/in-force.ts): History's inForce field, the item's
 * current verdict and the export's per-item selection must name the same row at every step.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { inForceVerdictSql } from '../../db/queries/in-force.ts';
import { findItemSeq } from '../../db/queries/items.ts';
import { currentVerdict, getVerdict, isSuperseded, verdictsForItem } from '../../db/queries/verdicts.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

let cleanup = () => {};
afterEach(() => cleanup());

it('History, the current verdict and the export selection agree on the verdict in force', async () => {
  const t = tempWorkspace();
  cleanup = t.cleanup;
  const f = join(t.dir, 'q.jsonl');
  const rec = (id: string) => JSON.stringify({ id, created_at: '2026-11-01T00:00:00Z', route: 'trust_safety', input: `q ${id}`, output: `a ${id}` });
  writeFileSync(f, [rec('a'), rec('b')].join('\n') + '\n');
  await ingest(t.ws, { path: f });
  const seq = findItemSeq(t.ws.sqlite, 'a')!;
  const itemId = t.ws.sqlite.prepare('SELECT id FROM items WHERE seq = ?').pluck().get(seq) as string;
  const review = new ReviewService(t.ws);
  const exportSeq = t.ws.sqlite.prepare(`SELECT (${inForceVerdictSql('i.seq')}) FROM items i WHERE i.seq = ?`).pluck();

  const agree = (expected: string | null) => {
    const history = verdictsForItem(t.ws.sqlite, seq).filter((r) => r.inForce).map((r) => r.id);
    const current = currentVerdict(t.ws.sqlite, seq)?.id ?? null;
    const exported = exportSeq.get(seq) as number | null;
    const exportedId = exported === null ? null : (t.ws.sqlite.prepare('SELECT id FROM verdicts WHERE seq = ?').pluck().get(exported) as string);
    expect({ history, current, exportedId }).toEqual({ history: expected ? [expected] : [], current: expected, exportedId: expected });
  };

  agree(null);
  review.submit({ itemId, decision: 'skip', reviewer: 'ana' });
  agree(null);
  const v1 = review.submit({ itemId, decision: 'violation', labels: ['S1'], reviewer: 'ana' });
  agree(v1.id);
  const a = review.amend(v1.id, { decision: 'violation', labels: ['S2'], reviewer: 'ana' });
  agree(a.id);
  expect(isSuperseded(t.ws.sqlite, v1.id)).toBe(true);
  expect(() => review.amend(v1.id, { decision: 'dismiss', reviewer: 'ana' })).toThrow(/already amended or undone/);
  review.undo('ana');
  agree(v1.id);
  expect(isSuperseded(t.ws.sqlite, v1.id)).toBe(false);
  const v2 = review.submit({ itemId, decision: 'dismiss', reviewer: 'ben' });
  agree(v2.id);
  review.undo('ben');
  agree(v1.id);
  expect(getVerdict(t.ws.sqlite, v2.id)?.kind).toBe('verdict');
});
