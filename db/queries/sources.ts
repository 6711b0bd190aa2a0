/** Registered sources and how far each of their files has been read. */
import type Database from 'better-sqlite3';
import { and, eq } from 'drizzle-orm';
import { sourceFiles, sources } from '../schema.ts';
import { typed } from '../typed.ts';
import { newId, nowIso } from '../util/ids.ts';

/** Rows as db/schema.ts defines them (drizzle's inferred types, no hand-written copy). */
export type SourceRow = typeof sources.$inferSelect;
export type SourceFileRow = typeof sourceFiles.$inferSelect;

export function findSourceByUri(sqlite: Database.Database, uri: string): SourceRow | undefined {
  return typed(sqlite).select().from(sources).where(eq(sources.uri, uri)).get();
}

export function listSources(sqlite: Database.Database): SourceRow[] {
  return typed(sqlite).select().from(sources).orderBy(sources.createdAt).all();
}

/** Inserts the source row; the caller writes the audit event in the same transaction. */
export function insertSource(
  sqlite: Database.Database,
  s: Pick<SourceRow, 'kind' | 'name' | 'uri' | 'preset' | 'mapping'>,
): SourceRow {
  const row: SourceRow = { id: newId(), createdAt: nowIso(), ...s };
  sqlite
    .prepare('INSERT INTO sources (id, kind, name, uri, preset, mapping, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(row.id, row.kind, row.name, row.uri, row.preset, row.mapping, row.createdAt);
  return row;
}

export function getSourceFile(sqlite: Database.Database, sourceId: string, path: string): SourceFileRow | undefined {
  return typed(sqlite)
    .select()
    .from(sourceFiles)
    .where(and(eq(sourceFiles.sourceId, sourceId), eq(sourceFiles.path, path)))
    .get();
}

export function listSourceFiles(sqlite: Database.Database, sourceId: string): SourceFileRow[] {
  return typed(sqlite).select().from(sourceFiles).where(eq(sourceFiles.sourceId, sourceId)).orderBy(sourceFiles.path).all();
}

export function saveSourceFile(
  sqlite: Database.Database,
  f: Omit<SourceFileRow, 'id' | 'updatedAt'>,
): void {
  sqlite
    .prepare(
      `INSERT INTO source_files (id, source_id, path, size, offset, lines, prefix_sha256, tail_sha256, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (source_id, path) DO UPDATE SET size = excluded.size, offset = excluded.offset, lines = excluded.lines,
         prefix_sha256 = excluded.prefix_sha256, tail_sha256 = excluded.tail_sha256, updated_at = excluded.updated_at`,
    )
    .run(newId(), f.sourceId, f.path, f.size, f.offset, f.lines, f.prefixSha256, f.tailSha256, nowIso());
}

/** Items and quarantined lines a source has contributed. */
export function sourceCounts(sqlite: Database.Database, sourceId: string): { items: number; quarantined: number } {
  return {
    items: sqlite.prepare('SELECT count(*) FROM items WHERE source_id = ?').pluck().get(sourceId) as number,
    quarantined: sqlite.prepare('SELECT count(*) FROM quarantine WHERE source_id = ?').pluck().get(sourceId) as number,
  };
}

/** The first item with this external id from the source of this name (the demo's review history finds its items so). */
export function itemIdInSource(sqlite: Database.Database): (externalId: string, sourceName: string) => string | undefined {
  const find = sqlite
    .prepare<[string, string], string>('SELECT i.id FROM items i JOIN sources s ON s.id = i.source_id WHERE i.external_id = ? AND s.name = ? ORDER BY i.seq LIMIT 1')
    .pluck();
  return (externalId, sourceName) => find.get(externalId, sourceName);
}
