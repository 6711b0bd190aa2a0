/**
 * Team migration 0009 (teamx7): a database at version 7 with data upgrades and verifies; every
 * superseded revision's text is kept from then on; a verdict's correction is stored and audited
 * in the verdict's own transaction, only by its author; `audit verify --team` catches an edit of
 * either; "save and next" (submit_next_mixed) hands the next item in the same call.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateTeam, TEAM_MIGRATIONS } from '../../db/team/migrate.ts';
import { connectTeam, type TeamSession } from '../../electron/core/team/api.ts';
import { ingestFileToTeam } from '../../electron/core/team/ingest.ts';
import { verifyTeam } from '../../electron/core/team/verify.ts';
import { tempDir } from '../helpers/workspace.ts';
import { pgForThisFile } from '../support/pg.ts';
import { addUser, as, record, route } from './helpers.ts';

const pg = pgForThisFile();
const t = tempDir('verdict-team-0009-');
const sessions: TeamSession[] = [];
let annUrl = '';
let bobUrl = '';

async function open(url: string): Promise<TeamSession> {
  const s = await connectTeam(url);
  sessions.push(s);
  return s;
}

function writeRecords(name: string, recs: Record<string, unknown>[]): string {
  const file = join(t.dir, name);
  writeFileSync(file, recs.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close()));
  t.cleanup();
});

beforeAll(async () => {
  const c = pg.get();
  const client = await c.adminPool.connect();
  try {
    expect((await migrateTeam(client, { upTo: 7 })).applied).toEqual(TEAM_MIGRATIONS.map((m) => m.version).filter((v) => v <= 7));
  } finally {
    client.release();
  }
  // Version 7 with data: items, a revision, verdicts, a live lease, an adjudication.
  await route(c, 'trust_safety', 1);
  await route(c, 'clinical', 2);
  const recs = [...[0, 1, 2, 3, 4].map((i) => record(`ts-${i}`, 'trust_safety')), ...[0, 1].map((i) => record(`cl-${i}`, 'clinical'))];
  expect((await ingestFileToTeam(c.url, writeRecords('v7.jsonl', recs))).ingested).toBe(7);
  annUrl = await addUser(c, 'ann', 'reviewer', ['trust_safety', 'clinical']);
  bobUrl = await addUser(c, 'bob', 'reviewer', ['trust_safety', 'clinical']);
  const ann = await open(annUrl);
  const bob = await open(bobUrl);
  const a = (await ann.claimNext('trust_safety'))!;
  expect((await ann.submit(a, { decision: 'violation', labels: ['S1'] })).status).toBe('accepted');
  const c1 = (await ann.claimNext('clinical'))!;
  const c2 = (await bob.claimNext('clinical'))!;
  expect(c2.itemId).toBe(c1.itemId);
  expect((await ann.submit(c1, { decision: 'violation' })).status).toBe('accepted');
  expect((await bob.submit(c2, { decision: 'dismiss' })).status).toBe('accepted');
  await ann.claimNext('trust_safety');
  // A revision at version 7 (its old text is not kept: there was nowhere to keep it).
  expect((await ingestFileToTeam(c.url, writeRecords('v7-rev.jsonl', [{ ...recs[4], output: { messages: [{ role: 'assistant', content: 'v7 edit' }] } }]))).revisions).toBe(1);
  const lead = await open(await addUser(c, 'lee', 'adjudicator', ['clinical']));
  const adj = (await lead.expert.claimAdjudication('clinical'))!;
  expect((await lead.expert.decideAdjudication(adj.itemId, adj.token, { decision: 'violation', labels: [], severity: null, rationale: 'r' })).status).toBe('accepted');
  // No verify here: this build reads the log through 0008's audit_log, which a v7 database lacks
  // (verify after the upgrade is the check that matters).
}, 120_000);

describe('team migration 0009', () => {
  it('a version-7 database with data upgrades, keeps its data and verifies', async () => {
    const c = pg.get();
    const snapshot = async () =>
      (
        await c.adminPool.query(`SELECT (SELECT json_agg(x ORDER BY x.id) FROM (SELECT id, status, open_slots, revision, content_sha256 FROM verdict.items) x) AS items,
          (SELECT count(*) FROM verdict.verdicts)::int AS verdicts, (SELECT count(*) FROM verdict.leases)::int AS leases,
          (SELECT count(*) FROM verdict.audit_leaves)::int AS leaves, (SELECT json_agg(f ORDER BY f.item_id) FROM (SELECT item_id, kind, decision, revision FROM verdict.in_force) f) AS in_force`)
      ).rows[0];
    const before = await snapshot();
    const client = await c.adminPool.connect();
    try {
      expect((await migrateTeam(client)).applied).toEqual(TEAM_MIGRATIONS.map((m) => m.version).filter((v) => v > 7));
      expect((await migrateTeam(client)).applied).toEqual([]);
    } finally {
      client.release();
    }
    expect(await snapshot()).toEqual(before);
    const adj = await c.adminPool.query('SELECT revision FROM verdict.adjudications');
    expect(adj.rows).toEqual([{ revision: 1 }]);
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });
  });

  it('keeps the text of every superseded revision, and verify catches an edit of it', async () => {
    const c = pg.get();
    const recs = [record('rv-0', 'trust_safety')];
    await ingestFileToTeam(c.url, writeRecords('rv.jsonl', recs));
    const second = { ...recs[0], output: { messages: [{ role: 'assistant', content: 'second' }] } };
    await ingestFileToTeam(c.url, writeRecords('rv2.jsonl', [second]));
    await ingestFileToTeam(c.url, writeRecords('rv3.jsonl', [{ ...recs[0], output: { messages: [{ role: 'assistant', content: 'third' }] } }]));
    const kept = await c.adminPool.query<{ revision: number; record_text: string }>(
      `SELECT r.revision, r.record_text FROM verdict.item_revisions r JOIN verdict.items i ON i.id = r.item_id WHERE i.ext_id = 'rv-0' ORDER BY r.revision`,
    );
    expect(kept.rows.map((r) => r.revision)).toEqual([1, 2]);
    const reply = (text: string) => (JSON.parse(text) as { output: { messages: { content: string }[] } }).output.messages[0]!.content;
    expect(kept.rows.map((r) => reply(r.record_text))).toEqual(['answer rv-0', 'second']);
    // A reviewer reads kept texts only of the items they may see.
    const outsider = await as(await addUser(c, 'olga', 'reviewer', ['other']));
    try {
      expect((await outsider.query('SELECT count(*)::int AS n FROM verdict.item_revisions')).rows[0].n).toBe(0);
      await expect(outsider.query(`UPDATE verdict.item_revisions SET record_text = '{}'`)).rejects.toThrow(/permission denied/);
    } finally {
      await outsider.end();
    }
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });
    await c.adminPool.query(`UPDATE verdict.item_revisions SET record_text = replace(record_text, 'second', 'forged') WHERE revision = 2`);
    expect(await verifyTeam(c.url)).toMatchObject({ ok: false, stage: 'state', reason: expect.stringMatching(/revision 2: its kept text was edited/) });
    await c.adminPool.query(`UPDATE verdict.item_revisions SET record_text = replace(record_text, 'forged', 'second') WHERE revision = 2`);
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });
  });

  it('a correction is stored and audited with its verdict, only by its author, and save-and-next hands the next item', async () => {
    const c = pg.get();
    await ingestFileToTeam(c.url, writeRecords('corr.jsonl', [0, 1, 2].map((i) => record(`co-${i}`, 'trust_safety'))));
    const ann = await open(annUrl);
    const first = (await ann.claimNext('trust_safety'))!;
    const r = await ann.saveAndNext(first, { decision: 'violation', labels: ['S1'], correction: 'I cannot help with that.', clientId: 'c-1' }, 'trust_safety');
    expect(r.result.status).toBe('accepted');
    expect(r.next?.itemId).toBeTruthy();
    expect(r.next!.itemId).not.toBe(first.itemId);
    // A retried save (lost reply) is recognised; the same correction passes, nothing doubles.
    expect((await ann.submit(first, { decision: 'violation', labels: ['S1'], correction: 'I cannot help with that.', clientId: 'c-1' })).status).toBe('accepted');
    const stored = await c.adminPool.query('SELECT c.correction, c.reviewer FROM verdict.verdict_corrections c WHERE c.item_id = $1', [first.itemId]);
    expect(stored.rows).toEqual([{ correction: 'I cannot help with that.', reviewer: 'ann' }]);
    const events = await c.adminPool.query<{ body: string }>(`SELECT body FROM verdict.audit_leaves WHERE body::jsonb ->> 'type' = 'verdict.corrected'`);
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0]!.body).not.toContain('I cannot help');

    // Not in a later transaction, not on someone else's verdict, not by hand.
    const psqlAnn = await as(annUrl);
    const psqlBob = await as(bobUrl);
    try {
      await expect(psqlAnn.query('SELECT verdict.correct($1, $2, $3)', [first.itemId, first.token, 'another text'])).rejects.toThrow(/already has a correction/);
      const next = r.next!;
      expect((await ann.submit(next, { decision: 'dismiss' })).status).toBe('accepted');
      await expect(psqlAnn.query('SELECT verdict.correct($1, $2, $3)', [next.itemId, next.token, 'late'])).rejects.toThrow(/same transaction/);
      await expect(psqlBob.query('SELECT verdict.correct($1, $2, $3)', [next.itemId, next.token, 'not mine'])).rejects.toThrow(/no verdict of yours/);
      await expect(psqlAnn.query(`INSERT INTO verdict.verdict_corrections VALUES ($1, $2, 'ann', 'x', now())`, ['1', next.itemId])).rejects.toThrow(/permission denied/);
      await expect(psqlAnn.query(`UPDATE verdict.verdict_corrections SET correction = 'x'`)).rejects.toThrow(/permission denied/);
      await expect(psqlAnn.query(`DELETE FROM verdict.verdict_corrections`)).rejects.toThrow(/permission denied/);
      // A refused submit records no correction (one transaction).
      const third = (await ann.claimNext('trust_safety'))!;
      await ann.release(third);
      const refused = await ann.submit(third, { decision: 'violation', correction: 'never stored' });
      expect(refused.status).toBe('refused');
      expect((await c.adminPool.query('SELECT count(*)::int AS n FROM verdict.verdict_corrections WHERE item_id = $1', [third.itemId])).rows[0].n).toBe(0);
    } finally {
      await psqlAnn.end();
      await psqlBob.end();
    }
    expect(await verifyTeam(c.url)).toMatchObject({ ok: true });
    await c.adminPool.query(`UPDATE verdict.verdict_corrections SET correction = 'forged' WHERE item_id = $1`, [first.itemId]);
    expect(await verifyTeam(c.url)).toMatchObject({ ok: false, stage: 'state', reason: expect.stringMatching(/correction of verdict .* differs/) });
  });
});
