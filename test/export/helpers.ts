/** Shared setup for the export tests: real workspaces, real ingest, real verdicts. */
import { createReadStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import type { EscalationRecord, EscalationRecordInput } from '../../electron/core/record/schema.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import type { Workspace } from '../../electron/core/workspace/open.ts';

export interface ItemRef {
  seq: number;
  id: string;
  externalId: string;
  record: EscalationRecord;
}

/** Writes records as JSONL into `dir` and ingests them. */
export async function ingestRecords(ws: Workspace, dir: string, records: EscalationRecordInput[], name = 'records.jsonl'): Promise<void> {
  const file = join(dir, name);
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const s = await ingest(ws, { path: file });
  if (s.quarantined > 0) throw new Error(`${s.quarantined} test records were quarantined`);
}

export function itemsOf(ws: Workspace): ItemRef[] {
  return (
    ws.sqlite
      .prepare(
        `SELECT i.seq, i.id, i.external_id AS externalId, r.record FROM items i
         JOIN item_revisions r ON r.item_seq = i.seq AND r.revision = i.revision ORDER BY i.seq`,
      )
      .all() as { seq: number; id: string; externalId: string; record: string }[]
  ).map((r) => ({ ...r, record: JSON.parse(r.record) as EscalationRecord }));
}

/** Records `fn(item)`'s verdict for every item in one outer transaction (each submit nests as a savepoint). */
export function reviewAll(
  ws: Workspace,
  fn: (item: ItemRef, i: number) => Parameters<ReviewService['submit']>[0] | null,
): void {
  const review = new ReviewService(ws);
  const items = itemsOf(ws);
  ws.sqlite.transaction(() => {
    items.forEach((item, i) => {
      const v = fn(item, i);
      if (v) review.submit(v);
    });
  })();
}

export async function readHhPairs(path: string): Promise<{ chosen: string; rejected: string }[]> {
  const out: { chosen: string; rejected: string }[] = [];
  const rl = createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of rl) if (line.trim()) out.push(JSON.parse(line) as { chosen: string; rejected: string });
  return out;
}

/** All JSONL rows of one split (shards in order), or of all splits (train, validation, test). */
export function readJsonlRows(dir: string, split?: string): Record<string, unknown>[] {
  const splits = split ? [split] : ['train', 'validation', 'test'];
  const rows: Record<string, unknown>[] = [];
  for (const s of splits) {
    for (const f of shardFiles(dir, s, 'jsonl')) {
      for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) if (line) rows.push(JSON.parse(line) as Record<string, unknown>);
    }
  }
  return rows;
}

export function shardFiles(dir: string, split: string, ext: string): string[] {
  return readdirSync(join(dir, 'data'))
    .filter((f) => f.startsWith(`${split}-`) && f.endsWith(`.${ext}`))
    .sort()
    .map((f) => `data/${f}`);
}

export async function readParquetRows(dir: string, split?: string): Promise<Record<string, unknown>[]> {
  const splits = split ? [split] : ['train', 'validation', 'test'];
  const rows: Record<string, unknown>[] = [];
  for (const s of splits) {
    for (const f of shardFiles(dir, s, 'parquet')) {
      const file = await asyncBufferFromFile(join(dir, f));
      rows.push(...((await parquetReadObjects({ file })) as Record<string, unknown>[]));
    }
  }
  return rows;
}

export function readItemsJsonl(dir: string): { item_id: string; verdict_id: string; revision_id: string; split: string }[] {
  return readFileSync(join(dir, 'items.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { item_id: string; verdict_id: string; revision_id: string; split: string });
}

/** A minimal valid escalation record. */
export function record(id: string, over: Partial<EscalationRecordInput> = {}): EscalationRecordInput {
  return {
    id,
    created_at: '2026-10-01T12:00:00Z',
    input: { messages: [{ role: 'user', content: `question ${id}` }] },
    output: { messages: [{ role: 'assistant', content: `answer ${id}` }] },
    ...over,
  };
}
