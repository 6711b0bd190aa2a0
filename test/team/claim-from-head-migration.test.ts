/**
 * Team migration 0012 on a database at version 11 with data: verdict.claim's locked select starts
 * at the head it just read. The order across routes stays best-first, a locked head is skipped, an
 * item that comes back to the queue before the head is served next, and the audit written before
 * and after the upgrade verifies.
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

/** ext ids in the order a reviewer of both routes must be served them (created_at, one minute apart). */
const ORDER = ['a-1', 'b-1', 'a-2', 'b-2', 'a-3', 'b-3', 'a-4', 'b-4'];

describe('team migration 0012', () => {
  it('a version 11 database with data upgrades; claims stay best-first across routes, skip a locked head, and serve a returned item; the audit verifies', async () => {
    const c = pgc.get();
    const admin = c.adminPool;
    await route(c, 'ra', 1);
    await route(c, 'rb', 2);
    const rows = ORDER.map((id, k) => {
      const o = validateForTeam(JSON.stringify(record(id, id.startsWith('a') ? 'ra' : 'rb', { created_at: `2026-11-01T10:0${k}:00Z` })), 'v11', id);
      if (!o.ok) throw new Error(o.q.reason);
      return o.row;
    });
    const pc = await admin.connect();
    try {
      await ingestTeamRecords(pc, rows);
    } finally {
      pc.release();
    }
    for (const name of ['ann', 'bob']) s[name] = await connectTeam(await addUser(c, name, 'reviewer', ['ra', 'rb']));
    // Version 11 state: a decided N = 1 item (a-1), half of an N = 2 item (b-1), a live lease of bob's.
    const a1 = (await s.ann!.claimNext())!;
    expect(a1.item.externalId).toBe('a-1');
    expect((await s.ann!.submit(a1, { decision: 'violation' })).status).toBe('accepted');
    const b1 = (await s.ann!.claimNext())!;
    expect(b1.item.externalId).toBe('b-1');
    expect((await s.ann!.submit(b1, { decision: 'violation' })).status).toBe('accepted');
    const held = (await s.bob!.claimNext())!;
    expect(held.item.externalId).toBe('b-1');

    const client = await admin.connect();
    try {
      expect((await migrateTeam(client)).applied).toEqual(TEAM_MIGRATIONS.map((m) => m.version).filter((v) => v > 11));
    } finally {
      client.release();
    }
    const { rows: cfg } = await admin.query<{ proconfig: string[] }>("SELECT proconfig FROM pg_proc WHERE oid = 'verdict.claim(text, int)'::regprocedure");
    expect(cfg[0]!.proconfig).toEqual(expect.arrayContaining(['enable_seqscan=off']));
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });

    // Best-first across both routes: a-2 (ra) before b-2 (rb).
    const a2 = (await s.ann!.claimNext())!;
    expect(a2.item.externalId).toBe('a-2');
    // A locked head is skipped: bob's best is b-2 (ann holds a-2); with b-2 locked by another
    // session's transaction, bob gets a-3.
    const locker = await as(c.url);
    try {
      await locker.query('BEGIN');
      await locker.query("SELECT id FROM verdict.items WHERE ext_id = 'b-2' FOR UPDATE");
      const bobNext = (await s.bob!.claimNext())!;
      expect(bobNext.item.externalId).toBe('a-3');
      await locker.query('ROLLBACK');
      expect(await s.bob!.release(bobNext)).toBe(true);
    } finally {
      await locker.end();
    }
    // An item that comes back before the current head is served next: ann releases a-2; bob's
    // next claim is a-2 again, not b-2.
    expect(await s.ann!.release(a2)).toBe(true);
    const again = (await s.bob!.claimNext())!;
    expect(again.item.externalId).toBe('a-2');
    // The version 11 lease still submits (completing b-1 with two reviews).
    expect((await s.bob!.submit(held, { decision: 'violation' })).status).toBe('accepted');
    expect((await s.bob!.submit(again, { decision: 'dismiss' })).status).toBe('accepted');
    // Drain: ann is served the rest best-first (b-2, a-3, b-3, a-4, b-4), then nothing.
    const served: string[] = [];
    for (;;) {
      const l = await s.ann!.claimNext();
      if (!l) break;
      served.push(l.item.externalId);
      expect((await s.ann!.submit(l, { decision: 'violation' })).status).toBe('accepted');
    }
    expect(served).toEqual(['b-2', 'a-3', 'b-3', 'a-4', 'b-4']);
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });
    const { rows: st } = await admin.query<{ ext_id: string; status: string }>("SELECT ext_id, status FROM verdict.items WHERE ext_id IN ('a-1', 'b-1', 'a-2') ORDER BY ext_id");
    expect(st).toEqual([
      { ext_id: 'a-1', status: 'decided' },
      { ext_id: 'a-2', status: 'decided' },
      { ext_id: 'b-1', status: 'decided' },
    ]);
  });
});
