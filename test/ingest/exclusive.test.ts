import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDemoRecords } from '../../electron/core/demo/generate.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

/** What an ingest stored, independent of generated ids and times. */
function stored(sqlite: import('better-sqlite3').Database) {
  return {
    items: sqlite.prepare('SELECT external_id, status, priority, created_ms, content_sha256 FROM items ORDER BY external_id').all(),
    revisions: sqlite.prepare('SELECT count(*) FROM item_revisions').pluck().get(),
    quarantine: sqlite.prepare('SELECT line, error FROM quarantine ORDER BY line').all(),
    counts: sqlite.prepare('SELECT status, route, priority, n FROM queue_counts ORDER BY 1, 2, 3').all(),
  };
}

/** queue_counts as the items table has them. */
function actualCounts(sqlite: import('better-sqlite3').Database) {
  return sqlite.prepare('SELECT status, route, priority, count(*) AS n FROM items GROUP BY 1, 2, 3 ORDER BY 1, 2, 3').all();
}

describe('exclusive ingest (the CLI: open transactions across parsing, checkpoints on another thread)', () => {
  let cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups) c();
    cleanups = [];
  });

  function fixture(dir: string): string {
    const lines = [...generateDemoRecords(2500, 7)].map((r) => JSON.stringify(r));
    lines.splice(100, 0, '{"id": "broken"', '[1, 2]');
    lines.push(JSON.stringify({ ...JSON.parse(lines[5]!), output: 'a changed answer' }));
    // A revision in the same batch as its item: its status change must meet the item's count.
    lines.splice(9, 0, JSON.stringify({ ...JSON.parse(lines[8]!), priority: 'critical', output: 'changed at once' }));
    const path = join(dir, 'queue.jsonl');
    writeFileSync(path, lines.join('\n') + '\n');
    return path;
  }

  it('stores exactly what a shared-connection ingest stores, one audit event per batch, and restores checkpoints', async () => {
    const a = tempWorkspace();
    const b = tempWorkspace();
    cleanups.push(a.cleanup, b.cleanup);
    const input = fixture(a.dir);
    const shared = await ingest(a.ws, { path: input, batchSize: 500 });
    // workers: 1 starts the parse and checkpoint threads, as a large CLI ingest does.
    const exclusive = await ingest(b.ws, { path: input, batchSize: 700, exclusive: true, workers: 1 });
    const keys = ['read', 'ingested', 'duplicates', 'revisions', 'quarantined', 'searchable'] as const;
    for (const k of keys) expect(exclusive[k]).toEqual(shared[k]);
    expect(exclusive).toMatchObject({ read: 2504, ingested: 2500, revisions: 2, quarantined: 2, searchable: true });
    expect(stored(b.ws.sqlite)).toEqual(stored(a.ws.sqlite));
    for (const w of [a, b]) expect(stored(w.ws.sqlite).counts).toEqual(actualCounts(w.ws.sqlite));
    const batches = b.ws.sqlite.prepare("SELECT count(*) FROM audit_events WHERE type = 'ingest.batch'").pluck().get();
    expect(batches).toBe(Math.ceil(2504 / 700));
    expect(b.ws.audit.verify().ok).toBe(true);
    expect(b.ws.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(b.ws.sqlite.pragma('cache_size', { simple: true })).toBe(a.ws.sqlite.pragma('cache_size', { simple: true }));
    expect(b.ws.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(b.ws.sqlite.inTransaction).toBe(false);
    // A second pull of the same file finds nothing new.
    expect(await ingest(b.ws, { path: input, exclusive: true, workers: 1 })).toMatchObject({ read: 0, ingested: 0, skippedFiles: 1 });
  });

  it('a failed write rolls back the open batch only: earlier batches stay, the audit log verifies', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const input = fixture(t.dir);
    const victim = JSON.parse(
      (await import('node:fs')).readFileSync(input, 'utf8').split('\n')[1600]!,
    ) as { id: string };
    t.ws.sqlite.exec(
      `CREATE TRIGGER fail_one BEFORE INSERT ON items WHEN NEW.external_id = '${victim.id}' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`,
    );
    await expect(ingest(t.ws, { path: input, batchSize: 700, exclusive: true, workers: 1 })).rejects.toThrow(/disk on fire/);
    expect(t.ws.sqlite.inTransaction).toBe(false);
    // Line 1601 falls in the third batch of 700: two batches committed.
    expect(t.ws.sqlite.prepare('SELECT count(*) FROM items').pluck().get()).toBe(1400 - 3);
    expect(stored(t.ws.sqlite).counts).toEqual(actualCounts(t.ws.sqlite));
    expect(t.ws.audit.verify().ok).toBe(true);
    expect(t.ws.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    t.ws.sqlite.exec('DROP TRIGGER fail_one');
    // The next pull resumes after the committed batches and brings in the rest.
    expect(await ingest(t.ws, { path: input, exclusive: true })).toMatchObject({ ingested: 1103, duplicates: 0 });
    expect(stored(t.ws.sqlite).counts).toEqual(actualCounts(t.ws.sqlite));
    expect(t.ws.sqlite.prepare('SELECT count(*) FROM items').pluck().get()).toBe(2500);
  });
});
