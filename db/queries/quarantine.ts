/** Lines that could not be ingested, with why and where. */
import type Database from 'better-sqlite3';

export interface QuarantineRow {
  seq: number;
  id: string;
  sourceId: string | null;
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

export function listQuarantine(sqlite: Database.Database, limit: number, beforeSeq?: number): QuarantineRow[] {
  return sqlite
    .prepare(
      `SELECT seq, id, source_id AS sourceId, file, line, byte_offset AS byteOffset, error, json_path AS jsonPath, raw,
         raw_bytes AS rawBytes, raw_sha256 AS rawSha256, created_at AS createdAt
       FROM quarantine WHERE seq < ? ORDER BY seq DESC LIMIT ?`,
    )
    .all(beforeSeq ?? Number.MAX_SAFE_INTEGER, limit) as QuarantineRow[];
}

export function quarantineCount(sqlite: Database.Database): number {
  return sqlite.prepare('SELECT count(*) FROM quarantine').pluck().get() as number;
}
