/**
 * Exports from the team database: the same formats, card, manifest and proof as a local export.
 * A team database and a local workspace given the same records and the same decisions export
 * the same rows byte for byte (the only difference is each side's own item id), the same
 * README.md, and the team export verifies against the team audit log. Gold items, undecided
 * items and items revised after their verdict stay out.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDataset, verifyExport } from '../../electron/core/export/index.ts';
import { connectTeam } from '../../electron/core/team/api.ts';
import { exportTeamDataset } from '../../electron/core/team/export.ts';
import { verifyTeamExport } from '../../electron/core/team/export-verify.ts';
import { ItemActions } from '../../electron/core/review/actions.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { iterateExportRows } from '../../db/queries/export.ts';
import { beginExportSnapshot, endExportSnapshot, iterateTeamExportRows } from '../../db/team/export.ts';
import { tempDir, tempWorkspace } from '../helpers/workspace.ts';
import { itemsOf, readItemsJsonl, shardFiles } from '../export/helpers.ts';
import { pgForThisFile } from '../support/pg.ts';
import { addUser, as, initTeam, record, route } from './helpers.ts';

const pg = pgForThisFile();
const t = tempDir('verdict-team-export-');
const local = tempWorkspace();
const BIN = new URL('../../electron/cli/bin.mjs', import.meta.url).pathname;
const verdict = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

type Decision = { decision: 'violation' | 'dismiss' | 'escalate'; labels: string[]; severity: string | null; correction?: string };
/** Decisions by record id: 20 decided items, with conversation ids for the split. */
const decisions: Record<string, Decision> = {};
const N = 24;
let dataUrl = '';

afterAll(() => {
  local.cleanup();
  t.cleanup();
});

beforeAll(async () => {
  const c = pg.get();
  await initTeam(c);
  await route(c, 'trust_safety', 1);
  const file = join(t.dir, 'in.jsonl');
  const recs = Array.from({ length: N }, (_, i) =>
    record(`r-${String(i).padStart(2, '0')}`, 'trust_safety', {
      provenance: { 'gen_ai.conversation.id': `conv-${i % 7}`, 'gen_ai.request.model': i % 2 ? 'm-a' : 'm-b' },
      flags: [{ source: 'detector', category: 'harm', score: 0.5 + i / 100 }],
    }),
  );
  writeFileSync(file, recs.map((r) => JSON.stringify(r)).join('\n') + '\n');
  // The same file into both.
  const ing = verdict(['ingest', file, '--team', c.url, '--json']);
  expect(ing.status, ing.stderr).toBe(0);
  expect((await ingest(local.ws, { path: file })).quarantined).toBe(0);

  // r-00..r-19 decided (violation with labels, or dismiss); r-20 gold; r-21 revised after its
  // verdict (conflict); r-22, r-23 never reviewed.
  for (let i = 0; i < 22; i++)
    decisions[`r-${String(i).padStart(2, '0')}`] =
      i % 3 === 0
        ? { decision: 'dismiss', labels: [], severity: null }
        : {
            decision: 'violation',
            labels: i % 2 ? ['S1'] : ['S2', 'S10'],
            severity: i % 2 ? 'high' : null,
            // Some reviewers write the reply the model should have given (SFT rows); r-21's is on the judged revision.
            ...(i % 4 === 1 ? { correction: `I can't help with that (${i}).` } : {}),
          };
  const ann = await connectTeam(await addUser(c, 'ann', 'reviewer', ['trust_safety']));
  for (;;) {
    const lease = await ann.claimNext();
    if (!lease) break;
    const d = decisions[lease.item.externalId];
    if (!d) {
      await ann.release(lease);
      break;
    }
    expect((await ann.submit(lease, d)).status).toBe('accepted');
  }
  await ann.close();
  const review = new ReviewService(local.ws);
  for (const it of itemsOf(local.ws)) {
    const d = decisions[it.externalId];
    if (d) review.submit({ itemId: it.id, decision: d.decision, labels: d.labels, severity: d.severity, correction: d.correction ?? null, reviewer: 'ann' });
  }
  // r-19 on the team: reopened by a lead and decided again by an adjudicator (same decision), then
  // revised below: a revision after an adjudication is a conflict too, as after r-19's local verdict.
  const lee = await connectTeam(await addUser(c, 'lee', 'lead', ['trust_safety']));
  const r19 = (await c.adminPool.query<{ id: string }>(`SELECT id::text FROM verdict.items WHERE ext_id = 'r-19'`)).rows[0]!.id;
  await lee.expert.reopen(r19, 'second look');
  const adj = (await lee.expert.claimAdjudication('trust_safety'))!;
  const d19 = decisions['r-19']!;
  expect((await lee.expert.decideAdjudication(adj.itemId, adj.token, { decision: d19.decision, labels: d19.labels, severity: d19.severity, rationale: null })).status).toBe('accepted');
  await lee.close();
  // Gold on both sides: the team's marked by a lead (verdict.mark_gold, audited), the local one as an item action.
  const lead = await as(c.urlFor('lee', 'pw-lee-secret'));
  try {
    await lead.query(`SELECT verdict.mark_gold(id, 'violation') FROM verdict.items WHERE ext_id = 'r-20'`);
  } finally {
    await lead.end();
  }
  const goldLocal = itemsOf(local.ws).find((i) => i.externalId === 'r-20')!;
  new ItemActions(local.ws).gold(goldLocal.id, { decision: 'violation', labels: [] }, 'lead');
  // A revision of r-21 after its verdict, on both sides: appended to the same file (a local
  // workspace keys records by source, i.e. the file, and id).
  for (const k of [19, 21]) appendFileSync(file, JSON.stringify({ ...recs[k], output: { messages: [{ role: 'assistant', content: `edited answer ${k}` }] } }) + '\n');
  const again = verdict(['ingest', file, '--team', c.url, '--json']);
  expect(JSON.parse(again.stdout)).toMatchObject({ revisions: 2, duplicates: N });
  expect(await ingest(local.ws, { path: file })).toMatchObject({ revisions: 2 });
  dataUrl = await addUser(c, 'dan', 'data', []);
}, 120_000);

/** JSON lines with each side's own item id replaced by the record id, so the rest compares byte for byte. */
function normalisedLines(dir: string, idToExt: Map<string, string>): string[] {
  const out: string[] = [];
  for (const split of ['train', 'validation', 'test'])
    for (const f of shardFiles(dir, split, 'jsonl'))
      for (const line of readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean)) {
        const row = JSON.parse(line) as Record<string, unknown>;
        const ext = idToExt.get(String(row.item_id));
        expect(ext, `row item ${String(row.item_id)}`).toBeTruthy();
        out.push(`${split}:${line.replace(JSON.stringify(row.item_id), JSON.stringify(ext))}`);
      }
  return out;
}

describe('export --team', () => {
  it('exports what a local workspace with the same decisions exports, and verifies against the team audit log', async () => {
    const c = pg.get();
    const outLocal = join(t.dir, 'local');
    const outTeam = join(t.dir, 'team');
    const opts = { format: 'classifier' as const, outputs: ['jsonl' as const], actor: 'dan', seed: 7 };
    const sl = await exportDataset(local.ws, { ...opts, out: outLocal });
    const st = await exportTeamDataset(dataUrl, { ...opts, out: outTeam });
    expect(st.rows).toBe(sl.rows);
    expect(st.rows).toBe(19);
    expect(st.excludedConflict).toBe(2);
    expect(sl.excludedConflict).toBe(2);
    expect(st.perSplit).toEqual(sl.perSplit);

    const localIds = new Map(itemsOf(local.ws).map((i) => [i.id, i.externalId]));
    const teamIds = new Map((await c.adminPool.query<{ id: string; ext: string }>('SELECT id::text, ext_id AS ext FROM verdict.items')).rows.map((r) => [r.id, r.ext]));
    const a = normalisedLines(outLocal, localIds);
    const b = normalisedLines(outTeam, teamIds);
    expect(b).toHaveLength(19);
    expect(b).toEqual(a);
    expect(b.join('\n')).not.toMatch(/r-(19|2[0-3])/);
    // The dataset card: identical but for the byte sizes of the splits (item ids differ in length).
    const card = (dir: string) => readFileSync(join(dir, 'README.md'), 'utf8').replace(/num_bytes: \d+/g, 'num_bytes: N');
    expect(card(outTeam)).toBe(card(outLocal));
    expect(readItemsJsonl(outTeam).map((r) => teamIds.get(r.item_id))).toEqual(readItemsJsonl(outLocal).map((r) => localIds.get(r.item_id)));

    // The manifest's proof references the team audit log.
    const m = JSON.parse(readFileSync(join(outTeam, 'manifest.json'), 'utf8')) as {
      content: { workspace_id: string };
      audit: { head: { size: number; root: string }; event: { leaf_index: number } };
    };
    expect(m.content.workspace_id).toBe('team:verdict');
    const leaf = await c.adminPool.query<{ body: string }>('SELECT body FROM verdict.audit_log WHERE seq = $1', [m.audit.event.leaf_index]);
    expect(JSON.parse(leaf.rows[0]!.body)).toMatchObject({ type: 'export.created', actor: 'dan', data: { rows: 19 } });
    expect(m.audit.head.size).toBe(m.audit.event.leaf_index + 1);

    expect(await verifyTeamExport(outTeam, dataUrl)).toMatchObject({ ok: true, rows: 19 });
    expect(await verifyExport(outLocal, local.ws)).toMatchObject({ ok: true });
    const cli = verdict(['export', 'verify', outTeam, '--team', dataUrl]);
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^export ok/);
    // The team log (with the export event in it) still verifies and replays.
    const audit = verdict(['audit', 'verify', '--team', c.url]);
    expect(audit.status, audit.stdout + audit.stderr).toBe(0);
  });

  it('corrections give the same SFT rows as the local desk, and the revised items carry the text that was judged', async () => {
    const outLocal = join(t.dir, 'local-sft');
    const outTeam = join(t.dir, 'team-sft');
    const opts = { format: 'sft' as const, outputs: ['jsonl' as const], actor: 'dan', seed: 7 };
    const sl = await exportDataset(local.ws, { ...opts, out: outLocal });
    const st = await exportTeamDataset(dataUrl, { ...opts, out: outTeam });
    // The corrected violations among the exportable items: r-01, r-05, r-13, r-17.
    expect(sl.rows).toBe(4);
    expect(st.rows).toBe(sl.rows);
    expect(st.skipped).toEqual(sl.skipped);
    expect(st.perSplit).toEqual(sl.perSplit);
    const lines = (dir: string) =>
      ['train', 'validation', 'test'].flatMap((split) => shardFiles(dir, split, 'jsonl').flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => `${split}:${l}`)));
    expect(lines(outTeam)).toEqual(lines(outLocal));
    expect(lines(outTeam).join('\n')).toContain("I can't help with that (5).");
    expect(await verifyTeamExport(outTeam, dataUrl)).toMatchObject({ ok: true });

    // The rows both sides select for the revised items (left out as conflicts) hold the judged text, not the revision.
    const c = pg.get();
    const none = { decisions: [], labels: [], routes: [], models: [], from: null, to: null, reviewers: [] };
    const output = (row: string) => JSON.stringify((JSON.parse(row) as unknown[])[9]);
    const localConflicts = [...iterateExportRows(local.ws.sqlite, none)].filter((r) => r[0]).map((r) => output(r[1]));
    const client = await c.adminPool.connect();
    const teamConflicts: string[] = [];
    try {
      await beginExportSnapshot(client);
      for await (const r of iterateTeamExportRows(client, none)) if (r[0]) teamConflicts.push(output(r[1]));
      await endExportSnapshot(client);
    } finally {
      client.release();
    }
    expect(teamConflicts).toEqual(localConflicts);
    expect(teamConflicts).toHaveLength(2);
    expect(teamConflicts.join()).toMatch(/answer r-19.*answer r-21/);
    expect(teamConflicts.join()).not.toMatch(/edited answer/);
  });

  it('export verify --team catches an altered file; a reviewer may not export', async () => {
    const c = pg.get();
    const out = join(t.dir, 'cli');
    const run = verdict(['export', '--format', 'classifier', '--jsonl', '--out', out, '--team', dataUrl, '--json']);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: 19, excluded_conflict: 2 });
    expect(verdict(['export', 'verify', out, '--team', dataUrl, '--quick']).status).toBe(0);
    const shard = join(out, shardFiles(out, 'train', 'jsonl')[0]!);
    const original = readFileSync(shard);
    writeFileSync(shard, Buffer.concat([original, Buffer.from('{}\n')]));
    const bad = verdict(['export', 'verify', out, '--team', dataUrl]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/was altered/);
    writeFileSync(shard, original);
    // A reviewer may not export (the event function is for leads and data roles).
    const ben = await addUser(c, 'ben', 'reviewer', ['trust_safety']);
    const refused = verdict(['export', '--format', 'classifier', '--jsonl', '--out', join(t.dir, 'ben'), '--team', ben]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
  });
});
