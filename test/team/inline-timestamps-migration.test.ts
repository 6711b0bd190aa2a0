/**
 * Team migration 0011 on a database at version 10 with data: verdict.ts_text becomes STABLE (so
 * the planner inlines it into the queue's statements), writes the same text as before, and the
 * audit written before and after the upgrade verifies.
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
    expect((await migrateTeam(client, { upTo: 10 })).applied).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  } finally {
    client.release();
  }
});
afterAll(async () => {
  for (const x of Object.values(s)) await x.close();
});

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

describe('team migration 0011', () => {
  it('a version 10 database with data upgrades; ts_text is inlined and writes the same text; the audit verifies', async () => {
    const c = pgc.get();
    const admin = c.adminPool;
    await route(c, 'one', 1);
    await route(c, 'two', 2);
    await ingestPairs(c, 'v10', [['o-1', 'one'], ['o-2', 'one'], ['t-1', 'two'], ['t-2', 'two']]);
    for (const name of ['ann', 'bob']) s[name] = await connectTeam(await addUser(c, name, 'reviewer', ['one', 'two']));
    // Version 10 state: a decided N = 1 item, a half-reviewed N = 2 item, a live lease.
    const a1 = (await s.ann!.claimNext('one'))!;
    expect((await s.ann!.submit(a1, { decision: 'violation' })).status).toBe('accepted');
    const a2 = (await s.ann!.claimNext('two'))!;
    expect((await s.ann!.submit(a2, { decision: 'violation' })).status).toBe('accepted');
    const live = (await s.bob!.claimNext('two'))!;
    const sample = "SELECT verdict.ts_text('2026-12-05 06:47:01.012345+02'::timestamptz) AS t";
    const before = (await admin.query<{ t: string }>(sample)).rows[0]!.t;
    expect(before).toBe('2026-12-05T04:47:01.012345Z');
    expect((await admin.query("SELECT provolatile FROM pg_proc WHERE oid = 'verdict.ts_text(timestamptz)'::regprocedure")).rows[0]).toEqual({ provolatile: 'i' });

    const client = await admin.connect();
    try {
      expect((await migrateTeam(client)).applied).toEqual(TEAM_MIGRATIONS.map((m) => m.version).filter((v) => v > 10));
    } finally {
      client.release();
    }
    expect((await admin.query("SELECT provolatile FROM pg_proc WHERE oid = 'verdict.ts_text(timestamptz)'::regprocedure")).rows[0]).toEqual({ provolatile: 's' });
    expect((await admin.query<{ t: string }>(sample)).rows[0]!.t).toBe(before);
    // Inlined: the plan shows to_char itself, not a call of ts_text.
    const plan = (await admin.query<{ 'QUERY PLAN': string }>('EXPLAIN (VERBOSE) SELECT verdict.ts_text(now())')).rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toContain('to_char');
    expect(plan).not.toContain('ts_text');
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });

    // After: the lease taken at version 10 submits (completing t-x), a new claim and submit, and
    // the leaves written now carry the same timestamp text as before.
    expect((await s.bob!.submit(live, { decision: 'dismiss' })).status).toBe('accepted');
    const b1 = (await s.bob!.claimNext('one'))!;
    expect(b1.expiresAt).toMatch(TS);
    expect(b1.serverNow).toMatch(TS);
    expect(b1.item.createdAt).toBe('2026-11-01T10:00:00.000000Z');
    expect((await s.bob!.submit(b1, { decision: 'violation' })).status).toBe('accepted');
    const { rows: leaves } = await admin.query<{ at: string; expires: string | null; decided: string | null }>(
      `SELECT body::jsonb->>'at' AS at, body::jsonb->'data'->>'expires_at' AS expires, body::jsonb->'data'->>'decided_at' AS decided
       FROM verdict.audit_leaves ORDER BY id`,
    );
    expect(leaves.length).toBeGreaterThan(8);
    for (const l of leaves) {
      expect(l.at).toMatch(TS);
      if (l.expires !== null) expect(l.expires).toMatch(TS);
      if (l.decided !== null) expect(l.decided).toMatch(TS);
    }
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });
    // claim_mixed without its own require_member(): someone in the group role but not a member
    // still gets the member error (from verdict.claim), not an empty answer.
    await admin.query("CREATE ROLE stray LOGIN PASSWORD 'pw-stray-secret' IN ROLE verdict_member");
    const stray = await as(c.urlFor('stray', 'pw-stray-secret'));
    try {
      await expect(stray.query('SELECT * FROM verdict.claim_mixed(NULL)')).rejects.toThrow(/not a member of this Verdict team/);
    } finally {
      await stray.end();
    }
    const { rows: st } = await admin.query<{ ext_id: string; status: string }>('SELECT ext_id, status FROM verdict.items ORDER BY ext_id');
    expect(st).toEqual([
      { ext_id: 'o-1', status: 'decided' },
      { ext_id: 'o-2', status: 'decided' },
      { ext_id: 't-1', status: 'adjudication' },
      { ext_id: 't-2', status: 'open' },
    ]);
  });
});
