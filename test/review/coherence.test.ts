/** The verdict coherence rule: a false positive carries no labels or severity unless its route allows. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listQuarantine } from '../../db/queries/quarantine.ts';
import { findItemSeq, getItem } from '../../db/queries/items.ts';
import { verdictsForItem } from '../../db/queries/verdicts.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { coherenceProblem } from '../../electron/core/review/coherence.ts';
import { DEFAULT_TAXONOMY } from '../../electron/core/review/taxonomy.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { importVerdicts } from '../../electron/core/sync/import.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const rec = (id: string, route: string) => JSON.stringify({ id, created_at: '2026-11-01T00:00:00Z', route, input: `q ${id}`, output: `answer ${id}` });

async function setup() {
  const t = tempWorkspace();
  const f = join(t.dir, 'q.jsonl');
  writeFileSync(f, [rec('ts', 'trust_safety'), rec('lg', 'legal'), rec('c', 'trust_safety')].join('\n') + '\n');
  await ingest(t.ws, { path: f });
  const item = (ext: string) => getItem(t.ws.sqlite, findItemSeq(t.ws.sqlite, ext)!)!;
  const allowLegal = () =>
    t.ws.sqlite
      .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('taxonomy', ?, ?)")
      .run(JSON.stringify({ ...DEFAULT_TAXONOMY, routes: { legal: { dismissMayCarryLabels: true } } }), new Date().toISOString());
  return { t, item, allowLegal, review: new ReviewService(t.ws) };
}

describe('verdict coherence', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('the rule: only a false positive is constrained, and a route can allow labels on it', () => {
    expect(coherenceProblem({ decision: 'dismiss', labels: [], severity: null }, 'r', null)).toBeNull();
    expect(coherenceProblem({ decision: 'violation', labels: ['S1'], severity: 'high' }, 'r', null)).toBeNull();
    expect(coherenceProblem({ decision: 'escalate', labels: ['S6'], severity: 'low' }, 'r', null)).toBeNull();
    expect(coherenceProblem({ decision: 'dismiss', labels: ['S1', 'S2'], severity: 'high' }, 'r', null)).toBe(
      'a false positive carries no violation labels or severity on route r, but this one has labels S1, S2 and severity high: clear them, or record a violation',
    );
    expect(coherenceProblem({ decision: 'dismiss', labels: [], severity: 'low' }, 'r', null)).toMatch(/severity low/);
    expect(coherenceProblem({ decision: 'dismiss', labels: ['S1'], severity: null }, 'r', { routes: { r: { dismissMayCarryLabels: true } } })).toBeNull();
    expect(coherenceProblem({ decision: 'dismiss', labels: ['S1'], severity: null }, 'r', { routes: { other: { dismissMayCarryLabels: true } } })).not.toBeNull();
  });

  it('the service refuses an incoherent verdict or amendment and records nothing', async () => {
    const { t, item, review } = await setup();
    cleanup = t.cleanup;
    const ts = item('ts');
    const before = t.ws.audit.head().size;
    expect(() => review.submit({ itemId: ts.id, decision: 'dismiss', labels: ['S1'], severity: 'high', reviewer: 'ana' })).toThrow(/false positive carries no/);
    expect(verdictsForItem(t.ws.sqlite, ts.seq)).toHaveLength(0);
    expect(t.ws.audit.head().size).toBe(before);
    // Amending a violation to a false positive must drop its labels and severity.
    const v = review.submit({ itemId: ts.id, decision: 'violation', labels: ['S1', 'S2'], severity: 'high', reviewer: 'ana' });
    expect(() => review.amend(v.id, { decision: 'dismiss', labels: ['S1', 'S2'], severity: 'high', reviewer: 'ana' })).toThrow(/false positive carries no/);
    const a = review.amend(v.id, { decision: 'dismiss', labels: [], severity: null, reviewer: 'ana' });
    expect(a).toMatchObject({ kind: 'amendment', decision: 'dismiss', labels: [], severity: null });
    expect(t.ws.audit.verify().ok).toBe(true);
  });

  it('a route that allows it keeps labels on a false positive', async () => {
    const { t, item, review, allowLegal } = await setup();
    cleanup = t.cleanup;
    allowLegal();
    expect(review.submit({ itemId: item('lg').id, decision: 'dismiss', labels: ['S5'], reviewer: 'ana' }).labels).toEqual(['S5']);
    expect(() => review.submit({ itemId: item('ts').id, decision: 'dismiss', labels: ['S5'], reviewer: 'ana' })).toThrow(/route trust_safety/);
  });

  it('verdicts import quarantines an incoherent line with the reason and imports the rest', async () => {
    const { t, item } = await setup();
    cleanup = t.cleanup;
    const file = join(t.dir, 'decisions.jsonl');
    const line = (o: Record<string, unknown>) => JSON.stringify({ reviewer: 'ana', decided_at: '2026-10-01T00:00:00Z', ...o });
    writeFileSync(
      file,
      [
        line({ item_id: 'ts', decision: 'dismiss', labels: ['S1', 'S2'], severity: 'high' }),
        line({ item_id: 'c', decision: 'dismiss' }),
        line({ item_id: 'lg', decision: 'violation', labels: ['S5'], severity: 'low' }),
      ].join('\n') + '\n',
    );
    expect(await importVerdicts(t.ws, { path: file })).toMatchObject({ read: 3, imported: 2, quarantined: 1 });
    const [q] = listQuarantine(t.ws.sqlite, 10);
    expect(q).toMatchObject({ line: 1 });
    expect(q!.error).toMatch(/false positive carries no violation labels or severity/);
    expect(verdictsForItem(t.ws.sqlite, item('ts').seq)).toHaveLength(0);
    expect(item('c').status).toBe('decided');
  });
});

describe('verdict in force', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('a decided item decided again has exactly one verdict in force: the newest', async () => {
    const { t, item, review } = await setup();
    cleanup = t.cleanup;
    const ts = item('ts');
    const v1 = review.submit({ itemId: ts.id, decision: 'violation', labels: ['S1'], reviewer: 'ana' });
    const v2 = review.submit({ itemId: ts.id, decision: 'dismiss', reviewer: 'ben' });
    let rows = verdictsForItem(t.ws.sqlite, ts.seq);
    expect(rows.filter((r) => r.inForce).map((r) => r.id)).toEqual([v2.id]);
    // Undo the newer one: the older stands again, and is the only one in force.
    review.undo('ben');
    rows = verdictsForItem(t.ws.sqlite, ts.seq);
    expect(rows.filter((r) => r.inForce).map((r) => r.id)).toEqual([v1.id]);
    // An amendment moves "in force" to itself; undoing it moves it back.
    const a = review.amend(v1.id, { decision: 'violation', labels: ['S2'], reviewer: 'ana' });
    expect(verdictsForItem(t.ws.sqlite, ts.seq).filter((r) => r.inForce).map((r) => r.id)).toEqual([a.id]);
    review.undo('ana');
    expect(verdictsForItem(t.ws.sqlite, ts.seq).filter((r) => r.inForce).map((r) => r.id)).toEqual([v1.id]);
    // A skip is never in force.
    review.submit({ itemId: item('c').id, decision: 'skip', reviewer: 'ana' });
    expect(verdictsForItem(t.ws.sqlite, item('c').seq).some((r) => r.inForce)).toBe(false);
  });
});
