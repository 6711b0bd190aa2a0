import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Syncer } from '../../electron/core/sync/syncer.ts';
import { codeSchemaVersion, openWorkspace } from '../../electron/core/workspace/open.ts';
import { olderMigrations, tempDir } from '../helpers/workspace.ts';
import { readResults } from './helpers.ts';

describe('migration 0002 (outbox)', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('ships as the third of the workspace migrations', () => {
    expect(codeSchemaVersion()).toBe(23);
  });

  it('adds the outbox to a 0001 workspace, keeps its data and queues its existing verdicts', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'w.sqlite');
    const src = join(t.dir, 'queue.jsonl');
    writeFileSync(src, '');
    const db = new Database(path);
    migrate(drizzle(db), { migrationsFolder: olderMigrations(t.dir, 2) });
    db.exec(`
      INSERT INTO meta (key, value) VALUES ('workspace_id', 'old-ws');
      INSERT INTO sources (id, kind, name, uri, created_at) VALUES
        ('src-file', 'jsonl', 'queue.jsonl', '${src}', '2026-01-01T00:00:00.000Z'),
        ('src-stdin', 'stdin', 'stdin', 'stdin:stdin', '2026-01-01T00:00:01.000Z');
      INSERT INTO items (seq, id, source_id, external_id, created_at, ingested_at, priority, route, status, revision,
        content_sha256, flag_count, snippet) VALUES
        (1, 'item-1', 'src-file', 'e1', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 2, 'general', 'decided', 1, 'h1', 0, 's'),
        (2, 'item-2', 'src-stdin', 'e2', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 2, 'general', 'decided', 1, 'h2', 0, 's');
      INSERT INTO item_revisions (id, item_seq, revision, content_sha256, record, ingested_at) VALUES
        ('rev-1', 1, 1, 'h1', '{}', '2026-01-01T00:00:00.000Z'), ('rev-2', 2, 1, 'h2', '{}', '2026-01-01T00:00:00.000Z');
      INSERT INTO verdicts (id, item_seq, revision_id, kind, reviewer, decision, labels, decided_at, audit_seq) VALUES
        ('ver-1', 1, 'rev-1', 'verdict', 'ana', 'dismiss', '["a"]', '2026-01-02T00:00:00.000Z', 0),
        ('ver-2', 2, 'rev-2', 'verdict', 'ana', 'violation', '[]', '2026-01-02T00:00:00.000Z', 1);
    `);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'outbox'").pluck().get()).toBe(0);
    db.close();

    const ws = openWorkspace(path);
    try {
      expect(ws.id).toBe('old-ws');
      expect(ws.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion());
      const tables = ws.sqlite.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name").pluck().all();
      expect(tables).toEqual(expect.arrayContaining(['outbox', 'sync_state', 'verdict_imports', 'outbox_due', 'outbox_source_state']));
      // Earlier data is untouched; the verdicts made before the outbox are queued for their sources.
      expect(ws.sqlite.prepare('SELECT id, decision FROM verdicts ORDER BY seq').all()).toEqual([
        { id: 'ver-1', decision: 'dismiss' },
        { id: 'ver-2', decision: 'violation' },
      ]);
      expect(ws.sqlite.prepare('SELECT verdict_id AS v, source_id AS s, state FROM outbox ORDER BY seq').all()).toEqual([
        { v: 'ver-1', s: 'src-file', state: 'pending' },
        { v: 'ver-2', s: 'src-stdin', state: 'no_return_path' },
      ]);
      expect(ws.sqlite.prepare('SELECT created_at FROM outbox LIMIT 1').pluck().get()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      // The append-only guards from 0001 still hold.
      expect(() => ws.sqlite.prepare("UPDATE verdicts SET decision = 'skip'").run()).toThrow(/immutable/);
      await new Syncer(ws).run();
      expect(readResults(`${src}.verdicts.jsonl`).lines).toMatchObject([{ item_id: 'e1', verdict_id: 'ver-1', labels: ['a'] }]);
      expect(ws.sqlite.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    } finally {
      ws.close();
    }
  });
});
