/**
 * `verdict team claim|adjudicate|escalate|expert|hold|release|reopen|gold|history|agreement
 * --team URL` against a real PostgreSQL, each person on their own login: every expert step from
 * the command line, errors as one line, and the team audit verifies after.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTeam, type TeamSession } from '../../electron/core/team/api.ts';
import { ingestTeamRecords } from '../../db/team/ingest.ts';
import { validateForTeam } from '../../electron/core/team/ingest.ts';
import { verifyTeam } from '../../electron/core/team/verify.ts';
import { pgForThisFile } from '../support/pg.ts';
import { addUser, initTeam, record, route } from '../team/helpers.ts';

const BIN = new URL('../../electron/cli/bin.mjs', import.meta.url).pathname;
const pgc = pgForThisFile();
const urls: Record<string, string> = {};
const s: Record<string, TeamSession> = {};
const ids: Record<string, string> = {};

function verdict(who: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.VERDICT_TEAM_URL;
    const child = spawn(process.execPath, [BIN, 'team', ...args, '--team', urls[who]!], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function json<T>(who: string, args: string[]): Promise<T> {
  const r = await verdict(who, [...args, '--json']);
  expect(r.stderr, args.join(' ')).toBe('');
  expect(r.code, args.join(' ')).toBe(0);
  return JSON.parse(r.stdout) as T;
}

beforeAll(async () => {
  const c = pgc.get();
  await initTeam(c);
  await route(c, 'ts', 2);
  await route(c, 'clinical', 1);
  const admin = await c.adminPool.connect();
  try {
    const rows = ['t-1', 't-2', 't-3', 't-4'].map((id) => {
      const o = validateForTeam(JSON.stringify(record(id, 'ts')), 'cli', id);
      if (!o.ok) throw new Error(o.q.reason);
      return o.row;
    });
    await ingestTeamRecords(admin, rows);
  } finally {
    admin.release();
  }
  for (const r of (await c.adminPool.query<{ ext_id: string; id: string }>('SELECT ext_id, id::text FROM verdict.items')).rows) ids[r.ext_id] = r.id;
  for (const [name, role, routes] of [
    ['ann', 'reviewer', ['ts']],
    ['bob', 'reviewer', ['ts']],
    ['ada', 'adjudicator', ['ts']],
    ['eve', 'expert', ['clinical']],
    ['lea', 'lead', []],
  ] as const) {
    urls[name] = await addUser(c, name, role, [...routes]);
    s[name] = await connectTeam(urls[name]!);
  }
}, 120_000);
afterAll(async () => {
  for (const x of Object.values(s)) await x.close();
});

type Claim = { itemId: string; token: string; item: { externalId: string } };

describe('verdict team expert steps', () => {
  it('adjudicate: claim shows blind sides, decide makes it the verdict in force; a reviewer is refused in one line', { timeout: 120_000 }, async () => {
    const a = await json<Claim>('ann', ['claim']);
    const b = await json<Claim>('bob', ['claim']);
    expect([a.item.externalId, b.item.externalId]).toEqual(['t-1', 't-1']);
    await s.ann!.submit(a, { decision: 'violation', labels: ['S1'] });
    await s.bob!.submit(b, { decision: 'dismiss' });
    const refused = await verdict('ann', ['adjudicate']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/^verdict team: .*only adjudicator or lead may adjudicate.*\n$/);
    expect(refused.stderr.split('\n')).toHaveLength(2);
    const c = await json<{ itemId: string; token: string; sides: { reviewer: string }[] }>('ada', ['adjudicate']);
    expect(c.sides.map((x) => x.reviewer)).toEqual(['Reviewer 1', 'Reviewer 2']);
    const text = await verdict('ada', ['adjudicate', c.itemId, '--token', c.token, '--decision', 'violation', '--labels', 'S1', '--rationale', 'S1 applies']);
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toMatch(/verdict in force/);
    const again = await verdict('ada', ['adjudicate', c.itemId, '--token', c.token, '--decision', 'dismiss']);
    expect(again.code).not.toBe(0);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('escalate -> expert pool -> verdict (overturn) and consult; hold/release; reopen with history; gold; agreement', { timeout: 180_000 }, async () => {
    const a = await json<Claim>('ann', ['claim']);
    expect(a.item.externalId).toBe('t-2');
    const esc = await json<{ escalationId: string }>('ann', ['escalate', a.itemId, '--token', a.token, '--to', 'clinical', '--question', 'Is this dose safe?', '--decision', 'dismiss']);
    const pool = await json<{ escalationId: string; question: string }[]>('eve', ['expert', 'pool']);
    expect(pool).toMatchObject([{ escalationId: esc.escalationId, question: 'Is this dose safe?' }]);
    const ec = await json<{ escalationId: string; token: string }>('eve', ['expert', 'claim']);
    const ans = await json<{ status: string; overturned: boolean }>('eve', ['expert', 'answer', ec.escalationId, '--token', ec.token, '--decision', 'violation', '--labels', 'S6']);
    expect(ans).toMatchObject({ status: 'accepted', overturned: true });

    const a3 = await json<Claim>('ann', ['claim']);
    expect(a3.item.externalId).toBe('t-3');
    await json('ann', ['escalate', a3.itemId, '--token', a3.token, '--to', 'clinical', '--question', 'Which guideline?', '--decision', 'violation', '--labels', 'S6']);
    const ec3 = await json<{ escalationId: string; token: string }>('eve', ['expert', 'claim']);
    const consult = await verdict('eve', ['expert', 'answer', ec3.escalationId, '--token', ec3.token, '--consult', 'See guideline 4.2']);
    expect(consult).toMatchObject({ code: 0, stderr: '' });
    expect((await s.ann!.expert.consultNotes(a3.itemId)).map((n) => n.note)).toEqual(['See guideline 4.2']);

    const bad = await verdict('lea', ['hold', ids['t-4']!, '--reason', 'owner asked']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/^verdict team: give ITEM --reason TEXT --review-by/);
    const held = await verdict('lea', ['hold', ids['t-4']!, '--reason', 'owner asked', '--review-by', '2020-01-01T00:00:00Z']);
    expect(held).toMatchObject({ code: 0, stderr: '' });
    expect((await s.lea!.expert.holds()).map((h) => [h.itemId, h.overdue])).toEqual([[ids['t-4'], true]]);
    expect(await json('lea', ['release', ids['t-4']!])).toEqual({ itemId: ids['t-4'], status: 'open' });

    expect((await verdict('lea', ['reopen', ids['t-1']!, '--reason', 'policy changed'])).code).toBe(0);
    const hist = await json<{ kind: string }[]>('lea', ['history', ids['t-1']!]);
    expect(hist.map((h) => h.kind)).toEqual(['verdict', 'verdict', 'adjudication', 'reopened']);

    expect((await verdict('lea', ['gold', 'mark', ids['t-2']!, '--decision', 'violation', '--labels', 'S6'])).code).toBe(0);
    expect(await json('lea', ['gold', 'accuracy'])).toEqual([]);
    const notLead = await verdict('ann', ['gold', 'mark', ids['t-2']!, '--decision', 'dismiss']);
    expect(notLead.stderr.trim().split('\n')).toHaveLength(1);
    expect(notLead.stderr).toMatch(/only lead may mark gold items/);

    const report = await json<{ items: number; ratings: number }>('lea', ['agreement', '--route', 'ts']);
    expect([report.items, report.ratings]).toEqual([1, 2]);
    const reviewerAgreement = await verdict('ann', ['agreement']);
    expect(reviewerAgreement.stderr).toMatch(/^verdict team: .*(permission denied|not allowed|forbidden).*\n$/i);
    expect(await verifyTeam(pgc.get().url)).toMatchObject({ ok: true });
  });
});
