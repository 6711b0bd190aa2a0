/**
 * Team migration 0013 on a database at version 11 with data: the sequencer (verdict.integrate)
 * is rewritten for its cost per leaf. It must sequence the same leaves into the same tree: the
 * same positions, leaf hashes, frontier (nodes, sizes) and root as the version-11 sequencer on the
 * same queue, the recorded heads must match the leaves (`audit verify --team`), and a sequenced
 * leaf about an item still tells that item's route that its queue changed.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestTeamRecords } from '../../db/team/ingest.ts';
import { migrateTeam, TEAM_MIGRATIONS } from '../../db/team/migrate.ts';
import { claimItems, submitVerdict } from '../../db/team/queue.ts';
import { validateForTeam } from '../../electron/core/team/ingest.ts';
import { verifyTeam } from '../../electron/core/team/verify.ts';
import { pgForThisFile } from '../support/pg.ts';
import { addUser, as, record, route } from './helpers.ts';

const pgc = pgForThisFile();
const clients: pg.Client[] = [];

beforeAll(async () => {
  const client = await pgc.get().adminPool.connect();
  try {
    expect((await migrateTeam(client, { upTo: 11 })).applied).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  } finally {
    client.release();
  }
});
afterAll(async () => {
  for (const c of clients) await c.end();
});

interface Tree {
  size: string;
  root: string;
  nodes: string[];
  sizes: string[];
  sequenced: { seq: string; leaf_id: string; leaf_hash: string }[];
  heads: { size: string; root: string }[];
}

async function tree(db: pg.Client, fromSeq: number): Promise<Tree> {
  const t = (await db.query("SELECT size::text, encode(root, 'hex') AS root, nodes, sizes::text[] AS sizes FROM verdict.audit_tree")).rows[0];
  const sequenced = (await db.query("SELECT seq::text, leaf_id::text, encode(leaf_hash, 'hex') AS leaf_hash FROM verdict.audit_sequenced WHERE seq >= $1 ORDER BY seq", [fromSeq])).rows;
  const heads = (await db.query("SELECT size::text, encode(root, 'hex') AS root FROM verdict.tree_heads WHERE size > $1 ORDER BY size", [fromSeq])).rows;
  return { size: t.size, root: t.root, nodes: (t.nodes as Buffer[]).map((b) => b.toString('hex')), sizes: t.sizes, sequenced, heads };
}

/** Sequences the whole queue in batches of these sizes (the last one repeats), as sessions do. */
async function integrateInBatches(db: pg.Client, batches: number[]): Promise<void> {
  for (let k = 0; ; k++) {
    const pending = Number((await db.query('SELECT count(*) AS n FROM verdict.audit_pending')).rows[0].n);
    if (pending === 0) return;
    await db.query('SELECT verdict.integrate($1)', [batches[Math.min(k, batches.length - 1)]]);
  }
}

describe('team migration 0013', () => {
  it('a version 11 database with data upgrades; the new sequencer builds the same tree as the old one; the audit verifies', async () => {
    const c = pgc.get();
    await route(c, 'one', 1);
    await route(c, 'two', 2);
    const rows = Array.from({ length: 40 }, (_, i) => {
      const o = validateForTeam(JSON.stringify(record(`r-${i}`, i % 2 ? 'one' : 'two')), 'v11', String(i));
      if (!o.ok) throw new Error(o.q.reason);
      return o.row;
    });
    const admin = await as(c.url);
    clients.push(admin);
    await ingestTeamRecords(admin, rows);
    // Sequence part of the log with the version-11 sequencer, in uneven batches (a frontier with
    // several nodes), then leave claims and verdicts in the queue.
    await integrateInBatches(admin, [7, 3, 11, 5]);
    const ann = await as(await addUser(c, 'ann', 'reviewer', ['one', 'two']));
    const bob = await as(await addUser(c, 'bob', 'reviewer', ['one', 'two']));
    clients.push(ann, bob);
    for (const who of [ann, bob, ann, bob, ann]) {
      const [lease] = await claimItems(who, 1, null);
      expect((await submitVerdict(who, lease!.itemId, lease!.token, { decision: 'violation', labels: [], severity: null, rationale: null, clientId: null })).status).toBe('accepted');
    }
    const live = (await claimItems(bob, 1, 'one'))[0]!;
    const from = Number((await admin.query('SELECT size FROM verdict.audit_tree')).rows[0].size);
    const queued = Number((await admin.query('SELECT count(*) AS n FROM verdict.audit_pending')).rows[0].n);
    expect(queued).toBeGreaterThan(12);

    // What the version-11 sequencer makes of this queue (then undone).
    await admin.query('BEGIN');
    await integrateInBatches(admin, [5, 2, 9]);
    const old = await tree(admin, from);
    await admin.query('ROLLBACK');
    expect(Number(old.size)).toBe(from + queued);

    const mc = await c.adminPool.connect();
    try {
      expect((await migrateTeam(mc)).applied).toEqual(TEAM_MIGRATIONS.map((m) => m.version).filter((v) => v > 11));
    } finally {
      mc.release();
    }
    await admin.query('LISTEN verdict_queue');
    const notes: string[] = [];
    admin.on('notification', (n) => notes.push(n.payload ?? ''));
    await integrateInBatches(admin, [5, 2, 9]);
    expect(await tree(admin, from)).toEqual(old);
    // The frontier is one node per set bit of the size, largest first.
    const size = BigInt(old.size);
    expect(old.sizes).toEqual([...size.toString(2)].map((b, i, a) => (b === '1' ? String(1n << BigInt(a.length - 1 - i)) : null)).filter((x) => x !== null));
    expect(notes.map((n) => JSON.parse(n))).toEqual(expect.arrayContaining([{ route: 'one', itemId: '', kind: 'changed' }, { route: 'two', itemId: '', kind: 'changed' }]));
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });

    // After the upgrade: the lease taken at version 11 submits; new claims sequence one leaf at a
    // time and in a batch; a leaf whose subject is not an item (a member) is sequenced too.
    expect((await submitVerdict(bob, live.itemId, live.token, { decision: 'dismiss', labels: [], severity: null, rationale: null, clientId: null })).status).toBe('accepted');
    await integrateInBatches(admin, [1]);
    await addUser(c, 'cat', 'reviewer', ['two']);
    const [more] = await claimItems(ann, 1, 'two');
    expect((await submitVerdict(ann, more!.itemId, more!.token, { decision: 'dismiss', labels: [], severity: null, rationale: null, clientId: null })).status).toBe('accepted');
    await integrateInBatches(admin, [10000]);
    const after = await verifyTeam(c.url);
    expect(after).toMatchObject({ ok: true });
    expect((await admin.query('SELECT count(*)::int AS n FROM verdict.audit_pending')).rows[0].n).toBe(0);
    expect((await admin.query('SELECT size::int AS n FROM verdict.audit_tree')).rows[0].n).toBe(
      (await admin.query('SELECT count(*)::int AS n FROM verdict.audit_leaves')).rows[0].n,
    );
  });
});
