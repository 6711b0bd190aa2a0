/** Workspace settings: one text value per key (reviewer name, taxonomy, link hosts...). */
import type Database from 'better-sqlite3';

export function settingValue(sqlite: Database.Database, key: string): string | undefined {
  return sqlite.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
}

/** Inserts or replaces a setting; the caller holds the write transaction and writes its audit event. */
export function writeSetting(sqlite: Database.Database, key: string, value: string, at: string): void {
  sqlite
    .prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    )
    .run(key, value, at);
}
