/**
 * `export` replays the workspace against its audit log on the snapshot it exports from, and
 * refuses a workspace changed behind the log (a raw UPDATE with the SQLite CLI) with one line
 * that says to run `verdict audit verify`; nothing is written. An untouched workspace exports.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportDataset } from '../../electron/core/export/index.ts';
import { openWorkspace } from '../../electron/core/workspace/open.ts';
import { tempWorkspace } from '../helpers/workspace.ts';
import { ingestRecords, record, reviewAll } from './helpers.ts';

const BIN = new URL('../../electron/cli/bin.mjs', import.meta.url).pathname;

async function labelled() {
  const t = tempWorkspace();
  await ingestRecords(t.ws, t.dir, Array.from({ length: 12 }, (_, i) => record(`r${i}`)));
  reviewAll(t.ws, (item, i) => ({ itemId: item.id, ...(i % 3 === 0 ? { decision: 'dismiss' as const } : { decision: 'violation' as const, labels: ['S1'] }), reviewer: 'r' }));
  t.ws.close();
  return t;
}

/** The tampers a skeptical auditor made with the SQLite CLI (guards dropped where they stand in the way). */
const TAMPERS: [string, string][] = [
  ['a verdict decision', "DROP TRIGGER verdicts_no_update; UPDATE verdicts SET decision = 'dismiss' WHERE decision = 'violation'"],
  ['an item status', "UPDATE items SET status = 'new' WHERE seq = (SELECT min(seq) FROM items)"],
  ['an item route', "UPDATE items SET route = 'legal' WHERE seq = (SELECT max(seq) FROM items)"],
  ['a deleted verdict', 'PRAGMA foreign_keys = OFF; DROP TRIGGER verdicts_no_delete; DELETE FROM verdicts WHERE seq = (SELECT max(seq) FROM verdicts)'],
];

describe('export refuses a workspace that no longer matches its audit log', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('an untouched workspace exports', async () => {
    const t = await labelled();
    cleanup = t.cleanup;
    const ws = openWorkspace(t.path, { create: false });
    try {
      const s = await exportDataset(ws, { format: 'classifier', out: join(t.dir, 'out'), outputs: ['jsonl'] });
      expect(s.rows).toBe(12);
    } finally {
      ws.close();
    }
  });

  for (const [what, sql] of TAMPERS) {
    it(`${what} changed behind the log: refused, one line naming the table, nothing written`, async () => {
      const t = await labelled();
      cleanup = t.cleanup;
      const raw = new Database(t.path);
      raw.exec(sql);
      raw.close();
      const ws = openWorkspace(t.path, { create: false });
      const out = join(t.dir, 'out');
      try {
        const err = await exportDataset(ws, { format: 'classifier', out, outputs: ['jsonl'] }).then(
          () => null,
          (e: unknown) => e as { code: string; message: string },
        );
        expect(err).toMatchObject({ code: 'tampered' });
        expect(err!.message).toMatch(/^not exported: the workspace no longer matches its audit log \(table (verdicts|items), row [^)]+\); run "verdict audit verify" for details$/);
      } finally {
        ws.close();
      }
      expect(existsSync(out)).toBe(false);
    });
  }

  it('the CLI exits 1 with one stderr line and leaves an existing empty folder empty', async () => {
    const t = await labelled();
    cleanup = t.cleanup;
    const raw = new Database(t.path);
    raw.exec(TAMPERS[0]![1]);
    raw.close();
    const out = join(t.dir, 'out');
    const r = spawnSync(process.execPath, [BIN, 'export', '--format', 'classifier', '--out', out, '--workspace', t.path], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('run "verdict audit verify"');
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});
