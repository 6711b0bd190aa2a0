/** Leases, fencing, exactly-N and the decided/adjudication rule, against a real PostgreSQL. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTeam, type TeamSession } from '../../electron/core/team/api.ts';
import { ingestFileToTeam, processInbox } from '../../electron/core/team/ingest.ts';
import { as } from './helpers.ts';
import { migrateTeam, TEAM_MIGRATIONS } from '../../db/team/migrate.ts';
import { tempDir } from '../helpers/workspace.ts';
import { pgForThisFile } from '../support/pg.ts';
import { addUser, initTeam, record, route } from './helpers.ts';

const pg = pgForThisFile();
const BIN = new URL('../../electron/cli/bin.mjs', import.meta.url).pathname;
const t = tempDir('verdict-team-queue-');
let ann: TeamSession;
let bob: TeamSession;
let cat: TeamSession;

beforeAll(async () => {
  const c = pg.get();
  await initTeam(c);
  await route(c, 'trust_safety', 1, 600);
  await route(c, 'clinical', 2, 2);
  const lines = [
    ...Array.from({ length: 5 }, (_, i) => JSON.stringify(record(`ts-${i}`, 'trust_safety', { priority: i === 3 ? 'critical' : 'normal' }))),
    ...Array.from({ length: 3 }, (_, i) => JSON.stringify(record(`cl-${i}`, 'clinical'))),
    '{"id": "broken"',
  ];
  const file = join(t.dir, 'in.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  const s = await ingestFileToTeam(c.url, file);
  expect(s).toEqual({ read: 9, ingested: 8, duplicates: 0, revisions: 0, quarantined: 1 });
  ann = await connectTeam(await addUser(c, 'ann', 'reviewer', ['trust_safety', 'clinical']));
  bob = await connectTeam(await addUser(c, 'bob', 'reviewer', ['trust_safety', 'clinical']));
  cat = await connectTeam(await addUser(c, 'cat', 'expert', ['clinical']));
});
afterAll(async () => {
  await Promise.all([ann?.close(), bob?.close(), cat?.close()]);
  t.cleanup();
});

describe('team queue', () => {
  it('team init is idempotent, and two at once on a fresh database take turns', async () => {
    const client = await pg.get().adminPool.connect();
    try {
      expect((await migrateTeam(client)).applied).toEqual([]);
      await client.query('CREATE DATABASE second');
    } finally {
      client.release();
    }
    const url = pg.get().url.replace(/\/verdict$/, '/second');
    const [a, b] = await Promise.all([1, 2].map(async () => {
      const c2 = new (await import('pg')).default.Client({ connectionString: url });
      await c2.connect();
      try {
        return await migrateTeam(c2);
      } finally {
        await c2.end();
      }
    }));
    // Every migration applied exactly once between the two (whichever versions this build has).
    const versions = TEAM_MIGRATIONS.map((m) => m.version);
    expect([...a!.applied, ...b!.applied].sort((x, y) => x - y)).toEqual(versions);
    const out = spawnSync(process.execPath, [BIN, 'team', 'init', '--db', url], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(out.stdout).toContain(`already at schema version ${Math.max(...versions)}; nothing to do`);
  });

  it('ingest again: duplicates skipped, a changed record is a revision', async () => {
    const file = join(t.dir, 'again.jsonl');
    writeFileSync(file, `${JSON.stringify(record('ts-0', 'trust_safety'))}\n${JSON.stringify(record('ts-1', 'trust_safety', { priority: 'low' }))}\n`);
    expect(await ingestFileToTeam(pg.get().url, file)).toEqual({ read: 2, ingested: 0, duplicates: 1, revisions: 1, quarantined: 0 });
    const q = await pg.get().adminPool.query('SELECT reason, location FROM verdict.quarantine');
    expect(q.rows[0].location).toBe('in.jsonl:9 (byte ' + q.rows[0].location.split('byte ')[1]);
    expect(q.rows[0].reason).toMatch(/JSON|end/i);
  });

  it('one id three times in one batch: new, duplicate, revision (in file order)', async () => {
    const file = join(t.dir, 'thrice.jsonl');
    const a = JSON.stringify(record('tri-1', 'legal'));
    writeFileSync(file, `${a}\n${a}\n${JSON.stringify(record('tri-1', 'legal', { priority: 'high' }))}\n`);
    expect(await ingestFileToTeam(pg.get().url, file)).toEqual({ read: 3, ingested: 1, duplicates: 1, revisions: 1, quarantined: 0 });
    const r = await pg.get().adminPool.query("SELECT revision, priority FROM verdict.items WHERE ext_id = 'tri-1'");
    expect(r.rows[0]).toEqual({ revision: 2, priority: 1 });
  });

  it('whoami and route counts', async () => {
    expect(await cat.whoami()).toEqual({ user: 'cat', role: 'expert', routes: ['clinical'] });
    const counts = await ann.routeCounts();
    expect(counts.map((r) => [r.route, r.open, r.claimable, r.requiredReviews])).toEqual([
      ['clinical', 3, 3, 2],
      ['trust_safety', 5, 5, 1],
    ]);
  });

  it('N = 1: the most urgent item first, never to two people; submit decides it', async () => {
    const a = await ann.claimNext('trust_safety');
    expect(a!.item.externalId).toBe('ts-3');
    expect(a!.item.record.id).toBe('ts-3');
    const b = await bob.claimNext('trust_safety');
    expect(b!.itemId).not.toBe(a!.itemId);
    expect(BigInt(b!.token)).toBeGreaterThan(BigInt(a!.token));
    // Bob cannot submit on Ann's lease, nor with his token on her item.
    expect((await bob.submit(a!, { decision: 'violation' })).status).toBe('refused');
    expect((await bob.submit({ itemId: a!.itemId, token: b!.token }, { decision: 'violation' })).status).toBe('refused');
    const ok = await ann.submit(a!, { decision: 'violation', labels: ['x'], clientId: 'c1' });
    expect(ok).toMatchObject({ status: 'accepted', itemStatus: 'decided' });
    // A retried push of the same verdict is recognised, not doubled.
    expect((await ann.submit(a!, { decision: 'violation', clientId: 'c1' })).status).toBe('accepted');
    expect(await bob.release(b!)).toBe(true);
    expect(await bob.release(b!)).toBe(false);
    const again = await ann.claimNext('trust_safety');
    expect(again!.itemId).toBe(b!.itemId);
    await ann.release(again!);
  });

  it('N = 2 blind: two distinct reviewers; agreement decides, disagreement goes to adjudication', async () => {
    const a = await ann.claimNext('clinical');
    const b = await bob.claimNext('clinical');
    expect(b!.itemId).toBe(a!.itemId);
    // Ann cannot get the same item twice.
    const a2 = await ann.claimNext('clinical');
    expect(a2!.itemId).not.toBe(a!.itemId);
    await ann.release(a2!);
    expect(await ann.submit(a!, { decision: 'dismiss' })).toMatchObject({ status: 'accepted', itemStatus: 'open' });
    expect(await bob.submit(b!, { decision: 'dismiss' })).toMatchObject({ status: 'accepted', itemStatus: 'decided' });
    const c1 = await cat.claimNext();
    const b1 = await bob.claimNext('clinical');
    expect(b1!.itemId).toBe(c1!.itemId);
    await cat.submit(c1!, { decision: 'violation' });
    expect(await bob.submit(b1!, { decision: 'dismiss' })).toMatchObject({ status: 'accepted', itemStatus: 'adjudication' });
  });

  it('an expired lease returns the item and a late submit is refused; a heartbeat keeps it', async () => {
    const a = await ann.claimNext('clinical');
    expect(a).not.toBeNull();
    const hb = await ann.heartbeat(a!);
    expect(hb.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 2300));
    expect((await ann.heartbeat(a!)).ok).toBe(false);
    const late = await ann.submit(a!, { decision: 'violation' });
    expect(late.status).toBe('expired');
    expect(late.message).toMatch(/expired at .* went back to the queue/);
    // Nobody else took it: expired, not reassigned.
    expect(late.code).toBe('lease_expired');
    // The slot is free again: Ann may claim it anew (she has not reviewed it).
    const again = await ann.claimNext('clinical');
    expect(again!.itemId).toBe(a!.itemId);
    expect(BigInt(again!.token)).toBeGreaterThan(BigInt(a!.token));
    expect((await ann.submit(a!, { decision: 'violation' })).status).toBe('expired');
    expect((await ann.submit(again!, { decision: 'violation' })).status).toBe('accepted');
  });

  it('LISTEN: a claim and a submit reach listeners as a change of their route', async () => {
    const got = new Promise<unknown>((resolve) => {
      void bob.listen((change) => {
        if (change.route === 'trust_safety' && change.kind === 'changed') resolve(change);
      });
    });
    const a = (await ann.claimNext('trust_safety'))!;
    await ann.submit(a, { decision: 'dismiss' });
    expect(await got).toEqual({ route: 'trust_safety', itemId: '', kind: 'changed' });
  });

  it('the inbox: rows from any producer are validated; good ones join the queue, bad ones are quarantined with a reason', async () => {
    const c = pg.get();
    const dan = await as(await addUser(c, 'dan', 'data', []));
    const lea = await addUser(c, 'lea', 'lead', []);
    try {
      const rows = [JSON.stringify(record('inbox-1', 'trust_safety')), JSON.stringify(record('ts-0', 'trust_safety')), '{"id": 5}', 'nope', JSON.stringify(record('inbox-2', 'legal'))];
      for (const r of rows) await dan.query('INSERT INTO verdict.inbox (source, payload) VALUES ($1, $2)', ['python-producer', r]);
    } finally {
      await dan.end();
    }
    expect(await processInbox(lea)).toEqual({ read: 5, ingested: 2, duplicates: 1, revisions: 0, quarantined: 2 });
    expect(await processInbox(lea)).toEqual({ read: 0, ingested: 0, duplicates: 0, revisions: 0, quarantined: 0 });
    const q = await c.adminPool.query("SELECT location, reason, json_path FROM verdict.quarantine WHERE source = 'python-producer' ORDER BY id");
    expect(q.rows.map((r) => r.location)).toEqual([expect.stringMatching(/^inbox row \d+$/), expect.stringMatching(/^inbox row \d+$/)]);
    expect(q.rows[0].reason).toMatch(/schema: .*missing|expected/);
    expect(q.rows[1].reason).toMatch(/JSON|token|Unexpected/i);
    // A new route is created on first use, with the defaults.
    expect((await c.adminPool.query("SELECT required_reviews, lease_seconds, blind FROM verdict.routes WHERE name = 'legal'")).rows[0]).toEqual({ required_reviews: 1, lease_seconds: 600, blind: true });
  });

  it('team route set --reviews applies to new items only: items already queued keep the N they were ingested with', async () => {
    const c = pg.get();
    await route(c, 'policy', 1);
    const file = join(t.dir, 'policy.jsonl');
    writeFileSync(file, ['lg-old-0', 'lg-old-1'].map((id) => JSON.stringify(record(id, 'policy'))).join('\n') + '\n');
    expect((await ingestFileToTeam(c.url, file)).ingested).toBe(2);
    const set = spawnSync(process.execPath, [BIN, 'team', 'route', 'set', 'policy', '--reviews', '2', '--db', c.url], { encoding: 'utf8' });
    expect(set.status, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/items already in the queue keep the review count they were ingested with/);
    const file2 = join(t.dir, 'policy2.jsonl');
    writeFileSync(file2, ['lg-new-0', 'lg-new-1'].map((id) => JSON.stringify(record(id, 'policy'))).join('\n') + '\n');
    expect((await ingestFileToTeam(c.url, file2)).ingested).toBe(2);
    const n = await c.adminPool.query<{ ext: string; n: number }>(`SELECT ext_id AS ext, required_reviews AS n FROM verdict.items WHERE route = 'policy' ORDER BY ext_id`);
    expect(n.rows).toEqual([
      { ext: 'lg-new-0', n: 2 },
      { ext: 'lg-new-1', n: 2 },
      { ext: 'lg-old-0', n: 1 },
      { ext: 'lg-old-1', n: 1 },
    ]);
    // One verdict decides an old item; a new one waits for its second reviewer.
    const dee = await connectTeam(await addUser(c, 'dee', 'reviewer', ['policy']));
    try {
      const got: Record<string, string | undefined> = {};
      for (let i = 0; i < 4; i++) {
        const l = (await dee.claimNext('policy'))!;
        got[l.item.externalId] = (await dee.submit(l, { decision: 'violation' })).itemStatus;
      }
      expect(got).toEqual({ 'lg-old-0': 'decided', 'lg-old-1': 'decided', 'lg-new-0': 'open', 'lg-new-1': 'open' });
      expect((await dee.routeCounts()).find((r) => r.route === 'policy')).toMatchObject({ requiredReviews: 2, open: 2, decided: 2 });
    } finally {
      await dee.close();
    }
  });

  it('a late submit on an item another reviewer has claimed since says reassigned (code and message)', async () => {
    const c = pg.get();
    await route(c, 'appeals', 1);
    const file = join(t.dir, 'appeals.jsonl');
    writeFileSync(file, JSON.stringify(record('ap-0', 'appeals')) + '\n');
    await ingestFileToTeam(c.url, file);
    const eve = await connectTeam(await addUser(c, 'eve', 'reviewer', ['appeals']));
    const fay = await connectTeam(await addUser(c, 'fay', 'reviewer', ['appeals']));
    try {
      const mine = (await eve.claimNext('appeals'))!;
      await c.adminPool.query(`UPDATE verdict.leases SET expires_at = clock_timestamp() - interval '1 second' WHERE token = $1`, [mine.token]);
      const theirs = (await fay.claimNext('appeals'))!;
      expect(theirs.itemId).toBe(mine.itemId);
      const late = await eve.submit(mine, { decision: 'dismiss' });
      expect(late).toMatchObject({ status: 'expired', code: 'reassigned' });
      expect(late.message).toMatch(/^reassigned: .* another reviewer; the verdict was not recorded/);
      expect((await fay.submit(theirs, { decision: 'violation' })).status).toBe('accepted');
    } finally {
      await eve.close();
      await fay.close();
    }
  });
});
