/** Per-flag calls survive a round trip: results line out of one workspace, `verdicts import` into another. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findItemSeq, getItem } from '../../db/queries/items.ts';
import { listQuarantine } from '../../db/queries/quarantine.ts';
import { verdictsForItem } from '../../db/queries/verdicts.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { importVerdicts } from '../../electron/core/sync/import.ts';
import { Syncer } from '../../electron/core/sync/syncer.ts';
import { tempWorkspace } from '../helpers/workspace.ts';
import { readResults } from './helpers.ts';

const FLAGS = [
  { source: 'llama-guard-3', category: 'S6', score: 0.9 },
  { source: 'pii-scan', category: 'pii', score: 0.4 },
];
const rec = (id: string) => JSON.stringify({ id, created_at: '2026-11-01T00:00:00Z', input: `q ${id}`, output: `answer ${id}`, flags: FLAGS });

async function workspaceWith(ids: string[]) {
  const t = tempWorkspace();
  const file = join(t.dir, 'queue.jsonl');
  writeFileSync(file, ids.map(rec).join('\n') + '\n');
  await ingest(t.ws, { path: file });
  const item = (ext: string) => getItem(t.ws.sqlite, findItemSeq(t.ws.sqlite, ext)!)!;
  return { t, file, item };
}

describe('verdicts import: flag calls', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('keeps the flag calls of an exported verdict; a bad call quarantines its line alone', async () => {
    const a = await workspaceWith(['r1', 'r2']);
    cleanups.push(a.t.cleanup);
    const calls = [{ accepted: false, flag: 0 }, { accepted: true, flag: 1 }];
    new ReviewService(a.t.ws).submit({ itemId: a.item('r1').id, decision: 'dismiss', reviewer: 'ana', flagReviews: [calls[1]!, calls[0]!] });
    await new Syncer(a.t.ws).run();
    const [out] = readResults(`${a.file}.verdicts.jsonl`).lines;
    expect(out!.flag_reviews).toEqual(calls);

    const b = await workspaceWith(['r1', 'r2', 'r3']);
    cleanups.push(b.t.cleanup);
    const results = join(b.t.dir, 'results.jsonl');
    const exported = readFileSync(`${a.file}.verdicts.jsonl`, 'utf8').trimEnd();
    const bad = (id: string, fr: unknown) => JSON.stringify({ item_id: id, decision: 'violation', reviewer: 'ben', decided_at: '2026-11-02T00:00:00Z', flag_reviews: fr });
    writeFileSync(results, [exported, bad('r2', [{ flag: 2, accepted: true }]), bad('r3', [{ flag: 0 }]), bad('r2', [{ flag: 1, accepted: true }, { flag: 1, accepted: false }])].join('\n') + '\n');
    const summary = await importVerdicts(b.t.ws, { path: results });
    expect(summary).toMatchObject({ read: 4, imported: 1, quarantined: 3 });
    const [v] = verdictsForItem(b.t.ws.sqlite, b.item('r1').seq);
    expect(v).toMatchObject({ kind: 'import', decision: 'dismiss', reviewer: 'ana', flagReviews: calls });
    const q = listQuarantine(b.t.ws.sqlite, 100).map((r) => [r.line, r.jsonPath, r.error]).sort((x, y) => Number(x[0]) - Number(y[0]));
    expect(q).toEqual([
      [2, '$.flag_reviews', 'flag 3 does not exist: this revision has 2 flags'],
      [3, '$.flag_reviews[0].accepted', expect.stringContaining('schema:')],
      [4, '$.flag_reviews', 'flag 2 is accepted or rejected twice; give one call per flag'],
    ]);
    // The same verdict again, or with its calls written in another order, is a duplicate.
    const reordered = JSON.stringify({ ...JSON.parse(exported), flag_reviews: [calls[1], calls[0]] });
    writeFileSync(results, `${exported}\n${reordered}\n`);
    expect(await importVerdicts(b.t.ws, { path: results })).toMatchObject({ imported: 0, duplicates: 2 });
    expect(b.t.ws.audit.verify().ok).toBe(true);
  });
});
