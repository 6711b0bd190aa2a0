/**
 * Errors are one line that names the problem and the way out: a workspace locked past the busy
 * timeout (a real second connection holding the lock), a full disk (SQLite's own SQLITE_FULL,
 * provoked with max_page_count), a damaged file.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteUserError } from '../../electron/core/util/errors.ts';
import { openWorkspace } from '../../electron/core/workspace/open.ts';
import { tempDir } from '../helpers/workspace.ts';

const BIN = new URL('../../electron/cli/bin.mjs', import.meta.url).pathname;

describe('one-line errors', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('a workspace locked past the busy timeout: exit 1, one line, no stack', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'w.sqlite');
    openWorkspace(path).close();
    const f = join(t.dir, 'q.jsonl');
    writeFileSync(f, JSON.stringify({ id: 'a', created_at: '2026-11-01T00:00:00Z', input: 'q', output: 'a' }) + '\n');
    const holder = new Database(path);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const r = spawnSync(process.execPath, [BIN, 'ingest', f, '--workspace', path], {
        encoding: 'utf8',
        env: { ...process.env, VERDICT_BUSY_TIMEOUT_MS: '300' },
      });
      expect(r.status).toBe(1);
      expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^verdict ingest: the workspace stayed locked by another writer[^\n]*run the command again$/)]);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('SQLite errors a user can act on become one actionable line; others stay bugs', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const db = new Database(join(t.dir, 'full.sqlite'));
    db.exec('CREATE TABLE t (x TEXT)');
    db.pragma('max_page_count = 3');
    let full: unknown;
    try {
      for (let i = 0; i < 100; i++) db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(4000));
    } catch (err) {
      full = err;
    }
    db.close();
    expect((full as { code: string }).code).toBe('SQLITE_FULL');
    expect(sqliteUserError(full)).toMatchObject({ code: 'disk_full', message: expect.stringMatching(/^the disk is full: [^\n]+$/) });
    expect(sqliteUserError(Object.assign(new Error('x'), { code: 'SQLITE_CORRUPT' }))).toMatchObject({ code: 'damaged' });
    expect(sqliteUserError(new TypeError('a bug'))).toBeNull();
  });
});
