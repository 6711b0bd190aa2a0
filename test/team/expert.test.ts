/**
 * Expert review in team mode against a real PostgreSQL, each person on their own login role:
 * disagreement -> adjudication -> decided (names hidden until then); escalate -> expert verdict ->
 * overturn counted; hold -> overdue seen by the lead; gold mixed into claims, invisible to the
 * reviewer, accuracy shown to the lead; reopen keeps the lineage; the team audit verifies, and
 * an edit of the new tables without its event fails it.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTeam, type TeamSession } from '../../electron/core/team/api.ts';
import { ingestTeamRecords } from '../../db/team/ingest.ts';
import { validateForTeam } from '../../electron/core/team/ingest.ts';
import { verifyTeam } from '../../electron/core/team/verify.ts';
import { pgForThisFile } from '../support/pg.ts';
import { addUser, as, expectSubjectsAtTail, initTeam, record, route } from './helpers.ts';

const pgc = pgForThisFile();
const s: Record<string, TeamSession> = {};
const psql: Record<string, pg.Client> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  const c = pgc.get();
  await initTeam(c);
  await route(c, 'trust_safety', 2);
  await route(c, 'clinical', 1);
  const admin = await c.adminPool.connect();
  try {
    const rows = ['ts-1', 'ts-2', 'ts-3', 'ts-4'].map((id) => {
      const o = validateForTeam(JSON.stringify(record(id, 'trust_safety', { provenance: { 'gen_ai.request.model': 'model-a' } })), 'expert', id);
      if (!o.ok) throw new Error(o.q.reason);
      return o.row;
    });
    await ingestTeamRecords(admin, rows);
  } finally {
    admin.release();
  }
  for (const r of (await c.adminPool.query<{ ext_id: string; id: string }>('SELECT ext_id, id::text FROM verdict.items')).rows) ids[r.ext_id] = r.id;
  const people: [string, 'reviewer' | 'adjudicator' | 'expert' | 'lead', string[]][] = [
    ['ann', 'reviewer', ['trust_safety']],
    ['bob', 'reviewer', ['trust_safety']],
    ['cy', 'reviewer', ['trust_safety']],
    ['ada', 'adjudicator', ['trust_safety']],
    ['eve', 'expert', ['clinical']],
    ['lea', 'lead', []],
  ];
  for (const [name, role, routes] of people) {
    const url = await addUser(c, name, role, routes);
    s[name] = await connectTeam(url);
    psql[name] = await as(url);
  }
}, 120_000);

afterAll(async () => {
  for (const x of Object.values(s)) await x.close();
  for (const x of Object.values(psql)) await x.end();
});

describe('team expert review', () => {
  it('a disagreement goes to adjudication; names stay hidden until the adjudicator decides', async () => {
    const a = (await s.ann!.claimNext())!;
    const b = (await s.bob!.claimNext())!;
    expect([a.item.externalId, b.item.externalId]).toEqual(['ts-1', 'ts-1']);
    await s.ann!.submit(a, { decision: 'violation', labels: ['S1'], rationale: 'harmful' });
    expect((await s.bob!.submit(b, { decision: 'dismiss', rationale: 'fine' })).itemStatus).toBe('adjudication');
    // A reviewer cannot adjudicate.
    await expect(s.ann!.expert.claimAdjudication()).rejects.toThrow(/only adjudicator or lead/);
    const claim = (await s.ada!.expert.claimAdjudication())!;
    expect(claim.extId).toBe('ts-1');
    expect(claim.blind).toBe(true);
    // One adjudicator at a time: nothing else waits.
    expect(await s.lea!.expert.claimAdjudication()).toBeNull();
    const before = await s.ada!.expert.itemVerdicts(claim.itemId);
    expect(before.map((v) => [v.reviewer, v.decision])).toEqual([['Reviewer 1', 'violation'], ['Reviewer 2', 'dismiss']]);
    const wrong = await s.ada!.expert.decideAdjudication(claim.itemId, '999999', { decision: 'violation', labels: [], severity: null, rationale: null });
    expect(wrong.status).toBe('refused');
    const res = await s.ada!.expert.decideAdjudication(claim.itemId, claim.token, { decision: 'violation', labels: ['S1'], severity: 'high', rationale: 'S1 applies' });
    expect(res.status).toBe('accepted');
    const after = await s.ada!.expert.itemVerdicts(claim.itemId);
    expect(after.map((v) => v.reviewer)).toEqual(['ann', 'bob']);
    const inForce = (await psql.lea!.query("SELECT kind, decision, by_whom FROM verdict.in_force WHERE item_id = $1", [claim.itemId])).rows[0];
    expect(inForce).toEqual({ kind: 'adjudication', decision: 'violation', by_whom: 'ada' });
  });

  it('an escalation leaves the queue, waits in the expert pool with its SLA, and the expert overturn is counted', async () => {
    await s.lea!.expert.setRoute('clinical', null, 3600);
    const a = (await s.ann!.claimNext())!;
    expect(a.item.externalId).toBe('ts-2');
    const esc = await s.ann!.expert.escalate(a, { toRoute: 'clinical', question: 'Is this dosage advice safe?', firstDecision: 'dismiss', firstLabels: [] });
    // It left the first-line queue: bob is handed ts-3, not ts-2.
    const b = (await s.bob!.claimNext())!;
    expect(b.item.externalId).toBe('ts-3');
    await s.bob!.release(b);
    const pool = await s.eve!.expert.expertPool();
    expect(pool).toHaveLength(1);
    expect(pool[0]).toMatchObject({ escalationId: esc, extId: 'ts-2', question: 'Is this dosage advice safe?', overdue: false, held: false });
    const due = Date.parse(pool[0]!.dueAt) - Date.parse(pool[0]!.askedAt);
    expect(due).toBe(3600_000);
    // Reviewers see no pool and cannot claim from it.
    expect(await s.ann!.expert.expertPool()).toEqual([]);
    await expect(s.ann!.expert.claimExpert()).rejects.toThrow(/only expert or lead/);
    const c = (await s.eve!.expert.claimExpert())!;
    expect(c).toMatchObject({ escalationId: esc, firstDecision: 'dismiss', askedBy: 'ann' });
    const ans = await s.eve!.expert.answerExpert(c.escalationId, c.token, { kind: 'verdict', decision: 'violation', labels: ['S6'], severity: 'high', note: 'unsafe dose' });
    expect(ans).toMatchObject({ status: 'accepted', overturned: true });
    const over = await s.lea!.expert.overturns();
    expect(over).toContainEqual({ route: 'trust_safety', label: '(any)', model: 'model-a', answered: 1, overturned: 1 });
    expect(over).toContainEqual({ route: 'trust_safety', label: 'S6', model: 'model-a', answered: 1, overturned: 1 });
    await expect(s.ann!.expert.overturns()).rejects.toThrow(/only lead or data/);
  });

  it('a consult note sends the item back to the first-line queue with the note', async () => {
    const a = (await s.ann!.claimNext())!;
    expect(a.item.externalId).toBe('ts-3');
    const esc = await s.ann!.expert.escalate(a, { toRoute: 'clinical', question: 'Which guideline?', firstDecision: 'violation', firstLabels: ['S6'] });
    const c = (await s.eve!.expert.claimExpert())!;
    expect(c.escalationId).toBe(esc);
    expect((await s.eve!.expert.answerExpert(esc, c.token, { kind: 'consult', note: 'See WHO guideline 4.2' })).status).toBe('accepted');
    expect((await s.ann!.expert.consultNotes(ids['ts-3']!)).map((n) => n.note)).toEqual(['See WHO guideline 4.2']);
    const again = (await s.ann!.claimNext())!;
    expect(again.item.externalId).toBe('ts-3');
    await s.ann!.submit(again, { decision: 'violation', labels: ['S6'] });
  });

  it('a hold with a review-by time in the past shows overdue to the lead; release returns it', async () => {
    const b = (await s.bob!.claimNext())!;
    expect(b.item.externalId).toBe('ts-3');
    await s.bob!.expert.hold(b.itemId, b.token, 'waiting for the model owner', '2020-01-01T00:00:00Z');
    const holds = await s.lea!.expert.holds();
    expect(holds).toHaveLength(1);
    expect(holds[0]).toMatchObject({ extId: 'ts-3', heldBy: 'bob', reason: 'waiting for the model owner', overdue: true });
    expect(await s.ann!.expert.holds()).toEqual([]);
    await expect(s.ann!.expert.releaseHold(b.itemId)).rejects.toThrow(/only bob/);
    expect(await s.lea!.expert.releaseHold(b.itemId)).toBe('open');
    expect(await s.lea!.expert.holds()).toEqual([]);
  });

  it('gold items are mixed into claims at the route rate, invisible to reviewers, and scored for the lead', async () => {
    await expect(s.lea!.expert.markGold(ids['ts-4']!, 'violation', [])).rejects.toThrow(/mark a decided item/);
    await s.lea!.expert.markGold(ids['ts-1']!, 'violation', ['S1']);
    // Rate 0: never gold.
    await s.lea!.expert.setRoute('trust_safety', 0, null);
    const plain = (await s.cy!.claimMixed())!;
    expect(plain.item.externalId).not.toBe('ts-1');
    await s.cy!.release(plain);
    await s.lea!.expert.setRoute('trust_safety', 1, null);
    const g = (await s.cy!.claimMixed())!;
    // Served as the gold item's producer id and record: nothing says gold.
    expect(g.item.externalId).toBe('ts-1');
    expect(g.item.record.id).toBe('ts-1');
    expect(g.itemId).not.toBe(ids['ts-1']);
    // Reviewers reviewed ts-1 already: never served it; cy gets one copy only.
    const ann = (await s.ann!.claimMixed())!;
    expect(ann.item.externalId).not.toBe('ts-1');
    await s.ann!.release(ann);
    // RLS: cy cannot read which items are gold, nor see the gold item itself.
    await expect(psql.cy!.query('SELECT * FROM verdict.gold_items')).rejects.toThrow(/permission denied/);
    await expect(psql.cy!.query('SELECT * FROM verdict.gold_serves')).rejects.toThrow(/permission denied/);
    expect((await psql.cy!.query('SELECT id FROM verdict.items WHERE id = $1', [ids['ts-1']])).rowCount).toBe(0);
    expect((await psql.ann!.query('SELECT id FROM verdict.items WHERE id = $1', [g.itemId])).rowCount).toBe(0);
    expect((await s.cy!.submit(g, { decision: 'dismiss' })).status).toBe('accepted');
    const acc = await s.lea!.expert.goldAccuracy();
    expect(acc).toEqual([{ reviewer: 'cy', route: 'trust_safety', month: expect.stringMatching(/^\d{4}-\d{2}$/), served: 1, answered: 1, correct: 0 }]);
    await expect(s.cy!.expert.goldAccuracy()).rejects.toThrow(/only lead/);
    await s.lea!.expert.setRoute('trust_safety', 0, null);
  });

  it('a lead reopens a decision with a reason; the history keeps every decision and why', async () => {
    const item = ids['ts-2']!;
    await expect(s.ann!.expert.reopen(item, 'x')).rejects.toThrow(/only lead/);
    await s.lea!.expert.reopen(item, 'new clinical guidance');
    const claim = (await s.ada!.expert.claimAdjudication())!;
    expect(claim.itemId).toBe(item);
    await s.ada!.expert.decideAdjudication(item, claim.token, { decision: 'dismiss', labels: [], severity: null, rationale: 'guidance changed' });
    const h = await s.lea!.expert.history(item);
    expect(h.map((x) => [x.kind, x.actor, x.decision])).toEqual([
      ['escalated to clinical', 'ann', 'dismiss'],
      ['expert verdict', 'eve', 'violation'],
      ['reopened', 'lea', null],
      ['adjudication', 'ada', 'dismiss'],
    ]);
    expect(h.find((x) => x.kind === 'reopened')!.detail).toBe('new clinical guidance');
    const f = (await psql.lea!.query('SELECT kind, decision FROM verdict.in_force WHERE item_id = $1', [item])).rows[0];
    expect(f).toEqual({ kind: 'adjudication', decision: 'dismiss' });
  });

  it('the team audit verifies; an edit of an adjudication, an overturn or a gold verdict without its event fails it', async () => {
    const url = pgc.get().url;
    const ok = await verifyTeam(url);
    expect(ok).toMatchObject({ ok: true });
    const admin = pgc.get().adminPool;
    const cases: [string, string, RegExp][] = [
      ["UPDATE verdict.adjudications SET decision = 'dismiss' WHERE decision = 'violation'", "UPDATE verdict.adjudications SET decision = 'violation' WHERE rationale = 'S1 applies'", /adjudication .* differs/],
      ['UPDATE verdict.escalations SET overturned = false WHERE overturned', 'UPDATE verdict.escalations SET overturned = true WHERE overturned = false', /escalation .* differs/],
      ["UPDATE verdict.gold_items SET decision = 'dismiss'", "UPDATE verdict.gold_items SET decision = 'violation'", /gold item/],
      ["UPDATE verdict.items SET status = 'open' WHERE status = 'on_hold' OR id = (SELECT item_id FROM verdict.escalations ORDER BY id LIMIT 1)", "UPDATE verdict.items SET status = 'decided' WHERE id = (SELECT item_id FROM verdict.escalations ORDER BY id LIMIT 1)", /status/],
    ];
    for (const [tamper, undo, why] of cases) {
      await admin.query(tamper);
      const bad = await verifyTeam(url);
      expect(bad.ok, tamper).toBe(false);
      if (!bad.ok) expect(bad.reason).toMatch(why);
      await admin.query(undo);
    }
    expect(await verifyTeam(url)).toMatchObject({ ok: true });
    await expectSubjectsAtTail(admin);
  });
});
