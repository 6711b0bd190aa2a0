/**
 * Team migration 0010 on a database at version 7 with data: a gold copy whose lease had run out
 * (its slot given back, the 0007 bug) is closed with an audited event, the reviewers' verdicts and
 * leases stay, the audit verifies after the upgrade, and the new rules hold from then on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTeam, type TeamSession } from '../../electron/core/team/api.ts';
import { migrateTeam, TEAM_MIGRATIONS } from '../../db/team/migrate.ts';
import { setRoute } from '../../db/team/users.ts';
import { verifyTeam } from '../../electron/core/team/verify.ts';
import { teamAgreement } from '../../electron/core/team/agreement.ts';
import { pgForThisFile } from '../support/pg.ts';
import { addUser, as, route, ingestPairs } from './helpers.ts';

const pgc = pgForThisFile();
const s: Record<string, TeamSession> = {};

beforeAll(async () => {
  const client = await pgc.get().adminPool.connect();
  try {
    expect((await migrateTeam(client, { upTo: 7 })).applied).toEqual([1, 2, 3, 4, 5, 6, 7]);
  } finally {
    client.release();
  }
});
afterAll(async () => {
  for (const x of Object.values(s)) await x.close();
});

describe('team migration 0010', () => {
  it('a version 7 database with data upgrades; its stray gold-copy slot is closed with an event; the audit verifies', async () => {
    const c = pgc.get();
    const admin = c.adminPool;
    await route(c, 'goldr', 1);
    await route(c, 'pair', 2);
    await ingestPairs(c, 'v7', [['g-1', 'goldr'], ['p-1', 'pair'], ['p-2', 'pair']]);
    const urls: Record<string, string> = {};
    for (const [name, role, routes] of [['ann', 'reviewer', ['goldr', 'pair']], ['bob', 'reviewer', ['goldr', 'pair']], ['lea', 'lead', []]] as const) {
      urls[name] = await addUser(c, name, role, [...routes]);
      s[name] = await connectTeam(urls[name]!);
    }
    // Version 7 state: a decided gold item, a copy served to bob whose lease ran out (slot back),
    // a decided pair, and a live lease on p-2.
    const g = (await s.ann!.claimNext('goldr'))!;
    await s.ann!.submit(g, { decision: 'violation', labels: ['S1'] });
    await s.lea!.expert.markGold(g.itemId, 'violation', ['S1']);
    await s.lea!.expert.setRoute('goldr', 1, null);
    await setRoute(admin, 'goldr', { reviews: 1, leaseSeconds: 1, blind: true });
    const copy = (await s.bob!.claimMixed('goldr'))!;
    expect(copy.itemId).not.toBe(g.itemId);
    for (;;) {
      const { rows: r } = await admin.query<{ over: boolean }>('SELECT expires_at < clock_timestamp() AS over FROM verdict.leases WHERE token = $1', [copy.token]);
      if (r[0]!.over) break;
      await admin.query('SELECT pg_sleep(0.1)');
    }
    await admin.query('SELECT verdict.reap_expired(20)');
    expect((await admin.query('SELECT open_slots FROM verdict.items WHERE id = $1', [copy.itemId])).rows[0]).toEqual({ open_slots: 1 });
    for (const who of ['ann', 'bob']) {
      const l = (await s[who]!.claimNext('pair'))!;
      await s[who]!.submit(l, { decision: who === 'ann' ? 'violation' : 'dismiss' });
    }
    const live = (await s.ann!.claimNext('pair'))!;

    const client = await admin.connect();
    try {
      expect((await migrateTeam(client)).applied).toEqual(TEAM_MIGRATIONS.map((m) => m.version).filter((v) => v > 7));
    } finally {
      client.release();
    }
    expect((await admin.query('SELECT open_slots FROM verdict.items WHERE id = $1', [copy.itemId])).rows[0]).toEqual({ open_slots: 0 });
    const closed = (await admin.query<{ subject: string }>("SELECT body::jsonb->>'subject' AS subject FROM verdict.audit_leaves WHERE body::jsonb->>'type' = 'gold.copy_closed'")).rows;
    expect(closed).toEqual([{ subject: copy.itemId }]);
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });
    // After: the live lease taken at version 7 still submits; agreement reads the pair.
    expect((await s.ann!.submit(live, { decision: 'dismiss' })).status).toBe('accepted');
    const lea = await as(urls.lea!);
    try {
      const report = await teamAgreement(lea, { route: 'pair' });
      // p-1 has two verdicts; p-2 only one (items with 2+ reviewers count).
      expect([report.items, report.ratings]).toEqual([1, 2]);
    } finally {
      await lea.end();
    }
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });
  });
});
