/**
 * Team migration 0008 (insert-only audit log: positions in audit_sequenced, the queue in
 * audit_pending; a completing verdict carries its item's status change): a database at version 7
 * with sequenced and still-queued leaves upgrades with its tree intact and verifies, and the new
 * format is replayed, verified and tamper-checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateTeam, TEAM_MIGRATIONS } from '../../db/team/migrate.ts';
import { connectTeam, type TeamSession } from '../../electron/core/team/api.ts';
import { ingestFileToTeam } from '../../electron/core/team/ingest.ts';
import { verifyTeam } from '../../electron/core/team/verify.ts';
import { tempDir } from '../helpers/workspace.ts';
import { pgForThisFile } from '../support/pg.ts';
import { addUser, as, record, route } from './helpers.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const pg = pgForThisFile();
const t = tempDir('verdict-team-audit8-');
const sessions: TeamSession[] = [];

async function open(url: string): Promise<TeamSession> {
  const s = await connectTeam(url);
  sessions.push(s);
  return s;
}

beforeAll(async () => {
  const client = await pg.get().adminPool.connect();
  try {
    expect((await migrateTeam(client, { upTo: 7 })).applied).toEqual([1, 2, 3, 4, 5, 6, 7]);
  } finally {
    client.release();
  }
});
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close()));
  t.cleanup();
});

const types = async (sql: string) =>
  (await pg.get().adminPool.query<{ body: string }>(sql)).rows.map((r) => (JSON.parse(r.body) as { type: string }).type);

describe('team migration 0008', () => {
  it('a version-7 database with sequenced and queued leaves upgrades with its tree intact and verifies', async () => {
    const c = pg.get();
    await route(c, 'trust_safety', 1, 600);
    await route(c, 'clinical', 2, 600);
    const file = join(t.dir, 'v7.jsonl');
    const lines = [...[0, 1, 2, 3].map((i) => record(`ts-${i}`, 'trust_safety')), ...[0, 1].map((i) => record(`cl-${i}`, 'clinical'))];
    writeFileSync(file, lines.map((r) => JSON.stringify(r)).join('\n') + '\n');
    expect((await ingestFileToTeam(c.url, file)).ingested).toBe(6);
    const ann = await open(await addUser(c, 'ann', 'reviewer', ['trust_safety', 'clinical']));
    const bob = await open(await addUser(c, 'bob', 'reviewer', ['clinical']));
    const a1 = (await ann.claimNext('trust_safety'))!;
    expect((await ann.submit(a1, { decision: 'violation' })).status).toBe('accepted');
    const b1 = (await bob.claimNext('clinical'))!;
    expect((await bob.submit(b1, { decision: 'dismiss' })).status).toBe('accepted');
    // The version-7 sequencer (integrateAll counts the version-8 queue).
    expect((await c.adminPool.query('SELECT verdict.integrate(100000)::int AS size')).rows[0].size).toBeGreaterThan(0);
    const head7 = (await c.adminPool.query('SELECT size::int, root FROM verdict.audit_tree')).rows[0];
    // Left queued at version 7 (seq IS NULL): a live lease's claim leaf. The sessions run the
    // sequencer every 250 ms: hold its lock so that the leaf stays queued until the checks below.
    const hold = await c.adminPool.connect();
    await hold.query('SELECT pg_advisory_lock(7265783001)');
    const live = (await ann.claimNext('trust_safety'))!;
    const v7 = (await c.adminPool.query('SELECT count(*)::int AS n, count(seq)::int AS placed FROM verdict.audit_leaves')).rows[0];
    expect(v7.placed).toBe(head7.size);
    expect(v7.n).toBeGreaterThan(v7.placed);
    const hashes7 = (await c.adminPool.query('SELECT seq::int, id::text, leaf_hash FROM verdict.audit_leaves WHERE seq IS NOT NULL ORDER BY seq')).rows;

    const client = await c.adminPool.connect();
    try {
      expect((await migrateTeam(client)).applied).toEqual(TEAM_MIGRATIONS.map((m) => m.version).filter((v) => v > 7));
    } finally {
      client.release();
    }
    const cols = await c.adminPool.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'verdict' AND table_name = 'audit_leaves' ORDER BY 1");
    expect(cols.rows.map((r) => r.column_name)).toEqual(['body', 'id']);
    expect((await c.adminPool.query('SELECT seq::int, leaf_id::text AS id, leaf_hash FROM verdict.audit_sequenced ORDER BY seq')).rows).toEqual(hashes7);
    expect((await c.adminPool.query('SELECT count(*)::int AS n FROM verdict.audit_pending')).rows[0].n).toBe(v7.n - v7.placed);
    expect((await c.adminPool.query('SELECT size::int, root FROM verdict.audit_tree')).rows[0]).toEqual(head7);
    await hold.query('SELECT pg_advisory_unlock(7265783001)');
    hold.release();
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });
    expect((await c.adminPool.query('SELECT count(*)::int AS n FROM verdict.audit_pending')).rows[0].n).toBe(0);

    // The lease from version 7 is still the holder's; an N = 1 verdict now writes one leaf, with its status change.
    const before = (await c.adminPool.query('SELECT max(id) AS id FROM verdict.audit_leaves')).rows[0].id as string;
    expect(await ann.submit(live, { decision: 'dismiss' })).toMatchObject({ status: 'accepted', itemStatus: 'decided' });
    const added = (await c.adminPool.query<{ body: string }>('SELECT body FROM verdict.audit_leaves WHERE id > $1 ORDER BY id', [before])).rows;
    expect(added.map((r) => JSON.parse(r.body))).toMatchObject([
      { type: 'verdict.submitted', subject: live.itemId, data: { item_status: { from: 'open', to: 'decided' }, decision: 'dismiss' } },
    ]);
    // The second clinical review completes cl-0 in disagreement: adjudication, in the verdict's leaf.
    const a2 = (await ann.claimNext('clinical'))!;
    expect(a2.itemId).toBe(b1.itemId);
    expect(await ann.submit(a2, { decision: 'violation' })).toMatchObject({ status: 'accepted', itemStatus: 'adjudication' });
    expect(await types(`SELECT body FROM verdict.audit_leaves WHERE strpos(body, '"item_status"') > 0 ORDER BY id`)).toEqual(['verdict.submitted', 'verdict.submitted']);
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });
    const placed = (await c.adminPool.query('SELECT count(*)::int AS n FROM verdict.audit_log')).rows[0].n;
    expect(placed).toBe((await c.adminPool.query('SELECT size::int FROM verdict.audit_tree')).rows[0].size);
    expect(placed).toBe((await c.adminPool.query('SELECT count(*)::int AS n FROM verdict.audit_leaves')).rows[0].n);
  });

  it('a leaf taken off the queue without a position is reported; put back, it verifies', async () => {
    const c = pg.get();
    await route(c, 'legal', 1, 600);
    const file = join(t.dir, 'legal.jsonl');
    writeFileSync(file, JSON.stringify(record('lg-0', 'legal')) + '\n');
    expect((await ingestFileToTeam(c.url, file)).ingested).toBe(1);
    const id = (await c.adminPool.query('SELECT max(id)::text AS id FROM verdict.audit_leaves')).rows[0].id as string;
    await c.adminPool.query('DELETE FROM verdict.audit_pending WHERE leaf_id = $1', [id]);
    const res = await verifyTeam(c.url);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.reason).toMatch(/leaves are stored but \d+ are in the tree or the queue/);
    await c.adminPool.query('INSERT INTO verdict.audit_pending VALUES ($1)', [id]);
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });
  });

  it('next item: the most urgent of my routes, one item locked; a head taken meanwhile falls to the next route', async () => {
    const c = pg.get();
    await route(c, 'r_a', 1, 600);
    await route(c, 'r_b', 1, 600);
    const at = (m: number) => ({ created_at: `2026-11-01T10:0${m}:00Z` });
    const file = join(t.dir, 'routes.jsonl');
    const recs = [record('a0', 'r_a', at(0)), record('b0', 'r_b', at(1)), record('a1', 'r_a', at(2)), record('b1', 'r_b', at(3)), record('a2', 'r_a', at(4))];
    writeFileSync(file, recs.map((r) => JSON.stringify(r)).join('\n') + '\n');
    expect((await ingestFileToTeam(c.url, file)).ingested).toBe(5);
    const dee = await as(await addUser(c, 'dee', 'reviewer', ['r_a', 'r_b']));
    const admin = await c.adminPool.connect();
    const free = async () =>
      (await admin.query(`SELECT ext_id FROM verdict.items WHERE route IN ('r_a', 'r_b') ORDER BY created_at FOR UPDATE SKIP LOCKED`)).rows.map((r) => r.ext_id);
    try {
      await dee.query('BEGIN');
      expect((await dee.query('SELECT ext_id FROM verdict.claim()')).rows).toEqual([{ ext_id: 'a0' }]);
      expect(await free()).toEqual(['b0', 'a1', 'b1', 'a2']);
      await dee.query('COMMIT');
      expect((await dee.query('SELECT ext_id FROM verdict.claim()')).rows).toEqual([{ ext_id: 'b0' }]);
      // a1 (the best head) is being claimed by someone else: r_a gives a2, behind r_b's head b1.
      await admin.query('BEGIN');
      await admin.query(`SELECT 1 FROM verdict.items WHERE ext_id = 'a1' FOR UPDATE`);
      expect((await dee.query('SELECT ext_id FROM verdict.claim()')).rows).toEqual([{ ext_id: 'b1' }]);
      await admin.query('ROLLBACK');
      expect((await dee.query('SELECT ext_id FROM verdict.claim(NULL, 5)')).rows).toEqual([{ ext_id: 'a1' }, { ext_id: 'a2' }]);
      expect((await dee.query('SELECT count(*)::int AS n FROM verdict.claim()')).rows[0].n).toBe(0);
    } finally {
      admin.release();
      await dee.end();
    }
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });
  });

  it('the replay checks a status change carried by a verdict against the verdicts', async () => {
    const c = pg.get();
    const cat = await open(await addUser(c, 'cat', 'reviewer', ['trust_safety']));
    const l = (await cat.claimNext('trust_safety'))!;
    expect((await cat.submit(l, { decision: 'violation' })).status).toBe('accepted');
    // As superuser past the trigger, while the leaf is still queued (so its position is taken over the edited body).
    const client = await c.adminPool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ALTER TABLE verdict.audit_leaves DISABLE TRIGGER USER');
      await client.query(
        `UPDATE verdict.audit_leaves SET body = replace(body, '"to": "decided"', '"to": "adjudication"')
         WHERE id = (SELECT max(id) FROM verdict.audit_leaves WHERE body LIKE '%verdict.submitted%')`,
      );
      await client.query('ALTER TABLE verdict.audit_leaves ENABLE TRIGGER USER');
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const res = await verifyTeam(c.url);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.reason).toMatch(/became adjudication; its verdicts make it decided/);
  });
});
