/**
 * Expert review in a local workspace: imported verdicts that disagree make an item disputed
 * (one SQL definition), the adjudication is in force over them, holds, reopens, gold and
 * reveals are audited rows that `audit verify` replays, and gold items never export.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyWorkspace } from '../../electron/core/audit/verify-workspace.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { ItemActions } from '../../electron/core/review/actions.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { expertHandlers } from '../../electron/core/review/expert-handlers.ts';
import { openWorkspace } from '../../electron/core/workspace/open.ts';
import { needsAdjudication } from '../../db/queries/adjudication.ts';
import { currentVerdict, verdictsForItem } from '../../db/queries/verdicts.ts';
import { goldAccuracy, holds } from '../../db/queries/item-actions.ts';
import { ratingColumns } from '../../db/queries/agreement.ts';
import { iterateExportRows } from '../../db/queries/export.ts';
import type { Workspace } from '../../electron/core/workspace/open.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const ANY = { decisions: [], labels: [], routes: [], models: [], from: null, to: null, reviewers: [] };
const exportSelectionCount = (ws: Workspace) => [...iterateExportRows(ws.sqlite, ANY)].filter(([conflict]) => conflict === 0).length;

const rec = (id: string) => JSON.stringify({ id, created_at: '2026-11-01T00:00:00Z', input: `q ${id}`, output: `a ${id}` });

async function setup() {
  const t = tempWorkspace();
  const f = join(t.dir, 'q.jsonl');
  writeFileSync(f, ['a', 'b', 'c', 'd'].map(rec).join('\n') + '\n');
  await ingest(t.ws, { path: f });
  const review = new ReviewService(t.ws);
  const actions = new ItemActions(t.ws);
  const id = (ext: string) => t.ws.sqlite.prepare('SELECT id FROM items WHERE external_id = ?').pluck().get(ext) as string;
  const seq = (ext: string) => t.ws.sqlite.prepare('SELECT seq FROM items WHERE external_id = ?').pluck().get(ext) as number;
  const status = (ext: string) => t.ws.sqlite.prepare('SELECT status FROM items WHERE external_id = ?').pluck().get(ext) as string;
  const imp = (ext: string, reviewer: string, decision: 'violation' | 'dismiss', labels: string[] = [], at = '2026-11-02T00:00:00.000Z') =>
    review.submit({ itemId: id(ext), decision, labels, reviewer, decidedAt: at }, 'import');
  return { t, review, actions, id, seq, status, imp };
}

describe('adjudication over imported verdicts', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('two reviewers who disagree make the item disputed; the adjudication is in force and a later import does not replace it', async () => {
    const { t, review, id, seq, status, imp } = await setup();
    cleanup = t.cleanup;
    imp('a', 'ana', 'violation', ['S1']);
    expect(status('a')).toBe('decided');
    imp('a', 'ben', 'violation', ['S1']);
    expect(needsAdjudication(t.ws.sqlite, seq('a'))).toBe(false);
    expect(status('a')).toBe('decided');
    imp('b', 'ana', 'violation', ['S1']);
    imp('b', 'ben', 'violation', ['S4']);
    expect(status('b')).toBe('disputed'); // same decision, different labels
    imp('c', 'ana', 'violation');
    imp('c', 'ben', 'dismiss');
    expect(needsAdjudication(t.ws.sqlite, seq('c'))).toBe(true);
    expect(status('c')).toBe('disputed');
    expect(() => review.adjudicate({ itemId: id('a'), decision: 'dismiss', reviewer: 'lead' })).toThrow(/does not need adjudication/);

    const adj = review.adjudicate({ itemId: id('c'), decision: 'dismiss', rationale: 'context shows fiction', reviewer: 'lead' });
    expect(adj.kind).toBe('adjudication');
    expect(status('c')).toBe('decided');
    expect(currentVerdict(t.ws.sqlite, seq('c'))!.id).toBe(adj.id);
    expect(needsAdjudication(t.ws.sqlite, seq('c'))).toBe(false);
    // A third reviewer's verdict imported afterwards stays in the record but not in force.
    imp('c', 'cy', 'violation', [], '2026-11-03T00:00:00.000Z');
    expect(currentVerdict(t.ws.sqlite, seq('c'))!.id).toBe(adj.id);
    expect(verdictsForItem(t.ws.sqlite, seq('c')).map((v) => [v.reviewer, v.inForce])).toEqual([
      ['ana', false], ['ben', false], ['lead', true], ['cy', false],
    ]);
    // The agreement ratings are the reviewers' decisions, never the adjudication.
    const cols = ratingColumns(t.ws.sqlite);
    const rs = [...cols.item.keys()].filter((r) => cols.item[r] === seq('c')).map((r) => cols.reviewers[cols.reviewer[r]!]);
    expect(rs.sort()).toEqual(['ana', 'ben', 'cy']);
    expect(verifyWorkspace(t.ws)).toMatchObject({ ok: true });
  });

  it('an amended adjudication stays in force over a later import, and is not a reviewer rating', async () => {
    const { t, review, id, seq, status, imp } = await setup();
    cleanup = t.cleanup;
    imp('c', 'ana', 'violation');
    imp('c', 'ben', 'dismiss');
    const adj = review.adjudicate({ itemId: id('c'), decision: 'dismiss', reviewer: 'lead' });
    const amended = review.amend(adj.id, { decision: 'violation', labels: ['S1'], reviewer: 'lead' });
    const again = review.amend(amended.id, { decision: 'violation', labels: ['S4'], reviewer: 'lead' });
    expect(currentVerdict(t.ws.sqlite, seq('c'))!.id).toBe(again.id);
    // Amending the adjudication does not make the item disputed again (the adjudicator is not a third reviewer).
    expect(needsAdjudication(t.ws.sqlite, seq('c'))).toBe(false);
    expect(status('c')).toBe('decided');
    // Before the fix, this import became the verdict in force (no standing row of kind 'adjudication' was left).
    imp('c', 'cy', 'dismiss', [], '2026-11-03T00:00:00.000Z');
    expect(currentVerdict(t.ws.sqlite, seq('c'))!.id).toBe(again.id);
    expect(verdictsForItem(t.ws.sqlite, seq('c')).filter((v) => v.inForce).map((v) => v.id)).toEqual([again.id]);
    // The metric view (migration 0015) follows the same rule.
    expect(t.ws.sqlite.prepare('SELECT v.id FROM metric_item_verdicts m JOIN verdicts v ON v.seq = m.cur_seq WHERE m.item_seq = ?').pluck().get(seq('c'))).toBe(again.id);
    const cols = ratingColumns(t.ws.sqlite);
    expect([...cols.item.keys()].filter((r) => cols.item[r] === seq('c')).map((r) => cols.reviewers[cols.reviewer[r]!]).sort()).toEqual(['ana', 'ben', 'cy']);
    // The adjudication screen shows the amendment as the adjudicator's decision, not as a third side.
    const view = expertHandlers(t.ws, review, () => 'lead', () => {})['adjudication.get']({ itemId: id('c') });
    expect(view.adjudication?.id).toBe(again.id);
    expect(view.sides.map((x) => x.reviewer).sort()).toEqual(['ana', 'ben', 'cy']);
    // An undo of the last amendment puts the earlier amendment back in force, still over the import.
    review.undo('lead');
    expect(currentVerdict(t.ws.sqlite, seq('c'))!.id).toBe(amended.id);
    expect(verifyWorkspace(t.ws)).toMatchObject({ ok: true });
  });

  it('an undo of a disagreeing verdict resolves the dispute', async () => {
    const { t, review, id, status } = await setup();
    cleanup = t.cleanup;
    review.submit({ itemId: id('d'), decision: 'violation', reviewer: 'ana' }, 'import');
    review.submit({ itemId: id('d'), decision: 'dismiss', reviewer: 'me' });
    expect(status('d')).toBe('disputed');
    review.undo('me');
    expect(status('d')).toBe('decided');
    expect(verifyWorkspace(t.ws)).toMatchObject({ ok: true });
  });
});

describe('hold, reopen, gold, reveal', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('hold and release restore the status; overdue holds are listed; reopen keeps the lineage', async () => {
    const { t, review, actions, id, seq, status } = await setup();
    cleanup = t.cleanup;
    actions.hold(id('a'), 'waiting for the clinician', '2026-01-01T00:00:00Z', 'ana');
    actions.hold(id('b'), 'legal question', '2999-01-01T00:00:00Z', 'ana');
    expect(status('a')).toBe('on_hold');
    const list = holds(t.ws.sqlite, new Date().toISOString());
    expect(list.map((h) => [h.reason, h.overdue])).toEqual([['waiting for the clinician', true], ['legal question', false]]);
    actions.release(id('a'), 'lead');
    expect(status('a')).toBe('new');

    const v = review.submit({ itemId: id('c'), decision: 'violation', reviewer: 'ana' });
    expect(() => actions.reopen(id('c'), '', 'lead')).toThrow(/reason/);
    actions.reopen(id('c'), 'new policy S11 guidance', 'lead');
    expect(status('c')).toBe('in_review');
    expect(currentVerdict(t.ws.sqlite, seq('c'))!.id).toBe(v.id);
    const v2 = review.submit({ itemId: id('c'), decision: 'dismiss', reviewer: 'ana' });
    expect(currentVerdict(t.ws.sqlite, seq('c'))!.id).toBe(v2.id);
    expect(status('c')).toBe('decided');
    expect(verifyWorkspace(t.ws)).toMatchObject({ ok: true, counts: { actions: 4 } });
  });

  it('gold accuracy per reviewer; gold items never export as labels', async () => {
    const { t, actions, id, imp } = await setup();
    cleanup = t.cleanup;
    actions.gold(id('a'), { decision: 'violation', labels: ['S1'] }, 'lead');
    actions.gold(id('b'), { decision: 'dismiss', labels: [] }, 'lead');
    imp('a', 'ana', 'violation', ['S1']);
    imp('a', 'ben', 'violation', ['S4']);
    imp('b', 'ana', 'violation');
    imp('b', 'ben', 'dismiss');
    imp('d', 'ana', 'dismiss');
    expect(goldAccuracy(t.ws.sqlite)).toEqual([
      { reviewer: 'ana', period: '2026-11', items: 2, correct: 1, exact: 1 },
      { reviewer: 'ben', period: '2026-11', items: 2, correct: 2, exact: 1 },
    ]);
    expect(exportSelectionCount(t.ws)).toBe(1); // only d: a and b are gold
    actions.gold(id('b'), null, 'lead');
    expect(exportSelectionCount(t.ws)).toBe(2);
    expect(verifyWorkspace(t.ws)).toMatchObject({ ok: true });
  });

  it('a tampered, deleted or forged item action fails audit verify', async () => {
    const { t, actions, id } = await setup();
    actions.hold(id('a'), 'reason one', '2026-01-01T00:00:00Z', 'ana');
    actions.reveal(id('b'), 'ana', 'S4');
    t.ws.close();
    const raw = new Database(t.path);
    cleanup = () => (raw.close(), t.cleanup());
    for (const name of ['item_actions_no_update', 'item_actions_no_delete']) raw.exec(`DROP TRIGGER ${name}`);
    const verify = () => {
      const ws = openWorkspace(t.path, { create: false });
      try {
        return verifyWorkspace(ws);
      } finally {
        ws.close();
      }
    };
    expect(verify()).toMatchObject({ ok: true });
    raw.exec("UPDATE item_actions SET reason = 'another reason' WHERE kind = 'hold'");
    expect(verify()).toMatchObject({ ok: false, mismatch: { table: 'item_actions' } });
    raw.exec("UPDATE item_actions SET reason = 'reason one' WHERE kind = 'hold'");
    raw.exec("DELETE FROM item_actions WHERE kind = 'reveal'");
    expect(verify()).toMatchObject({ ok: false, mismatch: { table: 'item_actions' } });
  });
});

describe('verdict team agreement --json', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('reports alpha, kappa per pair and the items behind them over the imported verdicts', async () => {
    const { t, imp } = await setup();
    cleanup = t.cleanup;
    imp('a', 'ana', 'violation', ['S1']);
    imp('a', 'ben', 'violation', ['S1']);
    imp('b', 'ana', 'violation');
    imp('b', 'ben', 'dismiss');
    imp('c', 'ana', 'dismiss');
    imp('c', 'ben', 'dismiss');
    t.ws.close();
    const bin = new URL('../../electron/cli/bin.mjs', import.meta.url).pathname;
    const r = spawnSync(process.execPath, [bin, 'team', 'agreement', '--workspace', t.path, '--resamples', '20', '--json'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { items: number; overall: { alpha: { value: number; items: number } }; byPair: { a: string; b: string; kappa: { items: number } }[]; method: { resamples: number } };
    expect(report.items).toBe(3);
    expect(report.method.resamples).toBe(20);
    expect(report.byPair).toMatchObject([{ a: 'ana', b: 'ben', kappa: { items: 3 } }]);
    // 6 values, one disagreeing unit: alpha = 1 - (n-1) * 2 / (n^2 - sum n_c^2) = 1 - 5*2/(36 - 9 - 9) = 4/9.
    expect(report.overall.alpha.value).toBeCloseTo(4 / 9, 12);
  });
});
