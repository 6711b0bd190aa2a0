import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codeSchemaVersion, migrationsFolder, openWorkspace } from '../../electron/core/workspace/open.ts';
import { agreementItemsBackfillSql, agreementItemsSelectSql, ratingColumns, ratingPatterns } from '../../db/queries/agreement.ts';
import { agreementReport } from '../../electron/core/agreement/index.ts';
import { olderMigrations, tempDir } from '../helpers/workspace.ts';
import { extKey } from '../../electron/core/util/ext-key.ts';
import { getVerdict } from '../../db/queries/verdicts.ts';
import { AuditLog, Frontier } from '../../electron/core/audit/log.ts';
import { batchRows, insertClaims } from '../../db/queries/team-batch.ts';
import { findItemSeq, itemFacets, queuePage } from '../../db/queries/items.ts';

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') ORDER BY name").pluck().all() as string[]);

describe('migrations', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('ships the migrations this test knows about', () => {
    expect(codeSchemaVersion()).toBe(23);
  });

  it('0000_init creates the core tables', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const db = new Database(join(t.dir, 'w.sqlite'));
    migrate(drizzle(db), { migrationsFolder: olderMigrations(t.dir, 1) });
    expect(tables(db)).toEqual(
      expect.arrayContaining(['audit_events', 'fts_queue', 'item_revisions', 'items', 'meta', 'quarantine', 'settings', 'source_files', 'sources', 'verdicts']),
    );
    expect(tables(db)).not.toContain('items_fts');
    db.close();
  });

  it('0001 adds full-text search, append-only guards and live counts to a 0000 workspace, keeping its data', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'w.sqlite');
    const db = new Database(path);
    migrate(drizzle(db), { migrationsFolder: olderMigrations(t.dir, 1) });
    db.prepare("INSERT INTO meta (key, value) VALUES ('workspace_id', 'old-ws')").run();
    db.close();

    const ws = openWorkspace(path);
    expect(ws.id).toBe('old-ws');
    expect(tables(ws.sqlite)).toEqual(expect.arrayContaining(['items_fts', 'queue_counts', 'audit_events_no_update', 'audit_events_no_delete']));
    expect(ws.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion());
    ws.sqlite.prepare("INSERT INTO items_fts (rowid, input, output, extra) VALUES (1, 'hello world', 'x', 'esc-1')").run();
    expect(ws.sqlite.prepare("SELECT rowid FROM items_fts WHERE items_fts MATCH 'hello'").pluck().get()).toBe(1);
    ws.sqlite.prepare('DELETE FROM items_fts WHERE rowid = 1').run();
    expect(ws.sqlite.prepare("SELECT count(*) FROM items_fts WHERE items_fts MATCH 'hello'").pluck().get()).toBe(0);
    expect(ws.sqlite.prepare('SELECT count(*) FROM queue_counts').pluck().get()).toBe(0);
    ws.close();
  });

  it('0003 keys the queue on created_ms and ingest lookups on ext_key, backfilling a 0002 workspace', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'w.sqlite');
    const db = new Database(path);
    migrate(drizzle(db), { migrationsFolder: olderMigrations(t.dir, 3) });
    const times = ['2026-01-01T00:00:00.000Z', '2026-10-22T03:15:56.418Z', '1999-12-31T23:59:59.999Z'];
    db.exec("INSERT INTO sources (id, kind, name, uri, created_at) VALUES ('src', 'jsonl', 'q.jsonl', '/q.jsonl', '2026-01-01T00:00:00.000Z')");
    const insert = db.prepare(`INSERT INTO items (id, source_id, external_id, created_at, ingested_at, priority, route, status, revision,
      content_sha256, flag_count, snippet) VALUES (?, 'src', ?, ?, '2026-01-01T00:00:00.000Z', ?, 'trust_safety', 'new', 1, 'h', 0, 's')`);
    times.forEach((c, i) => insert.run(`item-${i}`, `esc_${i}`, c, 2 - i));
    db.close();

    const ws = openWorkspace(path);
    try {
      expect(ws.sqlite.prepare('SELECT external_id AS e, created_ms AS ms, ext_key AS k FROM items ORDER BY seq').all()).toEqual(
        times.map((c, i) => ({ e: `esc_${i}`, ms: Date.parse(c), k: extKey(`esc_${i}`) })),
      );
      const indexes = ws.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items'").pluck().all();
      expect(indexes).toEqual(expect.arrayContaining(['items_ext', 'items_queue']));
      expect(indexes).not.toContain('items_source_external');
      expect(indexes).not.toContain('items_order');
      // The queue pages in (priority, created_ms) order and a re-ingest finds the old rows.
      expect(queuePage(ws.sqlite, {}, null, 10).rows.map((r) => r.externalId)).toEqual(['esc_2', 'esc_1', 'esc_0']);
      expect(findItemSeq(ws.sqlite, 'esc_1')).toBe(2);
    } finally {
      ws.close();
    }
  });

  it('0004 drops the per-row count trigger, keeps the counts, and ingest batches keep them exact', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'w.sqlite');
    const db = new Database(path);
    // 0003 backfills with the function the workspace opener registers.
    db.function('verdict_ext_key', { deterministic: true }, (id: unknown) => extKey(String(id)));
    migrate(drizzle(db), { migrationsFolder: olderMigrations(t.dir, 4) });
    db.exec("INSERT INTO sources (id, kind, name, uri, created_at) VALUES ('src', 'jsonl', 'q.jsonl', '/q.jsonl', '2026-01-01T00:00:00.000Z')");
    const insert = db.prepare(`INSERT INTO items (id, source_id, external_id, ext_key, created_at, created_ms, ingested_at, priority, route, status,
      revision, content_sha256, flag_count, snippet) VALUES (?, 'src', ?, ?, '2026-01-01T00:00:00.000Z', 0, '2026-01-01T00:00:00.000Z', ?, ?, 'new', 1, 'h', 0, 's')`);
    for (let i = 0; i < 30; i++) insert.run(`item-${i}`, `esc_${i}`, extKey(`esc_${i}`), i % 4, i % 3 ? 'trust_safety' : 'clinical');
    const before = db.prepare('SELECT status, route, priority, n FROM queue_counts ORDER BY 1, 2, 3').all();
    db.close();

    const ws = openWorkspace(path);
    try {
      expect(tables(ws.sqlite)).not.toContain('items_count_insert');
      expect(tables(ws.sqlite)).toContain('items_count_update');
      const counts = () => ws.sqlite.prepare('SELECT status, route, priority, n FROM queue_counts WHERE n > 0 ORDER BY 1, 2, 3').all();
      const actual = () =>
        ws.sqlite.prepare('SELECT status, route, priority, count(*) AS n FROM items GROUP BY 1, 2, 3 ORDER BY 1, 2, 3').all();
      expect(counts()).toEqual(before);
      expect(counts()).toEqual(actual());
      const { ingest } = await import('../../electron/core/ingest/ingest.ts');
      const { Readable } = await import('node:stream');
      const recs = ['a', 'b', 'c', 'a'].map((id, i) =>
        JSON.stringify({ id, created_at: '2026-11-01T00:00:00Z', route: i === 1 ? 'legal' : 'clinical', input: 'q', output: `answer ${i}` }),
      );
      await ingest(ws, { path: '-', stream: Readable.from([recs.join('\n') + '\n']), batchSize: 2 });
      expect(counts()).toEqual(actual());
      expect(ws.sqlite.prepare("SELECT n FROM queue_counts WHERE status = 'conflict'").pluck().get()).toBe(1);
    } finally {
      ws.close();
    }
  });

  it('0005 makes every covered table append-only in a 0004 workspace, keeping its rows', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'w.sqlite');
    const db = new Database(path);
    db.function('verdict_ext_key', { deterministic: true }, (id: unknown) => extKey(String(id)));
    migrate(drizzle(db), { migrationsFolder: olderMigrations(t.dir, 5) });
    db.exec("INSERT INTO sources (id, kind, name, uri, created_at) VALUES ('src', 'jsonl', 'q.jsonl', '/q.jsonl', '2026-01-01T00:00:00.000Z')");
    db.exec(`INSERT INTO items (id, source_id, external_id, ext_key, created_at, created_ms, ingested_at, priority, route, status,
      revision, content_sha256, flag_count, snippet) VALUES ('item', 'src', 'esc', 1, 'c', 0, 'i', 1, 'r', 'new', 1, 'h', 0, 's')`);
    db.exec("INSERT INTO quarantine (id, source_id, file, line, byte_offset, error, json_path, raw, raw_bytes, raw_sha256, created_at) VALUES ('q', 'src', 'f', 1, 0, 'e', '$', 'x', 1, 'h', 'c')");
    // Before 0005 a verdict-less item could be deleted outright.
    db.exec("INSERT INTO items (id, source_id, external_id, ext_key, created_at, created_ms, ingested_at, priority, route, status, revision, content_sha256, flag_count, snippet) VALUES ('gone', 'src', 'g', 2, 'c', 0, 'i', 1, 'r', 'new', 1, 'h', 0, 's')");
    db.exec("DELETE FROM items WHERE id = 'gone'");
    db.close();

    const ws = openWorkspace(path);
    try {
      expect(tables(ws.sqlite)).toEqual(
        expect.arrayContaining(['verdicts_no_delete', 'item_revisions_no_delete', 'items_no_delete', 'items_identity_no_update', 'sources_no_delete', 'sources_no_update', 'quarantine_no_update', 'quarantine_no_delete']),
      );
      const s = ws.sqlite;
      expect(s.prepare('SELECT id FROM items').pluck().all()).toEqual(['item']);
      expect(() => s.exec("DELETE FROM items WHERE id = 'item'")).toThrow(/append-only/);
      expect(() => s.exec("UPDATE items SET id = 'x'")).toThrow(/immutable/);
      expect(() => s.exec("DELETE FROM quarantine")).toThrow(/append-only/);
      expect(() => s.exec("UPDATE quarantine SET raw = 'y'")).toThrow(/immutable/);
      expect(() => s.exec("UPDATE sources SET uri = 'y'")).toThrow(/immutable/);
      // What the app changes on an item still changes.
      s.exec("UPDATE items SET status = 'decided', route = 'legal' WHERE id = 'item'");
      expect(s.prepare("SELECT status FROM items WHERE id = 'item'").pluck().get()).toBe('decided');
    } finally {
      ws.close();
    }
  });

  it('0007 gives every verdict of a 0006 workspace an empty per-flag review, and new verdicts keep theirs', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'w.sqlite');
    const db = new Database(path);
    db.function('verdict_ext_key', { deterministic: true }, (id: unknown) => extKey(String(id)));
    migrate(drizzle(db), { migrationsFolder: olderMigrations(t.dir, 7) });
    expect(db.prepare("SELECT count(*) FROM pragma_table_info('verdicts') WHERE name = 'flag_reviews'").pluck().get()).toBe(0);
    db.exec("INSERT INTO sources (id, kind, name, uri, created_at) VALUES ('src', 'jsonl', 'q.jsonl', '/q.jsonl', '2026-01-01T00:00:00.000Z')");
    db.exec(`INSERT INTO items (id, source_id, external_id, ext_key, created_at, created_ms, ingested_at, priority, route, status,
      revision, content_sha256, flag_count, snippet) VALUES ('item', 'src', 'esc', 1, 'c', 0, 'i', 1, 'r', 'decided', 1, 'h', 1, 's')`);
    db.exec(`INSERT INTO verdicts (id, item_seq, revision_id, kind, reviewer, decision, labels, decided_at, audit_seq)
      VALUES ('old-verdict', 1, 'rev', 'verdict', 'ana', 'dismiss', '[]', '2026-01-01T00:00:00.000Z', 1)`);
    db.close();

    const ws = openWorkspace(path);
    try {
      expect(ws.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion());
      expect(getVerdict(ws.sqlite, 'old-verdict')).toMatchObject({ decision: 'dismiss', flagReviews: [] });
      // Still append-only after the ALTER: the guard from 0001 covers the new column.
      expect(() => ws.sqlite.exec(`UPDATE verdicts SET flag_reviews = '[{"accepted":false,"flag":0}]'`)).toThrow(/immutable|append-only/);
    } finally {
      ws.close();
    }
  });

  it('0008 keeps the audit tree\'s right edge from the first append on, and audit verify checks it', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'w.sqlite');
    const db = new Database(path);
    db.function('verdict_ext_key', { deterministic: true }, (id: unknown) => extKey(String(id)));
    migrate(drizzle(db), { migrationsFolder: olderMigrations(t.dir, 8) });
    // A 0007 workspace with a log: appended by today's code, which finds no edge table to save to.
    const old = new AuditLog(db);
    db.transaction(() => {
      for (let i = 0; i < 5; i++) old.append('test.event', { i });
    }).immediate();
    const oldHead = old.head();
    db.close();

    const ws = openWorkspace(path);
    try {
      const s = ws.sqlite;
      expect(s.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion());
      expect(s.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'metric_items_%' ORDER BY name").pluck().all()).toEqual([
        'metric_items_day',
        'metric_items_deployment',
        'metric_items_flagged',
        'metric_items_open',
        'metric_items_reviewer',
      ]);
      expect(s.prepare('SELECT count(*) FROM audit_frontier').pluck().get()).toBe(0);
      expect(ws.audit.head()).toEqual(oldHead);
      s.transaction(() => ws.audit.append('test.event', { i: 5 })).immediate();
      const row = s.prepare('SELECT size, nodes FROM audit_frontier').get() as { size: number; nodes: Buffer };
      // 6 events: perfect subtrees of 4 and 2 leaves.
      expect(row.size).toBe(6);
      expect(row.nodes.length).toBe(64);
      const fromEdge = Frontier.fromStored(row)!;
      expect(fromEdge.head()).toEqual(ws.audit.head());
      // Another log instance (nothing cached) continues from the saved edge; the chain stays whole.
      const other = new AuditLog(s);
      s.transaction(() => other.append('test.event', { i: 6 })).immediate();
      expect(ws.audit.verify()).toMatchObject({ ok: true, head: { size: 7 } });
      // A forged edge is caught by verify.
      s.prepare('UPDATE audit_frontier SET nodes = ?').run(Buffer.alloc(96, 7));
      const bad = ws.audit.verify();
      expect(bad.ok).toBe(false);
      expect(bad.ok ? '' : bad.reason).toMatch(/saved audit frontier/);
      // A rollback takes the edge back with its event.
      s.prepare('DELETE FROM audit_frontier').run();
      s.transaction(() => ws.audit.append('test.event', { i: 7 })).immediate();
      const size = s.prepare('SELECT size FROM audit_frontier').pluck().get();
      expect(() =>
        s.transaction(() => {
          ws.audit.append('test.event', { i: 8 });
          throw new Error('rolled back');
        }).immediate(),
      ).toThrow('rolled back');
      expect(s.prepare('SELECT size FROM audit_frontier').pluck().get()).toBe(size);
      s.transaction(() => ws.audit.append('test.event', { i: 9 })).immediate();
      expect(ws.audit.verify()).toMatchObject({ ok: true, head: { size: 9 } });
    } finally {
      ws.close();
    }
  });

  it('0012 adds the team batch to a 0007 workspace, keeping its data; an unknown state is refused', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'w.sqlite');
    const db = new Database(path);
    db.function('verdict_ext_key', { deterministic: true }, (id: unknown) => extKey(String(id)));
    migrate(drizzle(db), { migrationsFolder: olderMigrations(t.dir, 8) });
    expect(tables(db)).not.toContain('team_batch');
    db.exec("INSERT INTO settings (key, value, updated_at) VALUES ('reviewer', 'ana', '2026-01-01T00:00:00.000Z')");
    db.close();

    const ws = openWorkspace(path);
    try {
      expect(ws.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion());
      expect(ws.sqlite.prepare("SELECT value FROM settings WHERE key = 'reviewer'").pluck().get()).toBe('ana');
      const n = insertClaims(ws.sqlite, 'ana@postgres://h/v', [{ itemId: 'i1', token: '7', route: 'r', record: '{}', expiresAt: '2026-01-01T00:10:00.000Z' }], '2026-01-01T00:00:00.000Z');
      expect(n).toBe(1);
      expect(batchRows(ws.sqlite, 'ana@postgres://h/v')).toMatchObject([{ itemId: 'i1', token: '7', state: 'claimed', verdict: null }]);
      expect(() => ws.sqlite.exec("UPDATE team_batch SET state = 'lost'")).toThrow(/CHECK/);
    } finally {
      ws.close();
    }
  });

  it('0015 adds the covering ratings index and keeps an amended adjudication in force over a later import in the metric view', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'w.sqlite');
    const db = new Database(path);
    db.function('verdict_ext_key', { deterministic: true }, (id: unknown) => extKey(String(id)));
    migrate(drizzle(db), { migrationsFolder: olderMigrations(t.dir, 12) });
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'verdicts_ratings'").pluck().get()).toBe(0);
    db.exec("INSERT INTO sources (id, kind, name, uri, created_at) VALUES ('src', 'jsonl', 'q.jsonl', '/q.jsonl', '2026-01-01T00:00:00.000Z')");
    db.exec(`INSERT INTO items (id, source_id, external_id, ext_key, created_at, created_ms, ingested_at, priority, route, status,
      revision, content_sha256, flag_count, snippet) VALUES ('item', 'src', 'esc', 1, 'c', 0, 'i', 1, 'r', 'decided', 1, 'h', 1, 's')`);
    db.exec(`INSERT INTO verdicts (id, item_seq, revision_id, kind, supersedes, reviewer, decision, labels, decided_at, audit_seq) VALUES
      ('v1', 1, 'rev', 'import', NULL, 'ana', 'violation', '[]', '2026-01-01T00:00:00.000Z', 1),
      ('v2', 1, 'rev', 'import', NULL, 'ben', 'dismiss', '[]', '2026-01-01T00:00:01.000Z', 2),
      ('adj', 1, 'rev', 'adjudication', NULL, 'lead', 'violation', '[]', '2026-01-01T00:00:02.000Z', 3),
      ('amd', 1, 'rev', 'amendment', 'adj', 'lead', 'dismiss', '[]', '2026-01-01T00:00:03.000Z', 4),
      ('late', 1, 'rev', 'import', NULL, 'cy', 'violation', '[]', '2026-01-01T00:00:04.000Z', 5)`);
    const cur = (s: Database.Database) => s.prepare('SELECT v.id FROM metric_item_verdicts m JOIN verdicts v ON v.seq = m.cur_seq').pluck().get();
    expect(cur(db)).toBe('late'); // the bug 0015 fixes
    db.close();

    const ws = openWorkspace(path);
    try {
      expect(ws.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion());
      expect(cur(ws.sqlite)).toBe('amd');
      expect(ws.sqlite.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'verdicts_ratings'").pluck().get()).toBe(1);
      // The views built on it still read.
      expect(ws.sqlite.prepare('SELECT count(*) FROM metric_item_facts').pluck().get()).toBe(0); // no revision row in this fixture
    } finally {
      ws.close();
    }
  });

  it('0018 adds agreement_items, backfilled from a 0015 workspace\'s verdicts, and the route trigger', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'w.sqlite');
    const db = new Database(path);
    db.function('verdict_ext_key', { deterministic: true }, (id: unknown) => extKey(String(id)));
    migrate(drizzle(db), { migrationsFolder: olderMigrations(t.dir, 14) });
    expect(tables(db)).not.toContain('agreement_items');
    db.exec("INSERT INTO sources (id, kind, name, uri, created_at) VALUES ('src', 'jsonl', 'q.jsonl', '/q.jsonl', '2026-01-01T00:00:00.000Z')");
    db.exec(`INSERT INTO items (id, source_id, external_id, ext_key, created_at, created_ms, ingested_at, priority, route, status,
      revision, content_sha256, flag_count, snippet) VALUES ('i1', 'src', 'e1', 1, 'c', 0, 'i', 1, 'r', 'decided', 1, 'h', 1, 's'),
      ('i2', 'src', 'e2', 2, 'c', 0, 'i', 1, 'clinical', 'decided', 1, 'h', 1, 's'), ('i3', 'src', 'e3', 3, 'c', 0, 'i', 1, 'r', 'new', 1, 'h', 1, 's')`);
    db.exec(`INSERT INTO verdicts (id, item_seq, revision_id, kind, supersedes, reviewer, decision, labels, decided_at, audit_seq) VALUES
      ('v1', 1, 'rev', 'import', NULL, 'ana', 'violation', '["S1"]', '2026-01-05T00:00:00.000Z', 1),
      ('v2', 1, 'rev', 'import', NULL, 'ben', 'dismiss', '[]', '2026-02-05T00:00:00.000Z', 2),
      ('v3', 1, 'rev', 'amendment', 'v1', 'ana', 'dismiss', '[]', '2026-03-05T00:00:00.000Z', 3),
      ('v4', 1, 'rev', 'import', NULL, 'cy', 'skip', '[]', '2026-03-06T00:00:00.000Z', 4),
      ('v5', 1, 'rev', 'adjudication', NULL, 'lead', 'violation', '[]', '2026-03-07T00:00:00.000Z', 5),
      ('w1', 2, 'rev', 'import', NULL, 'ana', 'violation', '["S1","S4"]', '2026-01-05T00:00:00.000Z', 6),
      ('w2', 2, 'rev', 'import', NULL, 'ben', 'violation', '["S4"]', '2026-01-06T00:00:00.000Z', 7),
      ('w3', 2, 'rev', 'import', NULL, 'cy', 'escalate', '[]', '2026-01-07T00:00:00.000Z', 8),
      ('w4', 2, 'rev', 'undo', 'w3', 'cy', 'retracted', '[]', '2026-01-08T00:00:00.000Z', 9)`);
    db.close();

    const ws = openWorkspace(path);
    try {
      expect(ws.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion());
      const rows = () => ws.sqlite.prepare('SELECT * FROM agreement_items ORDER BY item_seq').all();
      // Item 1: ana's amendment replaces her import, cy's skip and the adjudication are no ratings.
      // Item 2: cy's escalation was undone. Item 3 has no ratings, so no row.
      expect(rows()).toEqual([
        { item_seq: 1, route: 'r', period: '2026-02', m: 2, c0: 0, c1: 2, c2: 0, raters: '[["ana","dismiss"],["ben","dismiss"]]', labels: '[]' },
        { item_seq: 2, route: 'clinical', period: '2026-01', m: 2, c0: 2, c1: 0, c2: 0, raters: '[["ana","violation"],["ben","violation"]]', labels: '[["S1","S4"],["S4"]]' },
      ]);
      expect(ws.sqlite.prepare(`${agreementItemsSelectSql()} ORDER BY g.item_seq`).all()).toEqual(rows());
      // The migration holds the backfill statement the code defines.
      const sql = readFileSync(join(migrationsFolder(), '0018_agreement_items.sql'), 'utf8');
      expect(sql).toContain(agreementItemsBackfillSql());
      // A route change reaches the summary through the trigger.
      ws.sqlite.exec("UPDATE items SET route = 'legal' WHERE seq = 2");
      expect(ws.sqlite.prepare('SELECT route FROM agreement_items WHERE item_seq = 2').pluck().get()).toBe('legal');
      // The report from the summary equals the report from every rating.
      expect(agreementReport(ratingPatterns(ws.sqlite), { seed: 5 })).toEqual(agreementReport(ratingColumns(ws.sqlite), { seed: 5 }));
      expect(agreementReport(ratingPatterns(ws.sqlite)).byLabel.map((l) => [l.label, l.alpha.items])).toEqual([['S1', 2], ['S4', 2]]);
    } finally {
      ws.close();
    }
  });

  it('0010 adds the append-only item_actions table and makes an adjudication the verdict in force in the metric views', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'w.sqlite');
    const db = new Database(path);
    db.function('verdict_ext_key', { deterministic: true }, (id: unknown) => extKey(String(id)));
    migrate(drizzle(db), { migrationsFolder: olderMigrations(t.dir, 8) });
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'item_actions'").pluck().get()).toBe(0);
    db.exec("INSERT INTO sources (id, kind, name, uri, created_at) VALUES ('src', 'jsonl', 'q.jsonl', '/q.jsonl', '2026-01-01T00:00:00.000Z')");
    db.exec(`INSERT INTO items (id, source_id, external_id, ext_key, created_at, created_ms, ingested_at, priority, route, status,
      revision, content_sha256, flag_count, snippet) VALUES ('item', 'src', 'esc', 1, 'c', 0, 'i', 1, 'r', 'decided', 1, 'h', 1, 's')`);
    db.exec(`INSERT INTO verdicts (id, item_seq, revision_id, kind, reviewer, decision, labels, decided_at, audit_seq) VALUES
      ('v1', 1, 'rev', 'import', 'ana', 'violation', '[]', '2026-01-01T00:00:00.000Z', 1),
      ('v2', 1, 'rev', 'import', 'ben', 'dismiss', '[]', '2026-01-01T00:00:01.000Z', 2)`);
    db.close();

    const ws = openWorkspace(path);
    try {
      expect(ws.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion());
      ws.sqlite.exec(`INSERT INTO verdicts (id, item_seq, revision_id, kind, reviewer, decision, labels, decided_at, audit_seq) VALUES
        ('adj', 1, 'rev', 'adjudication', 'lead', 'violation', '[]', '2026-01-01T00:00:02.000Z', 3),
        ('late', 1, 'rev', 'import', 'cy', 'dismiss', '[]', '2026-01-01T00:00:03.000Z', 4)`);
      expect(ws.sqlite.prepare("SELECT v.id FROM metric_item_verdicts m JOIN verdicts v ON v.seq = m.cur_seq").pluck().get()).toBe('adj');
      ws.sqlite.exec(`INSERT INTO item_actions (id, item_seq, kind, reason, data, actor, at, audit_seq) VALUES ('h', 1, 'hold', 'r', '{}', 'ana', 'now', 5)`);
      expect(() => ws.sqlite.exec("UPDATE item_actions SET reason = 'x'")).toThrow(/immutable/);
      expect(() => ws.sqlite.exec('DELETE FROM item_actions')).toThrow(/append-only/);
    } finally {
      ws.close();
    }
  });

  it('0009 gives old verdicts no span edits and fills the facets table from the items; ingest and revisions keep it exact', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'w.sqlite');
    const db = new Database(path);
    db.function('verdict_ext_key', { deterministic: true }, (id: unknown) => extKey(String(id)));
    migrate(drizzle(db), { migrationsFolder: olderMigrations(t.dir, 8) });
    expect(db.prepare("SELECT count(*) FROM pragma_table_info('verdicts') WHERE name = 'span_edits'").pluck().get()).toBe(0);
    db.exec("INSERT INTO sources (id, kind, name, uri, created_at) VALUES ('src', 'jsonl', 'q.jsonl', '/q.jsonl', '2026-01-01T00:00:00.000Z')");
    const add = db.prepare(`INSERT INTO items (id, source_id, external_id, ext_key, created_at, created_ms, ingested_at, priority, route, status,
      revision, content_sha256, flag_count, snippet, model, top_flag_category, top_flag_policy) VALUES (?, 'src', ?, 1, 'c', 0, 'i', 1, 'r', 'new', 1, 'h', 1, 's', ?, ?, ?)`);
    add.run('a', 'a', 'gpt-x', 'S6', null);
    add.run('b', 'b', 'gpt-x', 'S1', 'p1');
    add.run('c', 'c', null, 'S6', 'p1');
    db.exec(`INSERT INTO verdicts (id, item_seq, revision_id, kind, reviewer, decision, labels, decided_at, audit_seq)
      VALUES ('old-verdict', 1, 'rev', 'verdict', 'ana', 'dismiss', '[]', '2026-01-01T00:00:00.000Z', 1)`);
    db.close();

    const ws = openWorkspace(path);
    try {
      expect(ws.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(codeSchemaVersion());
      expect(getVerdict(ws.sqlite, 'old-verdict')).toMatchObject({ decision: 'dismiss', spanEdits: [], routeFields: {} });
      const facets = () => ws.sqlite.prepare('SELECT kind, value, n FROM item_facets WHERE n > 0 ORDER BY kind, value').all();
      expect(facets()).toEqual([
        { kind: 'flag_category', value: 'S1', n: 1 },
        { kind: 'flag_category', value: 'S6', n: 2 },
        { kind: 'flag_policy', value: 'p1', n: 2 },
        { kind: 'model', value: 'gpt-x', n: 2 },
      ]);
      expect(itemFacets(ws.sqlite)).toMatchObject({ models: ['gpt-x'], flagCategories: ['S1', 'S6'], flagPolicies: ['p1'] });
      // A new revision that changes the model and the top flag moves the counts (trigger).
      ws.sqlite.exec("UPDATE items SET model = 'gpt-y', top_flag_category = NULL WHERE id = 'a'");
      expect(itemFacets(ws.sqlite)).toMatchObject({ models: ['gpt-x', 'gpt-y'], flagCategories: ['S1', 'S6'] });
      expect(ws.sqlite.prepare("SELECT n FROM item_facets WHERE kind = 'flag_category' AND value = 'S6'").pluck().get()).toBe(1);
      expect(() => ws.sqlite.exec(`UPDATE verdicts SET span_edits = '[{"flag":0,"op":"reject","span":0}]'`)).toThrow(/immutable|append-only/);
    } finally {
      ws.close();
    }
  });

  it('opens with the pragmas a durable workspace needs', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const ws = openWorkspace(join(t.dir, 'w.sqlite'));
    expect(ws.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(ws.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(ws.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    ws.close();
  });

  it('refuses a workspace written by a newer schema with a clear message', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'w.sqlite');
    openWorkspace(path).close();
    const db = new Database(path);
    db.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', Date.now() + 10 ** 10);
    db.close();
    expect(() => openWorkspace(path)).toThrow(/written by a newer Verdict.*update Verdict/);
  });

  it('refuses a file that is not a workspace', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'notes.txt');
    writeFileSync(path, 'this is not sqlite'.repeat(100));
    expect(() => openWorkspace(path)).toThrow(/not a Verdict workspace/);
  });
});
