/**
 * The workspace's own bookkeeping: the meta key/value rows written when a workspace is created,
 * what drizzle recorded of applied migrations, and the table list a file check reads.
 */
import type Database from 'better-sqlite3';

/** Applied migrations (count and newest journal timestamp), or null before the first migration. */
export function appliedMigrations(sqlite: Database.Database): { n: number; last: number | null } | null {
  const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  if (!hasTable) return null;
  return sqlite.prepare<[], { n: number; last: number | null }>('SELECT count(*) AS n, max(created_at) AS last FROM __drizzle_migrations').get()!;
}

export function metaValue(sqlite: Database.Database, key: string): string | undefined {
  return sqlite.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck().get(key);
}

/** Writes the rows a new workspace is known by, in one transaction (its caller holds no other). */
export function stampWorkspace(sqlite: Database.Database, rows: { workspaceId: string; createdAt: string; kind: 'demo' | 'workspace' }): void {
  const put = sqlite.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  sqlite.transaction(() => {
    put.run('workspace_id', rows.workspaceId);
    put.run('created_at', rows.createdAt);
    put.run('kind', rows.kind);
  }).immediate();
}

export function tableNames(sqlite: Database.Database): Set<string> {
  return new Set(sqlite.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all());
}
