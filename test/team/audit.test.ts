/**
 * The team audit log: every lease, verdict and status change has its event; `audit verify
 * --team` recomputes the tree and replays it against the tables, so an edit made as the
 * superuser without an event is caught.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectTeam } from '../../electron/core/team/api.ts';
import { verifyTeam } from '../../electron/core/team/verify.ts';
import { tempDir } from '../helpers/workspace.ts';
import { pgForThisFile } from '../support/pg.ts';
import { addUser, initTeam, record, route } from './helpers.ts';

const pg = pgForThisFile();
const t = tempDir('verdict-team-audit-');
const BIN = new URL('../../electron/cli/bin.mjs', import.meta.url).pathname;
const verdict = (args: string[], input?: string) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input });

beforeAll(async () => {
  const c = pg.get();
  expect(verdict(['team', 'init', '--db', c.url]).status).toBe(0);
  await initTeam(c);
  await route(c, 'trust_safety', 2);
  const file = join(t.dir, 'in.jsonl');
  writeFileSync(file, Array.from({ length: 6 }, (_, i) => JSON.stringify(record(`ts-${i}`, 'trust_safety'))).join('\n') + '\nnot json\n');
  const ing = verdict(['ingest', file, '--team', c.url, '--json']);
  expect(ing.status, ing.stderr).toBe(0);
  expect(JSON.parse(ing.stdout)).toMatchObject({ ingested: 6, quarantined: 1 });
  const ann = await connectTeam(await addUser(c, 'ann', 'reviewer', ['trust_safety']));
  const bob = await connectTeam(await addUser(c, 'bob', 'reviewer', ['trust_safety']));
  for (let i = 0; i < 3; i++) {
    const a = (await ann.claimNext())!;
    const b = (await bob.claimNext())!;
    await ann.heartbeat(a);
    await ann.submit(a, { decision: 'violation', labels: ['l1'] });
    await bob.submit(b, { decision: i === 0 ? 'dismiss' : 'violation' });
  }
  const r = (await ann.claimNext())!;
  await ann.release(r);
  await ann.close();
  await bob.close();
});

describe('team CLI', () => {
  it('team user add sends a SCRAM-SHA-256 verifier, never the password: a server logging every statement never sees it', async () => {
    const c = pg.get();
    await c.adminPool.query("ALTER SYSTEM SET log_statement = 'all'");
    await c.adminPool.query('SELECT pg_reload_conf()');
    const password = 'plain-secret-7f3a9c1e-do-not-log';
    try {
      const add = verdict(['team', 'user', 'add', 'scram_sam', '--role', 'reviewer', '--routes', 'trust_safety', '--password-stdin', '--db', c.url], `${password}\n`);
      expect(add.status, add.stderr).toBe(0);
      // Again (ALTER ROLE path) with the same password.
      expect(verdict(['team', 'user', 'add', 'scram_sam', '--role', 'reviewer', '--routes', 'trust_safety', '--password-stdin', '--db', c.url], `${password}\n`).status).toBe(0);
    } finally {
      await c.adminPool.query('ALTER SYSTEM RESET log_statement');
      await c.adminPool.query('SELECT pg_reload_conf()');
    }
    const stored = await c.adminPool.query<{ p: string }>("SELECT rolpassword AS p FROM pg_authid WHERE rolname = 'scram_sam'");
    expect(stored.rows[0]!.p).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    // The test cluster trusts local logins: make this user prove the password over SCRAM.
    const hba = join(c.dir, 'data', 'pg_hba.conf');
    writeFileSync(hba, `host all scram_sam 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, 'utf8')}`);
    await c.adminPool.query('SELECT pg_reload_conf()');
    const s = await connectTeam(c.urlFor('scram_sam', password));
    expect((await s.whoami()).user).toBe('scram_sam');
    await s.close();
    await expect(connectTeam(c.urlFor('scram_sam', `${password}x`))).rejects.toThrow(/refused the login/);
    const log = readFileSync(join(c.dir, 'server.log'), 'utf8');
    expect(log).toMatch(/CREATE ROLE scram_sam LOGIN PASSWORD 'SCRAM-SHA-256\$4096:/);
    expect(log).toMatch(/ALTER ROLE scram_sam LOGIN PASSWORD 'SCRAM-SHA-256\$4096:/);
    expect(log).not.toContain(password);
  });

  it('team user add prints a generated password once; --password-stdin takes one; errors are one line', async () => {
    const c = pg.get();
    const add = verdict(['team', 'user', 'add', 'zed', '--role', 'reviewer', '--routes', 'trust_safety', '--db', c.url]);
    expect(add.status, add.stderr).toBe(0);
    const pw = /password \(shown once.*\): (\S+)/.exec(add.stdout)?.[1];
    expect(pw).toBeTruthy();
    const who = await (await import('../../electron/core/team/api.ts')).connectTeam(c.urlFor('zed', pw!));
    expect(await who.whoami()).toEqual({ user: 'zed', role: 'reviewer', routes: ['trust_safety'] });
    await who.close();
    const stdinAdd = verdict(['team', 'user', 'add', 'yan', '--role', 'lead', '--password-stdin', '--db', c.url, '--json'], 'a-long-enough-password\n');
    expect(stdinAdd.status, stdinAdd.stderr).toBe(0);
    expect(JSON.parse(stdinAdd.stdout)).toMatchObject({ user: 'yan', role: 'lead', generatedPassword: null });
    const short = verdict(['team', 'user', 'add', 'yan', '--role', 'lead', '--password-stdin', '--db', c.url], 'short\n');
    expect(short.status).toBe(2);
    expect(short.stderr).toBe('verdict team: the password must have at least 12 characters\n');
    const badRole = verdict(['team', 'user', 'add', 'yan', '--role', 'boss', '--db', c.url]);
    expect(badRole.stderr).toMatch(/^verdict team: --role must be one of reviewer, expert, adjudicator, lead, data, got "boss"\n$/);
    const route = verdict(['team', 'route', 'set', 'legal', '--reviews', '3', '--no-blind', '--db', c.url]);
    expect(route.status, route.stderr).toBe(0);
    expect((await c.adminPool.query("SELECT required_reviews, blind FROM verdict.routes WHERE name = 'legal'")).rows[0]).toEqual({ required_reviews: 3, blind: false });
    const unreachable = verdict(['audit', 'verify', '--team', 'postgres://x@127.0.0.1:1/verdict']);
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toMatch(/^verdict audit: audit verify: cannot reach the team database \(ECONNREFUSED\); check the URL and the network, then try again\n$/);
  });
});

describe('team audit verify', () => {
  it('verifies after real work, from the CLI too', async () => {
    const res = await verifyTeam(pg.get().url);
    expect(res).toMatchObject({ ok: true });
    const out = verdict(['audit', 'verify', '--team', pg.get().url]);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/team audit log ok: \d+ events/);
  });

  it('a saved head must still be extended', async () => {
    const res = await verifyTeam(pg.get().url);
    if (!res.ok) throw new Error(res.reason);
    const head = join(t.dir, 'head.json');
    writeFileSync(head, JSON.stringify(res.head));
    expect(verdict(['audit', 'verify', '--team', pg.get().url, '--head', head]).status).toBe(0);
    writeFileSync(head, JSON.stringify({ size: 3, root: 'ab'.repeat(32) }));
    const bad = verdict(['audit', 'verify', '--team', pg.get().url, '--head', head]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/does not extend the saved head/);
  });

  /** As the superuser, past the append-only trigger: what an attacker with the server could do. */
  const asSuperuser = async (sql: string) => {
    const client = await pg.get().adminPool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ALTER TABLE verdict.audit_leaves DISABLE TRIGGER USER');
      await client.query('ALTER TABLE verdict.audit_sequenced DISABLE TRIGGER USER');
      await client.query(sql);
      await client.query('ALTER TABLE verdict.audit_leaves ENABLE TRIGGER USER');
      await client.query('ALTER TABLE verdict.audit_sequenced ENABLE TRIGGER USER');
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  };

  it('a verdict edited as superuser without an event is detected', async () => {
    // Verify runs on its own connection: commit the edit, check, then put it back.
    const admin = pg.get().adminPool;
    await admin.query("UPDATE verdict.verdicts SET decision = 'escalate' WHERE id = (SELECT min(id) FROM verdict.verdicts)");
    const res = await verifyTeam(pg.get().url);
    expect(res).toMatchObject({ ok: false, stage: 'state' });
    if (!res.ok) expect(res.reason).toMatch(/differs from its audit event/);
    await admin.query("UPDATE verdict.verdicts SET decision = 'violation' WHERE id = (SELECT min(id) FROM verdict.verdicts)");
    expect((await verifyTeam(pg.get().url)).ok).toBe(true);
  });

  it('other tampering is detected: status, a deleted verdict, an item record, a lease, an audit body', async () => {
    const admin = pg.get().adminPool;
    const cases: [string, string, RegExp][] = [
      ["UPDATE verdict.items SET status = 'decided' WHERE status = 'adjudication'", "UPDATE verdict.items SET status = 'adjudication' WHERE status = 'decided' AND id = (SELECT min(item_id) FROM verdict.verdicts WHERE decision = 'dismiss')", /status/],
      ["UPDATE verdict.item_records SET record_text = replace(record_text, 'answer', 'ANSWER') WHERE item_id = (SELECT id FROM verdict.items WHERE ext_id = 'ts-5')", "UPDATE verdict.item_records SET record_text = replace(record_text, 'ANSWER', 'answer') WHERE item_id = (SELECT id FROM verdict.items WHERE ext_id = 'ts-5')", /record was edited/],
      ["UPDATE verdict.leases SET expires_at = expires_at + interval '1 hour' WHERE token = (SELECT max(token) FROM verdict.leases)", "UPDATE verdict.leases SET expires_at = expires_at - interval '1 hour' WHERE token = (SELECT max(token) FROM verdict.leases)", /lease .* differs/],
    ];
    for (const [edit, undo, expected] of cases) {
      await admin.query(edit);
      const res = await verifyTeam(pg.get().url);
      await admin.query(undo);
      expect(res.ok, edit).toBe(false);
      if (!res.ok) expect(res.reason).toMatch(expected);
    }
    expect((await verifyTeam(pg.get().url)).ok).toBe(true);
    const seq = "(SELECT min(seq) FROM verdict.audit_log WHERE body LIKE '%verdict.submitted%')";
    const where = `id = (SELECT leaf_id FROM verdict.audit_sequenced WHERE seq = ${seq})`;
    await asSuperuser(`UPDATE verdict.audit_leaves SET body = replace(body, '"violation"', '"dismiss"') WHERE ${where}`);
    const res = await verifyTeam(pg.get().url);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.reason).toMatch(/does not match its leaf hash/);
    // Recomputing that leaf's hash too breaks the recorded tree heads.
    await asSuperuser(
      `UPDATE verdict.audit_sequenced s SET leaf_hash = sha256('\\x00'::bytea || convert_to(a.body, 'UTF8')) FROM verdict.audit_leaves a WHERE a.id = s.leaf_id AND s.seq = ${seq}`,
    );
    const res2 = await verifyTeam(pg.get().url);
    expect(res2.ok).toBe(false);
    if (!res2.ok) expect(res2.reason).toMatch(/tree head recorded at size \d+ does not match|became adjudication; its verdicts make it decided/);
    // Deleting the last events is caught against the stored tree.
    await asSuperuser('DELETE FROM verdict.audit_sequenced WHERE seq = (SELECT max(seq) FROM verdict.audit_sequenced)');
    expect((await verifyTeam(pg.get().url)).ok).toBe(false);
  });
});
