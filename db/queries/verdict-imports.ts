/**
 * The verdict importer's SQL (electron/core/sync/import.ts): finding the item a line names, the
 * record of each imported line (so a re-import is a no-op) and the quarantine of bad lines.
 * Prepared once per importer; every call runs inside the importer's write transaction.
 */
import type Database from 'better-sqlite3';

export interface BadImportLine {
  id: string;
  file: string;
  line: number;
  byteOffset: number;
  error: string;
  jsonPath: string;
  raw: string;
  rawBytes: number;
  rawSha256: string;
  createdAt: string;
}

export interface ImportStatements {
  itemById(id: string): { id: string; sourceId: string } | undefined;
  itemByExternal(extKey: number, sourceId: string, externalId: string): { id: string } | undefined;
  /** Whether this line (by its key) was imported or quarantined before. */
  seen(key: string): boolean;
  record(key: string, verdictId: string | null, quarantineId: string | null, file: string, line: number, createdAt: string): void;
  quarantine(bad: BadImportLine): void;
}

export function importStatements(sqlite: Database.Database): ImportStatements {
  const byId = sqlite.prepare<[string], { id: string; sourceId: string }>('SELECT id, source_id AS sourceId FROM items WHERE id = ?');
  const byExternal = sqlite.prepare<[number, string, string], { id: string }>('SELECT id FROM items WHERE ext_key = ? AND source_id = ? AND external_id = ?');
  const seen = sqlite.prepare<[string], { key: string }>('SELECT key FROM verdict_imports WHERE key = ?');
  const record = sqlite.prepare<[string, string | null, string | null, string, number, string]>(
    'INSERT INTO verdict_imports (key, verdict_id, quarantine_id, file, line, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const quarantine = sqlite.prepare(
    `INSERT INTO quarantine (id, source_id, file, line, byte_offset, error, json_path, raw, raw_bytes, raw_sha256, created_at)
     VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    itemById: (id) => byId.get(id),
    itemByExternal: (key, sourceId, externalId) => byExternal.get(key, sourceId, externalId),
    seen: (key) => seen.get(key) !== undefined,
    record: (key, verdictId, quarantineId, file, line, createdAt) => void record.run(key, verdictId, quarantineId, file, line, createdAt),
    quarantine: (b) => void quarantine.run(b.id, b.file, b.line, b.byteOffset, b.error, b.jsonPath, b.raw, b.rawBytes, b.rawSha256, b.createdAt),
  };
}
