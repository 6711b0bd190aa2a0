/**
 * `verdict ingest … --team URL` takes the local ingest's options: --preset and --mapping go
 * through the local mapper (the same records, hence the same content hashes, as a local
 * ingest), and --watch reads lines as they are appended.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { tempDir, tempWorkspace } from '../helpers/workspace.ts';
import { pgForThisFile } from '../support/pg.ts';
import { initTeam, record } from './helpers.ts';

const pg = pgForThisFile();
const t = tempDir('verdict-team-ingest-');
const local = tempWorkspace();
const BIN = new URL('../../electron/cli/bin.mjs', import.meta.url).pathname;
const HH = new URL('../fixtures/hh-rlhf-harmless-base-test.jsonl.gz', import.meta.url).pathname;
const verdict = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

beforeAll(async () => {
  await initTeam(pg.get());
}, 120_000);
afterAll(() => {
  local.cleanup();
  t.cleanup();
});

describe('ingest --team options', () => {
  it('--preset hh-rlhf: the same records (content hashes) as a local ingest of the same file', async () => {
    const c = pg.get();
    const r = verdict(['ingest', HH, '--preset', 'hh-rlhf', '--team', c.url, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const team = JSON.parse(r.stdout) as { read: number; ingested: number; quarantined: number };
    const l = await ingest(local.ws, { path: HH, preset: 'hh-rlhf' });
    expect(team).toMatchObject({ read: l.read, ingested: l.ingested, quarantined: l.quarantined });
    expect(team.ingested).toBeGreaterThan(100);
    const localHashes = (local.ws.sqlite.prepare('SELECT content_sha256 FROM item_revisions ORDER BY content_sha256').pluck().all() as string[]).join();
    const teamHashes = (await c.adminPool.query<{ h: string }>(`SELECT content_sha256 AS h FROM verdict.items WHERE source LIKE 'hh-rlhf%' ORDER BY content_sha256 COLLATE "C"`)).rows.map((x) => x.h).join();
    expect(teamHashes).toBe(localHashes);
    // Both at once is refused, as locally.
    expect(verdict(['ingest', HH, '--preset', 'hh-rlhf', '--mapping', HH, '--team', c.url]).status).toBe(2);
  });

  it('--mapping FILE maps foreign JSONL fields', async () => {
    const c = pg.get();
    const mapping = join(t.dir, 'mapping.json');
    writeFileSync(mapping, JSON.stringify({ fields: { id: '/uid', created_at: '/ts', input: '/conv', output: '/resp' }, defaults: { route: 'trust_safety' } }));
    const file = join(t.dir, 'foreign.jsonl');
    writeFileSync(file, [
      { uid: 'f-1', ts: '2026-11-01T00:00:00Z', conv: { messages: [{ role: 'user', content: 'hi' }] }, resp: { messages: [{ role: 'assistant', content: 'hello' }] } },
      { uid: 'f-2', ts: 'not a date', conv: { messages: [] }, resp: null },
    ].map((x) => JSON.stringify(x)).join('\n') + '\n');
    const r = verdict(['ingest', file, '--mapping', mapping, '--team', c.url, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const l = await ingest(local.ws, { path: file, mappingFile: mapping });
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 2, ingested: l.ingested, quarantined: l.quarantined });
    expect((await c.adminPool.query(`SELECT 1 FROM verdict.items WHERE ext_id = 'f-1'`)).rowCount).toBe(1);
  });

  it('--watch picks up appended lines (a half-written last line waits for its newline)', async () => {
    const c = pg.get();
    const file = join(t.dir, 'live.jsonl');
    writeFileSync(file, JSON.stringify(record('w-1', 'trust_safety')) + '\n');
    const child = spawn(process.execPath, [BIN, 'ingest', file, '--watch', '--interval', '1', '--team', c.url, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const summaries: { read: number; ingested: number }[] = [];
    let waiting: { n: number; resolve: () => void } | null = null;
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        summaries.push(JSON.parse(buf.slice(0, i)) as { read: number; ingested: number });
        buf = buf.slice(i + 1);
      }
      if (waiting && summaries.length >= waiting.n) waiting.resolve();
    });
    const summariesReach = (n: number) => new Promise<void>((resolve) => (summaries.length >= n ? resolve() : (waiting = { n, resolve })));
    try {
      await summariesReach(1);
      expect(summaries[0]).toMatchObject({ read: 1, ingested: 1 });
      const second = JSON.stringify(record('w-2', 'trust_safety'));
      appendFileSync(file, second.slice(0, 20));
      appendFileSync(file, second.slice(20) + '\n' + JSON.stringify(record('w-3', 'trust_safety')) + '\n');
      // However the writes were split across runs, the two new records arrive once each.
      for (;;) {
        const got = summaries.slice(1).reduce((a, s) => a + s.ingested, 0);
        if (got >= 2) break;
        await summariesReach(summaries.length + 1);
      }
      expect(summaries.slice(1).reduce((a, s) => a + s.read, 0)).toBe(2);
      const ids = (await c.adminPool.query<{ e: string }>(`SELECT ext_id AS e FROM verdict.items WHERE ext_id LIKE 'w-%' ORDER BY 1`)).rows.map((r) => r.e);
      expect(ids).toEqual(['w-1', 'w-2', 'w-3']);
      expect((await c.adminPool.query(`SELECT 1 FROM verdict.quarantine WHERE source = 'live.jsonl'`)).rowCount).toBe(0);
    } finally {
      child.kill('SIGINT');
    }
  }, 60_000);
});
