import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { findItemSeq, getItem } from '../../db/queries/items.ts';
import { findSourceByUri } from '../../db/queries/sources.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import type { ResultLine } from '../../electron/core/sync/format.ts';
import type { Workspace } from '../../electron/core/workspace/open.ts';

export const CLI = new URL('./cli.mjs', import.meta.url).pathname;

export const rec = (id: string) => JSON.stringify({ id, created_at: '2026-11-01T00:00:00Z', input: `q ${id}`, output: `answer ${id}` });

/**
 * Three sources: a file (`queue.jsonl`, items f0..f{n-1}), a folder (`inbox/`, items d0, d1 and
 * also "shared"), and stdin (items s0, s1 and also "shared", so "shared" is ambiguous).
 */
export async function seed(ws: Workspace, dir: string, n = 3) {
  const file = join(dir, 'queue.jsonl');
  writeFileSync(file, Array.from({ length: n }, (_, i) => rec(`f${i}`)).join('\n') + '\n');
  await ingest(ws, { path: file });
  const folder = join(dir, 'inbox');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'a.jsonl'), [rec('d0'), rec('d1'), rec('shared')].join('\n') + '\n');
  await ingest(ws, { path: folder });
  await ingest(ws, { path: '-', name: 'live', stream: Readable.from([[rec('s0'), rec('s1'), rec('shared')].join('\n') + '\n']) });
  const source = (uri: string) => findSourceByUri(ws.sqlite, uri)!;
  return {
    file,
    folder,
    fileSource: source(file),
    folderSource: source(folder),
    stdinSource: source('stdin:live'),
    fileResults: `${file}.verdicts.jsonl`,
    folderResults: join(folder, 'inbox.verdicts.jsonl'),
    item: (external: string) => getItem(ws.sqlite, findItemSeq(ws.sqlite, external)!)!,
  };
}

/** Parsed results lines; lines that are not JSON (a torn write) are counted, not returned. */
export function readResults(path: string): { lines: ResultLine[]; torn: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { lines: [], torn: 0 };
  }
  const lines: ResultLine[] = [];
  let torn = 0;
  for (const l of text.split('\n')) {
    if (l === '') continue;
    try {
      lines.push(JSON.parse(l) as ResultLine);
    } catch {
      torn++;
    }
  }
  return { lines, torn };
}

export const outboxRows = (ws: Workspace) =>
  ws.sqlite
    .prepare('SELECT verdict_id AS verdictId, source_id AS sourceId, state, attempts, last_error AS lastError FROM outbox ORDER BY seq')
    .all() as { verdictId: string; sourceId: string; state: string; attempts: number; lastError: string | null }[];
