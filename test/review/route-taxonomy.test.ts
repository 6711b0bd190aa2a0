/** Per-route taxonomies: a route's own labels, its structured fields; stored with the verdict, audited, replayed. */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findItemSeq, getItem } from '../../db/queries/items.ts';
import { verifyWorkspace } from '../../electron/core/audit/verify-workspace.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { DEFAULT_TAXONOMY, routeLabels, taxonomySchema } from '../../electron/core/review/taxonomy.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { openWorkspace } from '../../electron/core/workspace/open.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

const CLINICAL = taxonomySchema.parse({
  ...DEFAULT_TAXONOMY,
  routes: {
    ...DEFAULT_TAXONOMY.routes,
    clinical: {
      ...DEFAULT_TAXONOMY.routes!.clinical,
      labels: ['S6', { id: 'dosing_error', name: 'Dosing error' }, { id: 'contraindication', name: 'Contraindication missed' }],
    },
  },
});

async function setup() {
  const t = tempWorkspace();
  t.ws.sqlite.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('taxonomy', ?, ?)").run(JSON.stringify(CLINICAL), new Date().toISOString());
  const f = join(t.dir, 'q.jsonl');
  const rec = (id: string, route: string) => JSON.stringify({ id, route, created_at: '2026-11-01T00:00:00Z', input: 'How much?', output: 'Take 40 mg.' });
  writeFileSync(f, [rec('clin', 'clinical'), rec('legal', 'legal'), rec('ts', 'trust_safety')].join('\n') + '\n');
  await ingest(t.ws, { path: f });
  const item = (ext: string) => getItem(t.ws.sqlite, findItemSeq(t.ws.sqlite, ext)!)!;
  return { t, item, review: new ReviewService(t.ws) };
}

describe('per-route taxonomy', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('resolves a route\'s labels (workspace ids and its own), and refuses a route naming an unknown label', () => {
    expect(routeLabels(CLINICAL, 'clinical').map((l) => `${l.id}:${l.name}`)).toEqual(['S6:Specialized Advice', 'dosing_error:Dosing error', 'contraindication:Contraindication missed']);
    expect(routeLabels(CLINICAL, 'legal')).toBe(CLINICAL.labels);
    const bad = taxonomySchema.safeParse({ ...CLINICAL, routes: { clinical: { labels: ['S99'] } } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe("route clinical names label S99, which the taxonomy's labels do not have");
    expect(taxonomySchema.safeParse({ ...CLINICAL, routes: { legal: { fields: [{ id: 'j', name: 'J', kind: 'choice' }] } } }).success).toBe(false);
  });

  it('a verdict takes only its route\'s labels and fields; the fields are stored sorted, in the event, and verify', async () => {
    const { t, item, review } = await setup();
    cleanup = t.cleanup;
    const clin = item('clin');
    expect(() => review.submit({ itemId: clin.id, decision: 'violation', labels: ['S1'], reviewer: 'ana' })).toThrow(
      'route clinical offers the labels S6, dosing_error, contraindication; S1 is not among them',
    );
    expect(() => review.submit({ itemId: clin.id, decision: 'violation', labels: ['dosing_error'], reviewer: 'ana', routeFields: { jurisdiction: 'EU' } })).toThrow(
      /route clinical has no field jurisdiction/,
    );
    expect(() => review.submit({ itemId: clin.id, decision: 'violation', labels: ['dosing_error'], reviewer: 'ana', routeFields: { harm_likelihood: 'maybe' } })).toThrow(
      'Harm likelihood must be one of unlikely, possible, likely, certain, not "maybe"',
    );
    const v = review.submit({
      itemId: clin.id, decision: 'violation', labels: ['dosing_error', 'S6'], reviewer: 'ana',
      routeFields: { harm_likelihood: 'likely', dose_stated: '40 mg once', guideline_cited: '  ' },
    });
    expect(v.routeFields).toEqual({ dose_stated: '40 mg once', harm_likelihood: 'likely' });
    expect(Object.keys(v.routeFields)).toEqual(['dose_stated', 'harm_likelihood']);
    const body = JSON.parse(t.ws.sqlite.prepare('SELECT body FROM audit_events WHERE seq = ?').pluck().get(v.auditSeq) as string) as { data: { route_fields: unknown } };
    expect(body.data.route_fields).toEqual({ dose_stated: '40 mg once', harm_likelihood: 'likely' });
    // Legal keeps the workspace labels and has its own fields; a route without fields takes none.
    expect(review.submit({ itemId: item('legal').id, decision: 'violation', labels: ['S1'], reviewer: 'ana', routeFields: { jurisdiction: 'US-CA' } }).routeFields).toEqual({ jurisdiction: 'US-CA' });
    expect(() => review.submit({ itemId: item('ts').id, decision: 'dismiss', reviewer: 'ana', routeFields: { jurisdiction: 'US' } })).toThrow(/route trust_safety has no field jurisdiction$/);
    expect(verifyWorkspace(t.ws)).toMatchObject({ ok: true });

    // A field changed in the table without its event: audit verify names route_fields.
    t.ws.close();
    const raw = new Database(t.path);
    for (const name of raw.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%no_%'").pluck().all() as string[]) raw.exec(`DROP TRIGGER ${name}`);
    raw.prepare('UPDATE verdicts SET route_fields = ? WHERE id = ?').run('{"dose_stated":"4 mg once","harm_likelihood":"likely"}', v.id);
    raw.close();
    const ws = openWorkspace(t.path, { create: false });
    try {
      const res = verifyWorkspace(ws);
      expect(res.ok).toBe(false);
      if (!res.ok) expect(res.reason).toMatch(/route_fields/);
    } finally {
      ws.close();
    }
  });
});
