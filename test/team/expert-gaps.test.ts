/**
 * Team migration 0010 against a real PostgreSQL, one login role per person: blind routes stay
 * blind to an adjudicator in plain SQL until the item is decided; a gold copy whose lease runs out
 * is never handed out as a normal item; escalating or holding an N = 2 item withdraws the other
 * reviewer's lease (their late submit is refused as 'withdrawn', audited); agreement over team
 * verdicts equals the local report over the same verdicts, and only leads and data roles read it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTeam, type Lease, type TeamSession } from '../../electron/core/team/api.ts';
import { ingestTeamRecords } from '../../db/team/ingest.ts';
import { setRoute } from '../../db/team/users.ts';
import { validateForTeam } from '../../electron/core/team/ingest.ts';
import { verifyTeam } from '../../electron/core/team/verify.ts';
import { teamAgreement } from '../../electron/core/team/agreement.ts';
import { sessionPort } from '../../electron/core/team-client/session.ts';
import { agreementReport } from '../../electron/core/agreement/index.ts';
import { ratingColumns } from '../../db/queries/agreement.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { tempWorkspace } from '../helpers/workspace.ts';
import { pgForThisFile } from '../support/pg.ts';
import { addUser, as, initTeam, record, route } from './helpers.ts';

const pgc = pgForThisFile();
const s: Record<string, TeamSession> = {};
const psql: Record<string, pg.Client> = {};
const ids: Record<string, string> = {};

async function load(items: [string, string][]): Promise<void> {
  const admin = await pgc.get().adminPool.connect();
  try {
    const rows = items.map(([id, r]) => {
      const o = validateForTeam(JSON.stringify(record(id, r)), 'gaps', id);
      if (!o.ok) throw new Error(o.q.reason);
      return o.row;
    });
    await ingestTeamRecords(admin, rows);
  } finally {
    admin.release();
  }
  for (const r of (await pgc.get().adminPool.query<{ ext_id: string; id: string }>('SELECT ext_id, id::text FROM verdict.items')).rows) ids[r.ext_id] = r.id;
}

beforeAll(async () => {
  const c = pgc.get();
  await initTeam(c);
  await route(c, 'blind2', 2);
  await route(c, 'open2', 2, 600, false);
  await route(c, 'goldr', 1);
  await route(c, 'clinical', 1);
  await route(c, 'agree', 3);
  await load([
    ['b-1', 'blind2'], ['o-1', 'open2'], ['g-1', 'goldr'], ['w-1', 'blind2'], ['w-2', 'blind2'],
    ...Array.from({ length: 12 }, (_, i): [string, string] => [`a-${String(i).padStart(2, '0')}`, 'agree']),
  ]);
  const people: [string, 'reviewer' | 'adjudicator' | 'expert' | 'lead' | 'data', string[]][] = [
    ['ann', 'reviewer', ['blind2', 'open2', 'goldr', 'agree']],
    ['bob', 'reviewer', ['blind2', 'open2', 'goldr', 'agree']],
    ['cy', 'reviewer', ['goldr', 'agree']],
    ['ada', 'adjudicator', ['blind2', 'open2']],
    ['eve', 'expert', ['clinical']],
    ['lea', 'lead', []],
    ['dan', 'data', []],
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

const claimOf = async (who: string, r: string, ext: string): Promise<Lease> => {
  const l = (await s[who]!.claimNext(r))!;
  expect(l?.item.externalId).toBe(ext);
  return l;
};

describe('team expert review, 0010', () => {
  it('plain SQL: an adjudicator reads no verdict rows (no names) of an undecided blind item; after the decision, and on open routes, they do', async () => {
    const verdictsSeen = async (who: string, item: string) =>
      (await psql[who]!.query<{ reviewer: string }>('SELECT reviewer FROM verdict.verdicts WHERE item_id = $1 ORDER BY id', [item])).rows.map((r) => r.reviewer);
    for (const [r, ext] of [['blind2', 'b-1'], ['open2', 'o-1']]) {
      const a = await claimOf('ann', r!, ext!);
      const b = await claimOf('bob', r!, ext!);
      await s.ann!.submit(a, { decision: 'violation', labels: ['S1'] });
      expect((await s.bob!.submit(b, { decision: 'dismiss' })).itemStatus).toBe('adjudication');
    }
    expect(await verdictsSeen('ada', ids['b-1']!)).toEqual([]);
    expect(await verdictsSeen('ada', ids['o-1']!)).toEqual(['ann', 'bob']);
    // The app's way stays: the sides without names.
    const claim = (await s.ada!.expert.claimAdjudication('blind2'))!;
    expect((await s.ada!.expert.itemVerdicts(claim.itemId)).map((v) => v.reviewer)).toEqual(['Reviewer 1', 'Reviewer 2']);
    // Reviewers who judged it still see each other (0003's rule), and leads see all.
    expect(await verdictsSeen('ann', ids['b-1']!)).toEqual(['ann', 'bob']);
    expect(await verdictsSeen('lea', ids['b-1']!)).toEqual(['ann', 'bob']);
    await s.ada!.expert.decideAdjudication(claim.itemId, claim.token, { decision: 'violation', labels: ['S1'], severity: null, rationale: null });
    expect(await verdictsSeen('ada', ids['b-1']!)).toEqual(['ann', 'bob']);
  });

  it('a gold copy whose lease runs out is never claimed as a normal item', async () => {
    const l = await claimOf('ann', 'goldr', 'g-1');
    await s.ann!.submit(l, { decision: 'violation', labels: ['S2'] });
    await s.lea!.expert.markGold(ids['g-1']!, 'violation', ['S2']);
    await s.lea!.expert.setRoute('goldr', 1, null);
    // A one-second lease, so bob's copy runs out.
    await setRoute(pgc.get().adminPool, 'goldr', { reviews: 1, leaseSeconds: 1, blind: true });
    const copy = (await s.bob!.claimMixed('goldr'))!;
    expect(copy.item.externalId).toBe('g-1');
    expect(copy.itemId).not.toBe(ids['g-1']);
    // Wait on the server's clock (not ours) until the lease is over.
    for (;;) {
      const { rows } = await pgc.get().adminPool.query<{ over: boolean }>('SELECT expires_at < clock_timestamp() AS over FROM verdict.leases WHERE token = $1', [copy.token]);
      if (rows[0]!.over) break;
      await pgc.get().adminPool.query('SELECT pg_sleep(0.1)');
    }
    // cy (never served it) and bob (whose copy it was) both find nothing: the copy stays out.
    expect(await s.cy!.claimNext('goldr')).toBeNull();
    expect(await s.bob!.claimMixed('goldr')).toBeNull();
    expect(await s.cy!.claimNext('goldr')).toBeNull();
    const row = (await pgc.get().adminPool.query('SELECT i.open_slots, l.state FROM verdict.items i JOIN verdict.leases l ON l.item_id = i.id WHERE i.id = $1', [copy.itemId])).rows;
    expect(row).toEqual([{ open_slots: 0, state: 'expired' }]);
    await setRoute(pgc.get().adminPool, 'goldr', { reviews: 1, leaseSeconds: 600, blind: true });
  });

  it('escalating an N = 2 item withdraws the other reviewer\'s lease: their late submit is refused as withdrawn, audited', async () => {
    const a = await claimOf('ann', 'blind2', 'w-1');
    const b = await claimOf('bob', 'blind2', 'w-1');
    await s.ann!.expert.escalate(a, { toRoute: 'clinical', question: 'dose?', firstDecision: 'dismiss', firstLabels: [] });
    // The adjudicator's lineage of the undecided blind item names nobody who reviewed it.
    const lineage = await s.ada!.expert.history(ids['w-1']!);
    expect(lineage.map((h) => h.actor)).toEqual(['a reviewer']);
    expect((await s.lea!.expert.history(ids['w-1']!)).map((h) => h.actor)).toEqual(['ann']);
    // Bob's app learns it at the next heartbeat, in words.
    expect(await s.bob!.heartbeat(b)).toMatchObject({ ok: false, code: 'withdrawn', message: expect.stringMatching(/escalated to an expert by ann/) });
    const late = await s.bob!.submit(b, { decision: 'violation', labels: ['S1'] });
    expect(late).toMatchObject({ status: 'refused', code: 'withdrawn' });
    expect(late.message).toMatch(/^withdrawn: item \d+ was escalated to an expert by ann at .*stays in your outbox$/);
    // The desktop port keeps the code (the outbox row stays, refused, with it).
    const c = (await s.bob!.claimNext('blind2'))!;
    expect(c.item.externalId).toBe('w-2');
    const d = await claimOf('ann', 'blind2', 'w-2');
    // A lead holds it without a lease: both live leases end.
    await s.lea!.expert.hold(ids['w-2']!, null, 'legal review', '2030-01-01T00:00:00Z');
    expect(await sessionPort(s.bob!).submit(c.itemId, c.token, { decision: 'dismiss', labels: [], severity: null, rationale: null, clientId: 'x1', correction: null, routeTo: null, decidedAt: new Date().toISOString() })).toMatchObject({
      ok: false,
      code: 'withdrawn',
      reason: expect.stringMatching(/put on hold by lea/),
    });
    expect((await s.ann!.submit(d, { decision: 'dismiss' })).code).toBe('withdrawn');
    const events = (await psql.lea!.query<{ body: string }>("SELECT body FROM verdict.audit_leaves WHERE body::jsonb->>'type' = 'lease.withdrawn' ORDER BY id")).rows.map(
      (r) => JSON.parse(r.body) as { subject: string; data: { reviewer: string; because: string } },
    );
    expect(events.map((e) => [e.subject, e.data.reviewer, e.data.because])).toEqual([
      [ids['w-1'], 'bob', 'item.escalated'],
      [ids['w-2'], 'bob', 'item.held'],
      [ids['w-2'], 'ann', 'item.held'],
    ]);
    const states = (await pgc.get().adminPool.query("SELECT state, count(*)::int AS n FROM verdict.leases WHERE item_id IN ($1, $2) GROUP BY state", [ids['w-1'], ids['w-2']])).rows;
    expect(states).toEqual([{ state: 'released', n: 4 }]);
    // Released: the slots are back for when the hold ends.
    const slots = (await pgc.get().adminPool.query('SELECT open_slots FROM verdict.items WHERE id = $1', [ids['w-2']])).rows[0];
    expect(slots).toEqual({ open_slots: 2 });
  });

  it('agreement over team verdicts: the same figures as the local report over the same verdicts; leads and data roles only', async () => {
    const plan = ['vvd', 'ddd', 'vdv', 'vvv', 'dvd', 'ddv', 'vvv', 'dvv', 'ddd', 'vdd', 'vvd', 'dvd'];
    for (const [k, who] of ['ann', 'bob', 'cy'].entries()) {
      for (const [i, p] of plan.entries()) {
        const l = await claimOf(who, 'agree', `a-${String(i).padStart(2, '0')}`);
        const v = p[k] === 'v';
        await s[who]!.submit(l, v ? { decision: 'violation', labels: i % 3 ? ['S1'] : ['S1', 'S10'] } : { decision: 'dismiss' });
      }
    }
    // Reviewers and adjudicators may not even call it (EXECUTE is for leads and data roles).
    await expect(psql.ann!.query("SELECT * FROM verdict.agreement_ratings('agree')")).rejects.toThrow(/permission denied for function agreement_ratings/);
    await expect(psql.ada!.query('SELECT * FROM verdict.agreement_ratings()')).rejects.toThrow(/permission denied/);
    const team = await teamAgreement(psql.lea!, { route: 'agree' });
    expect(await teamAgreement(psql.dan!, { route: 'agree' })).toEqual(team);
    expect(team.items).toBe(12);
    expect(team.ratings).toBe(36);

    // The same verdicts in a local workspace (imported with the team's times).
    const t = tempWorkspace();
    try {
      const f = join(t.dir, 'q.jsonl');
      writeFileSync(f, plan.map((_, i) => JSON.stringify(record(`a-${String(i).padStart(2, '0')}`, 'agree'))).join('\n') + '\n');
      await ingest(t.ws, { path: f });
      const local = new Map((t.ws.sqlite.prepare('SELECT external_id AS ext, id FROM items').all() as { ext: string; id: string }[]).map((r) => [r.ext, r.id]));
      const review = new ReviewService(t.ws);
      const rows = (
        await psql.lea!.query<{ ext: string; reviewer: string; decision: 'violation' | 'dismiss'; labels: string[]; at: string }>(
          "SELECT i.ext_id AS ext, v.reviewer, v.decision, v.labels, verdict.ts_text(v.decided_at) AS at FROM verdict.verdicts v JOIN verdict.items i ON i.id = v.item_id WHERE i.route = 'agree' ORDER BY v.id",
        )
      ).rows;
      for (const r of rows) review.submit({ itemId: local.get(r.ext)!, decision: r.decision, labels: r.labels, reviewer: r.reviewer, decidedAt: r.at }, 'import');
      const here = agreementReport(ratingColumns(t.ws.sqlite, { route: 'agree' }));
      expect(team).toEqual(here);
      expect(team.overall.alpha.value).not.toBeNull();
      const month = rows[0]!.at.slice(0, 10);
      expect(await teamAgreement(psql.lea!, { route: 'agree', from: month, to: month })).toEqual(agreementReport(ratingColumns(t.ws.sqlite, { route: 'agree', from: month, to: month })));
    } finally {
      t.cleanup();
    }
  });

  it('the team audit replays the new events; a withdrawn lease made live again or a gold copy\'s slot given back fails it', async () => {
    const url = pgc.get().url;
    expect(await verifyTeam(url)).toMatchObject({ ok: true });
    const admin = pgc.get().adminPool;
    const copy = (await admin.query<{ id: string }>('SELECT copy_item_id::text AS id FROM verdict.gold_serves')).rows[0]!.id;
    const withdrawn = (await admin.query<{ token: string }>("SELECT (body::jsonb->'data'->>'token') AS token FROM verdict.audit_leaves WHERE body::jsonb->>'type' = 'lease.withdrawn' LIMIT 1")).rows[0]!.token;
    const cases: [string, string, RegExp][] = [
      [`UPDATE verdict.leases SET state = 'live' WHERE token = ${withdrawn}`, `UPDATE verdict.leases SET state = 'released' WHERE token = ${withdrawn}`, /lease .* differs/],
      // Below the trigger: a raw edit as the table owner with triggers off.
      [`ALTER TABLE verdict.items DISABLE TRIGGER items_gold_copy_slots; UPDATE verdict.items SET open_slots = 1 WHERE id = ${copy}; ALTER TABLE verdict.items ENABLE TRIGGER items_gold_copy_slots`,
        `UPDATE verdict.items SET open_slots = 0 WHERE id = ${copy}`, /open slots/],
    ];
    for (const [tamper, undo, why] of cases) {
      await admin.query(tamper);
      const bad = await verifyTeam(url);
      expect(bad.ok, tamper).toBe(false);
      if (!bad.ok) expect(bad.reason).toMatch(why);
      await admin.query(undo);
    }
    expect(await verifyTeam(url)).toMatchObject({ ok: true });
  });
});
