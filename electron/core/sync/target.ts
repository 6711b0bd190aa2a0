/**
 * Where a source's verdicts go back to. A JSONL file source gets `<file>.verdicts.jsonl` beside
 * it; a folder source gets `<folder>/<folder name>.verdicts.jsonl` inside it (ingest skips
 * files ending `.verdicts.jsonl`, so the results never come back in as escalations). Other
 * kinds (stdin, the demo, postgres, import) have no return path.
 */
import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { RETURN_PATH_KINDS } from '../../../db/queries/outbox.ts';
import { getSourceFile, type SourceRow } from '../../../db/queries/sources.ts';

export const RESULTS_SUFFIX = '.verdicts.jsonl';

export type SyncTarget = { kind: 'file'; path: string } | { kind: 'none'; reason: string };

export function hasReturnPath(kind: SourceRow['kind']): boolean {
  return RETURN_PATH_KINDS.includes(kind);
}

export function syncTarget(sqlite: Database.Database, source: Pick<SourceRow, 'id' | 'kind' | 'uri'>): SyncTarget {
  if (!hasReturnPath(source.kind)) return { kind: 'none', reason: `a ${source.kind} source has no return path` };
  let isFolder: boolean;
  try {
    isFolder = statSync(source.uri).isDirectory();
  } catch {
    // Gone (or unreachable): the source was a file if ingest read the uri itself as a file.
    isFolder = !getSourceFile(sqlite, source.id, source.uri);
  }
  const path = isFolder
    ? join(source.uri, `${basename(source.uri) || 'source'}${RESULTS_SUFFIX}`)
    : `${source.uri}${RESULTS_SUFFIX}`;
  return { kind: 'file', path };
}
