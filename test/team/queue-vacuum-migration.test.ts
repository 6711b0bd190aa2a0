/**
 * Team migration 0014 on a database at version 13 with data: items and leases get their own
 * autovacuum thresholds (and always clean their indexes), the growing tables a higher analyze threshold; the rows, the queue and the audit are
 * as they were, and a vacuum of the queue's tables leaves the log verifiable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTeam, type TeamSession } from '../../electron/core/team/api.ts';
import { migrateTeam, TEAM_MIGRATIONS } from '../../db/team/migrate.ts';
import { verifyTeam } from '../../electron/core/team/verify.ts';
import { pgForThisFile } from '../support/pg.ts';
import { addUser, route, ingestPairs } from './helpers.ts';

const pgc = pgForThisFile();
const s: Record<string, TeamSession> = {};

beforeAll(async () => {
  const client = await pgc.get().adminPool.connect();
  try {
    expect((await migrateTeam(client, { upTo: 13 })).applied).toEqual(TEAM_MIGRATIONS.map((m) => m.version).filter((v) => v <= 13));
  } finally {
    client.release();
  }
});
afterAll(async () => {
  for (const x of Object.values(s)) await x.close();
});

const options = `SELECT c.relname AS t, c.reloptions AS o FROM pg_class c
  WHERE c.relnamespace = 'verdict'::regnamespace AND c.relkind = 'r' AND c.reloptions IS NOT NULL ORDER BY 1`;
const state = `SELECT i.ext_id, i.status, i.open_slots, l.state, v.decision FROM verdict.items i
  LEFT JOIN verdict.leases l ON l.item_id = i.id LEFT JOIN verdict.verdicts v ON v.lease_token = l.token ORDER BY i.ext_id, l.token`;

describe('team migration 0014', () => {
  it('a version 13 database with data upgrades: items and leases vacuum early; the queue works and the audit verifies', async () => {
    const c = pgc.get();
    const admin = c.adminPool;
    await route(c, 'one', 1);
    await route(c, 'two', 2);
    await ingestPairs(c, 'v13', [['o-1', 'one'], ['o-2', 'one'], ['o-3', 'one'], ['t-1', 'two'], ['t-2', 'two']]);
    s.ann = await connectTeam(await addUser(c, 'ann', 'reviewer', ['one', 'two']));
    s.bob = await connectTeam(await addUser(c, 'bob', 'reviewer', ['one', 'two']));
    // Version 13 state: decided items, a half-reviewed N = 2 item, a released lease, a live lease.
    const a1 = (await s.ann.claimNext('one'))!;
    expect((await s.ann.submit(a1, { decision: 'violation', labels: ['S1'] })).status).toBe('accepted');
    const a2 = (await s.ann.claimNext('two'))!;
    expect((await s.ann.submit(a2, { decision: 'violation' })).status).toBe('accepted');
    const r1 = (await s.bob.claimNext('one'))!;
    await s.bob.release(r1);
    const live = (await s.bob.claimNext('two'))!;
    expect((await admin.query(options)).rows).toEqual([]);
    const before = (await admin.query(state)).rows;

    const client = await admin.connect();
    try {
      expect((await migrateTeam(client)).applied).toEqual(TEAM_MIGRATIONS.map((m) => m.version).filter((v) => v > 13));
    } finally {
      client.release();
    }
    const analyze = ['autovacuum_analyze_threshold=50000'];
    expect((await admin.query(options)).rows).toEqual([
      { t: 'audit_leaves', o: analyze },
      { t: 'audit_pending', o: analyze },
      { t: 'audit_sequenced', o: analyze },
      { t: 'audit_tree', o: analyze },
      { t: 'items', o: ['autovacuum_vacuum_scale_factor=0.005', 'autovacuum_vacuum_threshold=10000', 'vacuum_index_cleanup=on'] },
      { t: 'leases', o: ['autovacuum_vacuum_scale_factor=0.01', 'autovacuum_vacuum_threshold=10000', 'vacuum_index_cleanup=on', ...analyze] },
      { t: 'tree_heads', o: analyze },
      { t: 'verdicts', o: analyze },
    ]);
    // Storage parameters only: no row, lease or verdict changed, and the log verifies.
    expect((await admin.query(state)).rows).toEqual(before);
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });

    // The queue after the upgrade: the v13 lease submits (disagreeing: adjudication), new claims
    // and submits go through; a vacuum of the queue's tables (what autovacuum now does every few
    // thousand verdicts) removes the dead versions and the log still verifies.
    expect(await s.bob.submit(live, { decision: 'dismiss' })).toMatchObject({ status: 'accepted', itemStatus: 'adjudication' });
    const b1 = (await s.bob.claimNext('one'))!;
    expect(await s.bob.submit(b1, { decision: 'escalate', labels: ['S2'] })).toMatchObject({ status: 'accepted', itemStatus: 'decided' });
    const a3 = (await s.ann.claimNext('one'))!;
    expect(await s.ann.submit(a3, { decision: 'dismiss' })).toMatchObject({ status: 'accepted', itemStatus: 'decided' });
    await admin.query('VACUUM verdict.items, verdict.leases');
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });
    const { rows: st } = await admin.query<{ ext_id: string; status: string; open_slots: number }>('SELECT ext_id, status, open_slots FROM verdict.items ORDER BY ext_id');
    expect(st).toEqual([
      { ext_id: 'o-1', status: 'decided', open_slots: 0 },
      { ext_id: 'o-2', status: 'decided', open_slots: 0 },
      { ext_id: 'o-3', status: 'decided', open_slots: 0 },
      { ext_id: 't-1', status: 'adjudication', open_slots: 0 },
      { ext_id: 't-2', status: 'open', open_slots: 2 },
    ]);
    expect((await admin.query("SELECT count(*)::int AS n FROM verdict.leases WHERE state = 'released'")).rows[0]).toEqual({ n: 1 });
  });
});
