/**
 * Team migration 0005 (records out of `items`, set-based claim, "save and next"): a database at
 * version 4 upgrades with its items, records, leases, verdicts and audit log intact, and
 * submitAndClaimNext keeps the queue's rules (exactly N distinct reviewers, fencing, audit).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateTeam, TEAM_MIGRATIONS } from '../../db/team/migrate.ts';
import { integrateAll } from '../../db/team/queue.ts';
import { connectTeam, type Lease, type TeamSession } from '../../electron/core/team/api.ts';
import { ingestFileToTeam } from '../../electron/core/team/ingest.ts';
import { verifyTeam } from '../../electron/core/team/verify.ts';
import { tempDir } from '../helpers/workspace.ts';
import { pgForThisFile } from '../support/pg.ts';
import { addUser, as, record, route } from './helpers.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const pg = pgForThisFile();
const t = tempDir('verdict-team-fast-');
const sessions: TeamSession[] = [];

async function open(url: string): Promise<TeamSession> {
  const s = await connectTeam(url);
  sessions.push(s);
  return s;
}

beforeAll(async () => {
  const c = pg.get();
  const client = await c.adminPool.connect();
  try {
    expect((await migrateTeam(client, { upTo: 4 })).applied).toEqual([1, 2, 3, 4]);
  } finally {
    client.release();
  }
});
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close()));
  t.cleanup();
});

describe('team migration 0005', () => {
  it('a database at version 4 upgrades with its data intact, and the queue works on after', async () => {
    const c = pg.get();
    await route(c, 'trust_safety', 1, 600);
    await route(c, 'clinical', 2, 600);
    const file = join(t.dir, 'v4.jsonl');
    const lines = [...[0, 1, 2, 3].map((i) => record(`ts-${i}`, 'trust_safety')), ...[0, 1, 2].map((i) => record(`cl-${i}`, 'clinical'))];
    writeFileSync(file, lines.map((r) => JSON.stringify(r)).join('\n') + '\n');
    expect((await ingestFileToTeam(c.url, file)).ingested).toBe(7);
    const ann = await open(await addUser(c, 'ann', 'reviewer', ['trust_safety', 'clinical']));
    const bob = await open(await addUser(c, 'bob', 'reviewer', ['clinical']));
    // At version 4: one decided item, one half-reviewed N = 2 item, one live lease.
    const a1 = (await ann.claimNext('trust_safety'))!;
    expect((await ann.submit(a1, { decision: 'violation' })).status).toBe('accepted');
    const b1 = (await bob.claimNext('clinical'))!;
    expect((await bob.submit(b1, { decision: 'dismiss' })).status).toBe('accepted');
    const live = (await ann.claimNext('trust_safety'))!;
    // The version-4 sequencer (integrateAll counts the version-8 queue).
    await c.adminPool.query('SELECT verdict.integrate(100000)');
    const before = await c.adminPool.query(
      `SELECT ext_id, status, open_slots, revision, content_sha256, record_text FROM verdict.items ORDER BY id`,
    );
    const counts = async () =>
      (await c.adminPool.query(`SELECT (SELECT count(*) FROM verdict.leases)::int AS leases, (SELECT count(*) FROM verdict.verdicts)::int AS verdicts,
          (SELECT count(*) FROM verdict.audit_leaves)::int AS leaves, (SELECT size FROM verdict.audit_tree)::int AS size`)).rows[0];
    const countsBefore = await counts();

    const client = await c.adminPool.connect();
    try {
      expect((await migrateTeam(client)).applied).toEqual(TEAM_MIGRATIONS.map((m) => m.version).filter((v) => v > 4));
    } finally {
      client.release();
    }
    const after = await c.adminPool.query(
      `SELECT i.ext_id, i.status, i.open_slots, i.revision, i.content_sha256, r.record_text
       FROM verdict.items i JOIN verdict.item_records r ON r.item_id = i.id ORDER BY i.id`,
    );
    expect(after.rows).toEqual(before.rows);
    expect(await counts()).toEqual(countsBefore);
    const cols = await c.adminPool.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'verdict' AND table_name = 'items'");
    expect(cols.rows.map((r) => r.column_name)).not.toContain('record_text');
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });

    // The lease taken at version 4 is still the holder's; claims hand out the moved records.
    expect((await ann.submit(live, { decision: 'dismiss' })).status).toBe('accepted');
    const b2 = (await ann.claimNext('clinical'))!;
    expect(b2.itemId).toBe(b1.itemId);
    expect(b2.item.record).toMatchObject({ id: 'cl-0', output: { messages: [{ content: 'answer cl-0' }] } });
    expect(await ann.submit(b2, { decision: 'violation' })).toMatchObject({ status: 'accepted', itemStatus: 'adjudication' });
    await integrateAll(c.adminPool);
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });
  });

  it('RLS: a reviewer reads the records of their routes only', async () => {
    const c = pg.get();
    const cat = await as(await addUser(c, 'cat', 'reviewer', ['clinical']));
    try {
      const seen = await cat.query('SELECT i.ext_id FROM verdict.item_records r JOIN verdict.items i ON i.id = r.item_id ORDER BY i.ext_id');
      expect(seen.rows.map((r) => r.ext_id)).toEqual(['cl-0', 'cl-1', 'cl-2']);
      const all = await cat.query('SELECT count(*)::int AS n FROM verdict.item_records');
      expect(all.rows[0].n).toBe(3);
      await expect(cat.query("UPDATE verdict.item_records SET record_text = '{}'")).rejects.toThrow(/permission denied/);
    } finally {
      await cat.end();
    }
  });

  it('save and next: the verdict and the next lease in one call; exactly N distinct reviewers; fencing; audit verifies', async () => {
    const c = pg.get();
    await route(c, 'legal', 2, 600);
    const file = join(t.dir, 'legal.jsonl');
    writeFileSync(file, [0, 1, 2, 3, 4].map((i) => JSON.stringify(record(`lg-${i}`, 'legal'))).join('\n') + '\n');
    expect((await ingestFileToTeam(c.url, file)).ingested).toBe(5);
    const dee = await open(await addUser(c, 'dee', 'reviewer', ['legal']));
    const eve = await open(await addUser(c, 'eve', 'reviewer', ['legal']));
    const seen = new Map<string, string[]>();
    // SKIP LOCKED passes over an item the other reviewer's transaction holds for that instant, so
    // an empty claim only means "nothing free right now": stop once nothing is left for me.
    const left = async (who: string) =>
      (await c.adminPool.query(
        "SELECT count(*)::int AS n FROM verdict.items i WHERE i.route = 'legal' AND NOT EXISTS (SELECT 1 FROM verdict.verdicts v WHERE v.item_id = i.id AND v.reviewer = $1)",
        [who],
      )).rows[0].n as number;
    const work = async (who: string, s: TeamSession) => {
      let lease: Lease | null = await s.claimNext('legal');
      while (lease || (await left(who)) > 0) {
        if (!lease) {
          lease = await s.claimNext('legal');
          continue;
        }
        (seen.get(lease.itemId) ?? seen.set(lease.itemId, []).get(lease.itemId)!).push(who);
        const { result, next }: { result: { status: string }; next: Lease | null } = await s.submitAndClaimNext(lease, { decision: 'violation' }, 'legal');
        expect(result.status).toBe('accepted');
        expect(next?.itemId).not.toBe(lease.itemId);
        lease = next;
      }
    };
    await Promise.all([work('dee', dee), work('eve', eve)]);
    expect(seen.size).toBe(5);
    for (const who of seen.values()) expect([...who].sort()).toEqual(['dee', 'eve']);
    const st = await c.adminPool.query("SELECT status, count(*)::int AS n FROM verdict.items WHERE route = 'legal' GROUP BY status");
    expect(st.rows).toEqual([{ status: 'decided', n: 5 }]);

    // A refused submit (a stale token) still hands out the next lease; nothing is left here: null.
    await route(c, 'legal', 1, 600);
    writeFileSync(file, JSON.stringify(record('lg-9', 'legal')) + '\n');
    await ingestFileToTeam(c.url, file);
    const stale = { itemId: [...seen.keys()][0]!, token: '1' };
    const r1 = await dee.submitAndClaimNext(stale, { decision: 'dismiss' }, 'legal');
    expect(r1.result.status).toBe('refused');
    expect(r1.next?.item.externalId).toBe('lg-9');
    const r2 = await dee.submitAndClaimNext(r1.next!, { decision: 'dismiss' }, 'legal');
    expect(r2).toMatchObject({ result: { status: 'accepted', itemStatus: 'decided' }, next: null });
    await integrateAll(c.adminPool);
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });
  });
});
