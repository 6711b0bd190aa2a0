/**
 * Team migration 0012 on a database at version 11 with data: the CHECK rules of items, leases and
 * verdicts move into one function-backed CHECK per table; the rows already there pass, every value
 * the old constraints refused is still refused, the queue works, and the audit verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTeam, type TeamSession } from '../../electron/core/team/api.ts';
import { migrateTeam, TEAM_MIGRATIONS } from '../../db/team/migrate.ts';
import { verifyTeam } from '../../electron/core/team/verify.ts';
import { pgForThisFile } from '../support/pg.ts';
import { addUser, as, route, ingestPairs } from './helpers.ts';

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

const checks = `SELECT conrelid::regclass::text AS t, conname AS name FROM pg_constraint
  WHERE contype = 'c' AND conrelid IN ('verdict.items'::regclass, 'verdict.leases'::regclass, 'verdict.verdicts'::regclass) ORDER BY 1, 2`;

describe('team migration 0012', () => {
  it('a version 11 database with data upgrades; the same values are refused; the queue works and the audit verifies', async () => {
    const c = pgc.get();
    const admin = c.adminPool;
    await route(c, 'one', 1);
    await route(c, 'two', 2);
    await ingestPairs(c, 'v11', [['o-1', 'one'], ['o-2', 'one'], ['t-1', 'two'], ['t-2', 'two']]);
    const ann = await addUser(c, 'ann', 'reviewer', ['one', 'two']);
    s.ann = await connectTeam(ann);
    s.bob = await connectTeam(await addUser(c, 'bob', 'reviewer', ['one', 'two']));
    // Version 11 state: a decided item, a half-reviewed N = 2 item, a live lease.
    const a1 = (await s.ann.claimNext('one'))!;
    expect((await s.ann.submit(a1, { decision: 'violation', labels: ['S1'] })).status).toBe('accepted');
    const a2 = (await s.ann.claimNext('two'))!;
    expect((await s.ann.submit(a2, { decision: 'violation' })).status).toBe('accepted');
    const live = (await s.bob.claimNext('two'))!;
    expect((await admin.query(checks)).rows).toHaveLength(7);

    const client = await admin.connect();
    try {
      expect((await migrateTeam(client)).applied).toEqual(TEAM_MIGRATIONS.map((m) => m.version).filter((v) => v > 11));
    } finally {
      client.release();
    }
    expect((await admin.query(checks)).rows).toEqual([
      { t: 'verdict.items', name: 'items_row_check' },
      { t: 'verdict.leases', name: 'leases_row_check' },
      { t: 'verdict.verdicts', name: 'verdicts_row_check' },
    ]);
    expect((await admin.query("SELECT count(*)::int AS n FROM pg_constraint WHERE conname LIKE '%row_check' AND NOT convalidated")).rows[0]).toEqual({ n: 0 });
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });

    // Every value the old constraints refused is still refused, even to the owner.
    const refused = [
      'UPDATE verdict.items SET priority = 4 WHERE ext_id = $1',
      'UPDATE verdict.items SET priority = -1 WHERE ext_id = $1',
      'UPDATE verdict.items SET required_reviews = 0 WHERE ext_id = $1',
      'UPDATE verdict.items SET open_slots = -1 WHERE ext_id = $1',
      "UPDATE verdict.items SET status = 'closed' WHERE ext_id = $1",
      "UPDATE verdict.leases SET state = 'stolen' WHERE item_id = (SELECT id FROM verdict.items WHERE ext_id = $1)",
      "UPDATE verdict.verdicts SET decision = 'maybe' WHERE item_id = (SELECT id FROM verdict.items WHERE ext_id = $1)",
      `UPDATE verdict.verdicts SET labels = '{"a": 1}' WHERE item_id = (SELECT id FROM verdict.items WHERE ext_id = $1)`,
    ];
    for (const q of refused) await expect(admin.query(q, ['o-1']), q).rejects.toThrow(/violates check constraint "(items|leases|verdicts)_row_check"/);
    // And every value they allowed is allowed (in a transaction rolled back: the audit stays as it is).
    const tx = await admin.connect();
    try {
      await tx.query('BEGIN');
      for (const st of ['open', 'decided', 'adjudication', 'expert', 'on_hold']) await tx.query('UPDATE verdict.items SET status = $2 WHERE ext_id = $1', ['o-2', st]);
      for (const p of [0, 3]) await tx.query('UPDATE verdict.items SET priority = $2 WHERE ext_id = $1', ['o-2', p]);
      for (const st of ['live', 'submitted', 'expired', 'released']) await tx.query('UPDATE verdict.leases SET state = $1 WHERE token = $2', [st, live.token]);
      await tx.query('ROLLBACK');
    } finally {
      tx.release();
    }

    // The queue after the upgrade: the v11 lease submits (disagreeing: adjudication), new claims and
    // submits go through, and a member's direct insert (which calls the verdicts check as the member)
    // is checked as before: a bad decision is refused by the check, a good one on a live lease is taken.
    expect((await s.bob.submit(live, { decision: 'dismiss' }))).toMatchObject({ status: 'accepted', itemStatus: 'adjudication' });
    const b1 = (await s.bob.claimNext('one'))!;
    expect((await s.bob.submit(b1, { decision: 'escalate', labels: ['S2'] }))).toMatchObject({ status: 'accepted', itemStatus: 'decided' });
    const a3 = (await s.ann.claimNext('two'))!;
    const direct = await as(ann);
    try {
      await expect(direct.query('INSERT INTO verdict.verdicts (item_id, lease_token, decision) VALUES ($1, $2, $3)', [a3.itemId, a3.token, 'maybe'])).rejects.toThrow(
        /verdicts_row_check/,
      );
      await direct.query('INSERT INTO verdict.verdicts (item_id, lease_token, decision) VALUES ($1, $2, $3)', [a3.itemId, a3.token, 'dismiss']);
    } finally {
      await direct.end();
    }
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });
    const { rows: st } = await admin.query<{ ext_id: string; status: string; open_slots: number }>('SELECT ext_id, status, open_slots FROM verdict.items ORDER BY ext_id');
    expect(st).toEqual([
      { ext_id: 'o-1', status: 'decided', open_slots: 0 },
      { ext_id: 'o-2', status: 'decided', open_slots: 0 },
      { ext_id: 't-1', status: 'adjudication', open_slots: 0 },
      { ext_id: 't-2', status: 'open', open_slots: 1 },
    ]);
  });
});
