/**
 * Permissions in the database, through plain SQL under each person's own role (what psql would
 * do): every forbidden read, write and delete fails or sees nothing.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTeam } from '../../electron/core/team/api.ts';
import { ingestTeamRecords } from '../../db/team/ingest.ts';
import { validateForTeam } from '../../electron/core/team/ingest.ts';
import { setRoute } from '../../db/team/users.ts';
import { pgForThisFile } from '../support/pg.ts';
import { addUser, as, initTeam, record, route } from './helpers.ts';

const pgc = pgForThisFile();
const clients: Record<string, pg.Client> = {};
const urls: Record<string, string> = {};
let annItem = '';
let annToken = '';
let clinicalItem = '';

beforeAll(async () => {
  const c = pgc.get();
  await initTeam(c);
  await route(c, 'trust_safety', 2);
  await route(c, 'clinical', 1);
  const admin = await c.adminPool.connect();
  try {
    const rows = ['ts-1', 'ts-2', 'cl-1'].map((id) => {
      const o = validateForTeam(JSON.stringify(record(id, id.startsWith('ts') ? 'trust_safety' : 'clinical')), 'rls', id);
      if (!o.ok) throw new Error(o.q.reason);
      return o.row;
    });
    await ingestTeamRecords(admin, rows);
  } finally {
    admin.release();
  }
  urls.ann = await addUser(c, 'ann', 'reviewer', ['trust_safety']);
  urls.bob = await addUser(c, 'bob', 'reviewer', ['trust_safety']);
  urls.cat = await addUser(c, 'cat', 'expert', ['clinical']);
  urls.lea = await addUser(c, 'lea', 'lead', []);
  urls.dan = await addUser(c, 'dan', 'data', []);
  urls.ada = await addUser(c, 'ada', 'adjudicator', ['trust_safety']);
  for (const [k, u] of Object.entries(urls)) clients[k] = await as(u);
  // Ann reviews ts-1 through the app API; Bob holds a lease on it but has not submitted.
  const ann = await connectTeam(urls.ann!);
  const bob = await connectTeam(urls.bob!);
  const a = (await ann.claimNext())!;
  const b = (await bob.claimNext())!;
  expect(b.itemId).toBe(a.itemId);
  await ann.submit(a, { decision: 'violation', rationale: 'ann says so' });
  annItem = a.itemId;
  annToken = a.token;
  await ann.close();
  await bob.close();
  clinicalItem = (await c.adminPool.query("SELECT id::text FROM verdict.items WHERE ext_id = 'cl-1'")).rows[0].id;
});
afterAll(async () => {
  for (const c of Object.values(clients)) await c.end();
});

async function fails(c: pg.Client, sql: string, params: unknown[] = [], match: RegExp = /permission denied|row-level security|append-only|refused|violates/) {
  await expect(c.query(sql, params)).rejects.toThrow(match);
}

describe('RLS under each role', () => {
  it('a reviewer sees only items of their routes', async () => {
    const ann = clients.ann!;
    const r = await ann.query('SELECT ext_id, route FROM verdict.items ORDER BY ext_id');
    expect(r.rows.map((x) => x.ext_id)).toEqual(['ts-1', 'ts-2']);
    expect((await ann.query('SELECT * FROM verdict.items WHERE id = $1', [clinicalItem])).rowCount).toBe(0);
    const cat = clients.cat!;
    expect((await cat.query('SELECT ext_id FROM verdict.items')).rows.map((x) => x.ext_id)).toEqual(['cl-1']);
  });

  it('blind: Bob cannot see Ann\'s verdict before submitting his own; Ann sees her own', async () => {
    expect((await clients.bob!.query('SELECT * FROM verdict.verdicts')).rowCount).toBe(0);
    expect((await clients.ann!.query('SELECT reviewer FROM verdict.verdicts')).rows).toEqual([{ reviewer: 'ann' }]);
    expect((await clients.cat!.query('SELECT * FROM verdict.verdicts')).rowCount).toBe(0);
    // Bob submits; now he sees both.
    const tok = (await clients.bob!.query('SELECT token::text FROM verdict.leases WHERE state = $1', ['live'])).rows[0].token;
    const r = await clients.bob!.query('SELECT status FROM verdict.submit($1, $2, $3)', [annItem, tok, 'dismiss']);
    expect(r.rows[0].status).toBe('accepted');
    expect((await clients.bob!.query('SELECT reviewer FROM verdict.verdicts ORDER BY reviewer')).rows.map((x) => x.reviewer)).toEqual(['ann', 'bob']);
  });

  it('an adjudicator sees the verdicts of their routes (on a blind route only once decided: 0010), and nothing of other routes', async () => {
    const ada = clients.ada!;
    const seen = async () => (await ada.query('SELECT DISTINCT reviewer FROM verdict.verdicts ORDER BY reviewer')).rows.map((x) => x.reviewer);
    // ts-1 waits for adjudication on a blind route: no rows, so no names, in plain SQL.
    expect(await seen()).toEqual([]);
    await setRoute(pgc.get().adminPool, 'trust_safety', { reviews: 2, leaseSeconds: 600, blind: false });
    expect(await seen()).toEqual(['ann', 'bob']);
    await setRoute(pgc.get().adminPool, 'trust_safety', { reviews: 2, leaseSeconds: 600, blind: true });
    expect((await ada.query('SELECT ext_id FROM verdict.items ORDER BY ext_id')).rows.map((x) => x.ext_id)).toEqual(['ts-1', 'ts-2']);
    await fails(ada, "UPDATE verdict.verdicts SET decision = 'dismiss'");
    await fails(ada, 'DELETE FROM verdict.verdicts');
    await fails(ada, 'INSERT INTO verdict.verdicts (item_id, reviewer, lease_token, decision) VALUES ($1, $2, $3, $4)', [annItem, 'ann', annToken, 'dismiss']);
    await fails(ada, 'SELECT * FROM verdict.audit_leaves');
  });

  it('a reviewer sees only their own leases', async () => {
    const rows = (await clients.ann!.query('SELECT reviewer FROM verdict.leases')).rows;
    expect(rows.every((x) => x.reviewer === 'ann')).toBe(true);
    expect((await clients.cat!.query('SELECT * FROM verdict.leases')).rowCount).toBe(0);
  });

  it('verdicts can be inserted only as oneself, on one\'s own live lease; never updated or deleted', async () => {
    const cat = clients.cat!;
    const lease = (await cat.query('SELECT token::text, item_id::text FROM verdict.claim()')).rows[0];
    // In another's name: RLS refuses.
    await fails(cat, 'INSERT INTO verdict.verdicts (item_id, reviewer, lease_token, decision) VALUES ($1, $2, $3, $4)', [lease.item_id, 'ann', lease.token, 'dismiss']);
    // On an item of another route, or on someone else's lease: refused.
    await fails(cat, 'INSERT INTO verdict.verdicts (item_id, lease_token, decision) VALUES ($1, $2, $3)', [annItem, annToken, 'dismiss']);
    // As oneself on one's own live lease: allowed, and audited like submit().
    await cat.query('INSERT INTO verdict.verdicts (item_id, lease_token, decision) VALUES ($1, $2, $3)', [lease.item_id, lease.token, 'escalate']);
    await fails(cat, 'UPDATE verdict.verdicts SET decision = $1', ['dismiss']);
    await fails(cat, 'DELETE FROM verdict.verdicts');
    await fails(clients.ann!, 'UPDATE verdict.verdicts SET decision = $1 WHERE reviewer = $2', ['dismiss', 'ann']);
    await fails(clients.lea!, 'DELETE FROM verdict.verdicts');
  });

  it('nobody but the functions writes items or leases', async () => {
    for (const who of ['ann', 'cat', 'lea', 'dan', 'ada']) {
      const c = clients[who]!;
      await fails(c, "UPDATE verdict.items SET status = 'decided'");
      await fails(c, 'DELETE FROM verdict.items');
      await fails(c, "INSERT INTO verdict.items (ext_id, source, route, priority, created_at, required_reviews, open_slots, content_sha256) VALUES ('x', 's', 'clinical', 1, now(), 1, 1, 'h')");
      await fails(c, "UPDATE verdict.leases SET expires_at = now() + interval '1 day'");
      await fails(c, 'DELETE FROM verdict.leases');
      await fails(c, "INSERT INTO verdict.routes (name) VALUES ('evil')");
      await fails(c, "UPDATE verdict.routes SET required_reviews = 1");
      await fails(c, "INSERT INTO verdict.route_members VALUES ('" + who + "', 'clinical')");
      await fails(c, "UPDATE verdict.members SET role = 'lead'");
    }
  });

  it('the audit log: reviewers cannot read it; nobody can update or delete it', async () => {
    for (const who of ['ann', 'cat', 'ada']) {
      await fails(clients[who]!, 'SELECT * FROM verdict.audit_leaves');
      await fails(clients[who]!, 'SELECT * FROM verdict.audit_sequenced');
      await fails(clients[who]!, 'SELECT * FROM verdict.audit_pending');
      await fails(clients[who]!, 'SELECT * FROM verdict.audit_log');
      await fails(clients[who]!, 'SELECT * FROM verdict.tree_heads');
    }
    for (const who of ['ann', 'cat', 'lea', 'dan', 'ada']) {
      const c = clients[who]!;
      await fails(c, "UPDATE verdict.audit_leaves SET body = '{}'");
      await fails(c, 'DELETE FROM verdict.audit_leaves');
      await fails(c, "INSERT INTO verdict.audit_leaves (body) VALUES ('{}')");
      await fails(c, 'TRUNCATE verdict.audit_leaves');
      await fails(c, 'UPDATE verdict.audit_tree SET size = 0');
      await fails(c, 'UPDATE verdict.audit_sequenced SET seq = seq + 1');
      await fails(c, 'DELETE FROM verdict.audit_sequenced');
      await fails(c, "INSERT INTO verdict.audit_sequenced VALUES (999999, 1, sha256(''::bytea))");
      await fails(c, 'DELETE FROM verdict.audit_pending');
      await fails(c, 'INSERT INTO verdict.audit_pending VALUES (999999)');
      await fails(c, "SELECT verdict.audit('verdict.submitted', '1', '{}')", [], /permission denied/);
    }
    expect(Number((await clients.lea!.query('SELECT count(*) FROM verdict.audit_leaves')).rows[0].count)).toBeGreaterThan(0);
    expect(Number((await clients.lea!.query('SELECT count(*) FROM verdict.audit_log')).rows[0].count)).toBeGreaterThan(0);
    // Even the owner cannot rewrite a sequenced leaf without disabling the trigger.
    await pgc.get().adminPool.query('SELECT verdict.integrate()');
    await expect(pgc.get().adminPool.query("UPDATE verdict.audit_leaves SET body = '{}' WHERE id = (SELECT leaf_id FROM verdict.audit_sequenced WHERE seq = 0)")).rejects.toThrow(/append-only/);
    await expect(pgc.get().adminPool.query('UPDATE verdict.audit_sequenced SET leaf_hash = leaf_hash WHERE seq = 0')).rejects.toThrow(/append-only/);
    await expect(pgc.get().adminPool.query('DELETE FROM verdict.audit_sequenced WHERE seq = 0')).rejects.toThrow(/append-only/);
  });

  it('only leads and data roles ingest; reviewers cannot call the ingest or route functions', async () => {
    await fails(clients.ann!, "SELECT verdict.ingest_record('x', 's', 'clinical', 1, now(), 'h', '{}')", [], /permission denied/);
    await fails(clients.ann!, "SELECT verdict.set_route('clinical', 1, 1, false)", [], /permission denied/);
    await fails(clients.dan!, "SELECT verdict.set_route('clinical', 1, 1, false)", [], /permission denied/);
    // claim's batch statement takes the routes claim() checked: a reviewer cannot name others.
    await fails(clients.ann!, "SELECT * FROM verdict.claim_batch(ARRAY['clinical'], 5)", [], /permission denied/);
    await fails(clients.ann!, "INSERT INTO verdict.inbox (payload) VALUES ('{}')", [], /permission denied/);
    await clients.dan!.query("INSERT INTO verdict.inbox (source, payload) VALUES ('producer', '{}')");
    await fails(clients.dan!, "INSERT INTO verdict.inbox (producer, payload) VALUES ('lea', '{}')", [], /row-level security/);
    await fails(clients.dan!, 'DELETE FROM verdict.inbox');
  });

  it('a reviewer cannot claim on a route they are not on, nor heartbeat or release another\'s lease', async () => {
    expect((await clients.ann!.query("SELECT * FROM verdict.claim('clinical')")).rowCount).toBe(0);
    const lease = (await clients.ann!.query('SELECT token::text, item_id::text FROM verdict.claim()')).rows[0];
    const hb = await clients.bob!.query('SELECT ok FROM verdict.heartbeat($1, $2)', [lease.item_id, lease.token]);
    expect(hb.rows[0].ok).toBe(false);
    expect((await clients.bob!.query('SELECT verdict.release($1, $2) AS ok', [lease.item_id, lease.token])).rows[0].ok).toBe(false);
    const s = await clients.bob!.query('SELECT status FROM verdict.submit($1, $2, $3)', [lease.item_id, lease.token, 'dismiss']);
    expect(s.rows[0].status).toBe('refused');
  });

  it('SET ROLE to a group role gains nothing (identity is the login role)', async () => {
    const ann = clients.ann!;
    await ann.query('SET ROLE verdict_reviewer');
    expect((await ann.query('SELECT ext_id FROM verdict.items ORDER BY ext_id')).rows.map((x) => x.ext_id)).toEqual(['ts-1', 'ts-2']);
    await fails(ann, 'SET ROLE lea', [], /permission denied/);
    await ann.query('RESET ROLE');
  });
});
