import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../electron/core/workspace/open.ts';
import { tempDir } from '../helpers/workspace.ts';

const BIN = new URL('../../electron/cli/bin.mjs', import.meta.url).pathname;
const N = 15_000;

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function runIngest(file: string, ws: string, killAfterMs: number | null): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'ingest', file, '--workspace', ws, '--json', '--batch-size', '500'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout });
    });
  });
}

describe('crash safety', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('survives SIGKILL at 20+ random moments: integrity ok, audit verifies, every record exactly once', async () => {
    const file = join(t.dir, 'queue.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < N; i++) {
      lines.push(JSON.stringify({ id: `r${i}`, created_at: '2026-11-01T00:00:00Z', input: `question ${i} ${'lorem '.repeat(60)}`, output: `answer ${i}` }));
      if (i % 997 === 0) lines.push(`{broken line ${i}`);
    }
    writeFileSync(file, lines.join('\n') + '\n');
    const ws = join(t.dir, 'w.sqlite');
    const { rmSync } = await import('node:fs');
    const reset = () => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(ws + suffix, { force: true });
    };
    // How long an uninterrupted run takes here, so kills land anywhere in it.
    const t0 = performance.now();
    expect((await runIngest(file, ws, null)).code).toBe(0);
    const full = performance.now() - t0;
    reset();
    const rand = mulberry32(20261122);
    let kills = 0;
    for (let round = 0; round < 60 && kills < 22; round++) {
      const res = await runIngest(file, ws, 50 + Math.floor(rand() * full * 0.9));
      if (res.signal === 'SIGKILL') kills++;
      // Killed before the new workspace was linked into place: no file, nothing half-made to check.
      // (Opening it with plain SQLite would create an empty file, which Verdict rightly refuses.)
      if (!existsSync(ws)) continue;
      const db = new Database(ws, { fileMustExist: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
      const w = openWorkspace(ws);
      const v = w.audit.verify();
      w.close();
      expect(v.ok).toBe(true);
      // Finished before the kill: start over so later rounds still interrupt real work.
      if (res.signal !== 'SIGKILL') reset();
    }
    expect(kills).toBeGreaterThanOrEqual(20);
    const final = await runIngest(file, ws, null);
    expect(final.code).toBe(0);
    const w = openWorkspace(ws);
    try {
      expect(w.sqlite.prepare('SELECT count(*) FROM items').pluck().get()).toBe(N);
      expect(w.sqlite.prepare('SELECT count(DISTINCT external_id) FROM items').pluck().get()).toBe(N);
      expect(w.sqlite.prepare('SELECT count(*) FROM item_revisions').pluck().get()).toBe(N);
      // Quarantined lines are not duplicated by re-reads either.
      expect(w.sqlite.prepare('SELECT count(*) FROM quarantine').pluck().get()).toBe(Math.ceil(N / 997));
      expect(w.sqlite.prepare('SELECT count(*) FROM fts_queue').pluck().get()).toBe(0);
      expect(w.sqlite.prepare("SELECT count(*) FROM items_fts WHERE items_fts MATCH 'lorem'").pluck().get()).toBe(N);
      expect(w.audit.verify().ok).toBe(true);
    } finally {
      w.close();
    }
  }, 240_000);
});
