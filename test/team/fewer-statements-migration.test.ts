/**
 * Team migration 0012 on a database at version 11 with data: claim and submit run in fewer
 * statements, with the same answers and the same audit leaves; a verdict inserted directly under
 * RLS is still checked and completed by the trigger (and refused without a live lease of one's
 * own); the audit written before and after the upgrade verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTeam, type TeamSession } from '../../electron/core/team/api.ts';
import { ingestTeamRecords } from '../../db/team/ingest.ts';
import { migrateTeam, TEAM_MIGRATIONS } from '../../db/team/migrate.ts';
import { validateForTeam } from '../../electron/core/team/ingest.ts';
import { verifyTeam } from '../../electron/core/team/verify.ts';
import { pgForThisFile } from '../support/pg.ts';
import { addUser, as, record, route } from './helpers.ts';

const pgc = pgForThisFile();
const s: Record<string, TeamSession> = {};

beforeAll(async () => {
  const client = await pgc.get().adminPool.connect();
  try {
    expect((await migrateTeam(client, { upTo: 11 })).applied).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  } finally {
    client.release();
  }
});
afterAll(async () => {
  for (const x of Object.values(s)) await x.close();
});

interface Leaf {
  type: string;
  actor: string;
  subject: string;
  data: Record<string, unknown>;
}

/** The leaves after `afterId`, with the per-call values (times, ids, tokens) replaced by their shape. */
async function leavesAfter(afterId: number): Promise<{ last: number; leaves: Leaf[] }> {
  const { rows } = await pgc.get().adminPool.query<{ id: string; body: string }>('SELECT id, body FROM verdict.audit_leaves WHERE id > $1 ORDER BY id', [afterId]);
  const leaves = rows.map((r) => {
    const b = JSON.parse(r.body) as Leaf & { at: string };
    const data = Object.fromEntries(
      Object.entries(b.data).map(([k, v]) => [k, ['token', 'id', 'expires_at', 'decided_at', 'client_id'].includes(k) ? typeof v : v]),
    );
    return { type: b.type, actor: b.actor, subject: typeof b.subject, data };
  });
  return { last: rows.length ? Number(rows[rows.length - 1]!.id) : afterId, leaves };
}

describe('team migration 0012', () => {
  it('a version 11 database with data upgrades; claim and submit give the same answers and leaves; direct inserts are still guarded', async () => {
    const c = pgc.get();
    const admin = c.adminPool;
    await route(c, 'one', 1);
    await route(c, 'two', 2);
    await route(c, 'fast', 1, 1);
    const recs: [string, string, string][] = [
      ['o-1', 'one', 'normal'], ['o-2', 'one', 'normal'], ['o-3', 'one', 'high'], ['o-4', 'one', 'normal'], ['o-5', 'one', 'normal'],
      ['t-1', 'two', 'normal'], ['t-2', 'two', 'normal'], ['t-3', 'two', 'normal'], ['f-1', 'fast', 'normal'],
    ];
    const rows = recs.map(([id, r, priority]) => {
      const o = validateForTeam(JSON.stringify(record(id, r, { priority, created_at: r === 'fast' ? '2026-11-02T10:00:00Z' : '2026-11-01T10:00:00Z' })), 'v11', id);
      if (!o.ok) throw new Error(o.q.reason);
      return o.row;
    });
    const pc = await admin.connect();
    try {
      await ingestTeamRecords(pc, rows);
    } finally {
      pc.release();
    }
    const urls: Record<string, string> = {};
    for (const name of ['ann', 'bob', 'cat']) {
      urls[name] = await addUser(c, name, 'reviewer', name === 'cat' ? ['one', 'two'] : ['one', 'two', 'fast']);
      s[name] = await connectTeam(urls[name]!);
    }

    // Version 11: the best item of both routes first (o-3, high), then the oldest; an N = 2 item
    // half reviewed; a live lease; the leaves each step writes.
    const a1 = (await s.ann!.claimNext())!;
    expect(a1.item.externalId).toBe('o-3');
    expect((await s.ann!.submit(a1, { decision: 'violation' }))).toMatchObject({ status: 'accepted', itemStatus: 'decided' });
    const a2 = (await s.ann!.claimNext('two'))!;
    expect((await s.ann!.submit(a2, { decision: 'violation' }))).toMatchObject({ status: 'accepted', itemStatus: 'open' });
    const b2 = (await s.bob!.claimNext('two'))!;
    expect(b2.itemId).toBe(a2.itemId);
    const { last: mark } = await leavesAfter(0);
    const b1 = (await s.bob!.claimNext('one'))!;
    expect((await s.bob!.submit(b1, { decision: 'dismiss', labels: ['S1'], rationale: 'r' }))).toMatchObject({ status: 'accepted', itemStatus: 'decided' });
    const { last: mark11, leaves: before } = await leavesAfter(mark);
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });

    const client = await admin.connect();
    try {
      expect((await migrateTeam(client)).applied).toEqual(TEAM_MIGRATIONS.map((m) => m.version).filter((v) => v > 11));
    } finally {
      client.release();
    }
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });

    // The same step after the upgrade writes the same leaves (same fields, same values).
    const c1 = (await s.cat!.claimNext('one'))!;
    expect((await s.cat!.submit(c1, { decision: 'dismiss', labels: ['S1'], rationale: 'r' }))).toMatchObject({ status: 'accepted', itemStatus: 'decided' });
    const { last: mark12, leaves: after } = await leavesAfter(mark11);
    const anon = (l: Leaf) => ({ ...l, actor: 'x', data: { ...l.data, ...('reviewer' in l.data ? { reviewer: 'x' } : {}) } });
    expect(after.map(anon)).toEqual(before.map(anon));
    expect(after.map((l) => l.type)).toEqual(['lease.claimed', 'verdict.submitted']);

    // The lease taken at version 11 completes the N = 2 item: disagreement goes to adjudication,
    // with the status change in the verdict's leaf; a retried submit is recognised; a second
    // verdict on the item and a lease that is not one's own are refused.
    expect((await s.bob!.submit(b2, { decision: 'dismiss' }))).toMatchObject({ status: 'accepted', itemStatus: 'adjudication' });
    const { leaves: done } = await leavesAfter(mark12);
    expect(done).toEqual([expect.objectContaining({ type: 'verdict.submitted', data: expect.objectContaining({ item_status: { from: 'open', to: 'adjudication' } }) })]);
    expect((await s.bob!.submit(b2, { decision: 'dismiss' })).status).toBe('accepted');
    expect((await s.bob!.submit(b2, { decision: 'dismiss' })).message).toMatch(/already recorded/);
    const a3 = (await s.ann!.claimNext('two'))!;
    const c3 = (await s.cat!.claimNext('two'))!;
    expect(c3.itemId).toBe(a3.itemId);
    expect((await s.ann!.submit(a3, { decision: 'escalate' })).itemStatus).toBe('open');
    expect((await s.ann!.submit({ ...c3, itemId: a3.itemId }, { decision: 'escalate' })).message).toMatch(/already gave a verdict/);
    expect((await s.bob!.submit({ ...c3 }, { decision: 'escalate' })).message).toMatch(/no lease .* of yours/);
    expect((await s.cat!.submit(c3, { decision: 'escalate' }))).toMatchObject({ status: 'accepted', itemStatus: 'decided' });

    // A lease that ran out (a one-second route; waiting on the server's clock): the submit is
    // refused as expired and the item goes back to the queue, where the next claim (which reaps
    // first, then reads the heads again) finds it.
    const overOn = async (token: string) => {
      for (;;) {
        const { rows: r } = await admin.query<{ over: boolean }>('SELECT expires_at < clock_timestamp() AS over FROM verdict.leases WHERE token = $1', [token]);
        if (r[0]!.over) return;
        await admin.query('SELECT pg_sleep(0.1)');
      }
    };
    const e = (await s.ann!.claimNext('fast'))!;
    await overOn(String(e.token));
    expect((await s.ann!.submit(e, { decision: 'violation' })).status).toBe('expired');
    const e2 = (await s.ann!.claimNext('fast'))!;
    expect(e2.itemId).toBe(e.itemId);
    await overOn(String(e2.token));
    const again = (await s.bob!.claimNext('fast'))!;
    expect(again.itemId).toBe(e.itemId);
    expect((await s.bob!.submit(again, { decision: 'violation' })).status).toBe('accepted');

    // Directly, under RLS: a member may not write a verdict's revision (the trigger's marker), may
    // not insert on someone else's lease, and on their own live lease the trigger checks and
    // completes the verdict as submit() does.
    const o4 = (await s.cat!.claimNext('one'))!;
    expect(o4.item.externalId).toBe('o-4');
    const cat = await as(urls.cat!);
    try {
      await expect(cat.query('INSERT INTO verdict.verdicts (item_id, lease_token, decision, revision) VALUES ($1, $2, $3, 1)', [o4.itemId, o4.token, 'dismiss'])).rejects.toThrow(/permission denied/);
      await expect(cat.query('INSERT INTO verdict.verdicts (item_id, lease_token, decision) VALUES ($1, $2, $3)', [again.itemId, again.token, 'dismiss'])).rejects.toThrow();
      const m = (await leavesAfter(0)).last;
      await cat.query('INSERT INTO verdict.verdicts (item_id, lease_token, decision) VALUES ($1, $2, $3)', [o4.itemId, o4.token, 'dismiss']);
      const { leaves: direct } = await leavesAfter(m);
      expect(direct).toEqual([expect.objectContaining({ type: 'verdict.submitted', data: expect.objectContaining({ item_status: { from: 'open', to: 'decided' }, revision: 1 }) })]);
      expect((await admin.query('SELECT state FROM verdict.leases WHERE token = $1', [o4.token])).rows).toEqual([{ state: 'submitted' }]);
    } finally {
      await cat.end();
    }
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });
    const { rows: st } = await admin.query<{ ext_id: string; status: string; n: number }>(
      'SELECT i.ext_id, i.status, (SELECT count(*)::int FROM verdict.verdicts v WHERE v.item_id = i.id) AS n FROM verdict.items i ORDER BY i.ext_id',
    );
    expect(st).toEqual([
      { ext_id: 'f-1', status: 'decided', n: 1 },
      { ext_id: 'o-1', status: 'decided', n: 1 },
      { ext_id: 'o-2', status: 'decided', n: 1 },
      { ext_id: 'o-3', status: 'decided', n: 1 },
      { ext_id: 'o-4', status: 'decided', n: 1 },
      { ext_id: 'o-5', status: 'open', n: 0 },
      { ext_id: 't-1', status: 'adjudication', n: 2 },
      { ext_id: 't-2', status: 'decided', n: 2 },
      { ext_id: 't-3', status: 'open', n: 0 },
    ]);
  });
});
