/**
 * Escalations into the team queue: the local validator (parseLine: schema, depth, UTF-8,
 * normalization), the same idempotency (record id + content hash: duplicate, revision or new)
 * and quarantine with reason and location. Also the inbox processor.
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type pg from 'pg';
import { ingestTeamRecordsInTransaction, quarantineTeamLines, takeInbox, type QuarantineRow, type TeamRecordRow } from '../../../db/team/ingest.ts';
import { mapperForOptions } from '../ingest/ingest.ts';
import { parseLine, type Mapper } from '../ingest/parse.ts';
import { readLines } from '../ingest/lines.ts';
import { DEFAULT_MAX_LINE_BYTES } from '../ingest/parse.ts';
import { teamClient } from './connect.ts';
import { teamError } from './errors.ts';

export interface TeamIngestSummary {
  read: number;
  ingested: number;
  duplicates: number;
  revisions: number;
  quarantined: number;
}

const decoder = new TextDecoder();

type Outcome = { ok: true; row: TeamRecordRow } | { ok: false; q: QuarantineRow };

/** Validates one line of text the way a local ingest does (through the preset's or mapping's mapper, if any). */
export function validateForTeam(text: string, source: string, location: string, mapper?: Mapper): Outcome {
  const o = parseLine(text, mapper);
  if (!o.ok) return { ok: false, q: { source, location, reason: o.error, jsonPath: o.jsonPath, raw: text.slice(0, 65536) } };
  const recordText = decoder.decode(o.rec.json);
  return {
    ok: true,
    row: {
      extId: o.rec.externalId,
      source,
      route: o.rec.summary.route,
      priority: o.rec.summary.priority,
      createdAt: o.rec.createdAt,
      contentSha256: o.rec.contentSha256,
      recordText,
    },
  };
}

async function writeBatch(client: pg.ClientBase, good: TeamRecordRow[], bad: QuarantineRow[], sum: TeamIngestSummary): Promise<void> {
  // Quarantine and items of one batch commit together: a crash never leaves a line half-handled.
  await client.query('BEGIN');
  try {
    const out = await ingestTeamRecordsInTransaction(client, good);
    await quarantineTeamLines(client, bad);
    await client.query('COMMIT');
    for (const o of out) {
      if (o === 'new') sum.ingested++;
      else if (o === 'duplicate') sum.duplicates++;
      else sum.revisions++;
    }
    sum.quarantined += bad.length;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

function open(path: string, start: number): Readable {
  if (path === '-') return createReadStream('/dev/stdin');
  if (path.endsWith('.gz')) return createReadStream(path).pipe(createGunzip());
  return createReadStream(path, { start });
}

export interface TeamIngestOptions {
  name?: string;
  batchSize?: number;
  /** Foreign JSONL, as for a local ingest (--preset hh-rlhf, --mapping FILE). */
  preset?: string;
  mappingFile?: string;
  /**
   * Where each file was read up to (kept by the caller between runs of --watch): only lines after
   * it are read, and a last line without its newline is left for the next run (it may still be
   * being written). Compressed files are read whole each time (their records come back as duplicates).
   */
  positions?: Map<string, { offset: number; line: number }>;
}

const INGESTIBLE = /\.(jsonl|ndjson|json)(\.gz)?$/;

/** A file, or the JSONL files of a folder (sorted by name), or stdin. */
function filesOf(path: string): string[] {
  if (path === '-' || !statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => INGESTIBLE.test(f))
    .sort()
    .map((f) => join(path, f))
    .filter((f) => statSync(f).isFile());
}

export async function ingestFileToTeam(url: string, path: string, options: TeamIngestOptions = {}): Promise<TeamIngestSummary> {
  const mapper = mapperForOptions(options.preset, options.mappingFile);
  const files = filesOf(path);
  let client: pg.Client;
  try {
    client = await teamClient(url, 'verdict ingest');
  } catch (err) {
    throw teamError('ingest', err);
  }
  const sum: TeamIngestSummary = { read: 0, ingested: 0, duplicates: 0, revisions: 0, quarantined: 0 };
  try {
    for (const file of files) await ingestOne(client, file, options, mapper, sum);
    return sum;
  } catch (err) {
    throw teamError('ingest', err);
  } finally {
    await client.end().catch(() => {});
  }
}

async function ingestOne(client: pg.Client, path: string, options: TeamIngestOptions, mapper: Mapper | undefined, sum: TeamIngestSummary): Promise<void> {
  const source = options.name ?? (path === '-' ? 'stdin' : basename(path));
  const batchSize = options.batchSize ?? 1000;
  const gz = path.endsWith('.gz');
  const from = gz ? { offset: 0, line: 0 } : (options.positions?.get(path) ?? { offset: 0, line: 0 });
  const reached = { ...from };
  let good: TeamRecordRow[] = [];
  let bad: QuarantineRow[] = [];
  for await (const lines of readLines(open(path, from.offset), { maxLineBytes: DEFAULT_MAX_LINE_BYTES, startOffset: from.offset, startLine: from.line })) {
    for (const line of lines) {
      // Watching: a last line without its newline may still be being written; it waits for the next run.
      if (line.unterminated && options.positions && !gz) break;
      reached.offset = line.end;
      reached.line = line.lineNo;
      const text = decoder.decode(line.bytes);
      if (text.trim() === '') continue;
      sum.read++;
      const location = `${source}:${line.lineNo} (byte ${line.offset})`;
      if (line.oversized) {
        bad.push({ source, location, reason: `line longer than ${DEFAULT_MAX_LINE_BYTES} bytes`, jsonPath: '$', raw: text.slice(0, 65536) });
        continue;
      }
      const o = validateForTeam(text, source, location, mapper);
      if (o.ok) good.push(o.row);
      else bad.push(o.q);
      if (good.length + bad.length >= batchSize) {
        await writeBatch(client, good, bad, sum);
        good = [];
        bad = [];
      }
    }
  }
  await writeBatch(client, good, bad, sum);
  if (options.positions && !gz && path !== '-') options.positions.set(path, reached);
}

/** Moves inbox rows into the queue (valid) or quarantine (with the reason), batch by batch. */
export async function processInbox(url: string, options: { batchSize?: number } = {}): Promise<TeamIngestSummary> {
  let client: pg.Client;
  try {
    client = await teamClient(url, 'verdict inbox');
  } catch (err) {
    throw teamError('inbox', err);
  }
  const sum: TeamIngestSummary = { read: 0, ingested: 0, duplicates: 0, revisions: 0, quarantined: 0 };
  try {
    for (;;) {
      await client.query('BEGIN');
      const rows = await takeInbox(client, options.batchSize ?? 1000);
      if (rows.length === 0) {
        await client.query('COMMIT');
        return sum;
      }
      const good: TeamRecordRow[] = [];
      const bad: QuarantineRow[] = [];
      for (const r of rows) {
        const o = validateForTeam(r.payload, r.source, `inbox row ${r.id}`);
        if (o.ok) good.push(o.row);
        else bad.push(o.q);
      }
      sum.read += rows.length;
      try {
        const out = await ingestTeamRecordsInTransaction(client, good);
        await quarantineTeamLines(client, bad);
        await client.query('COMMIT');
        for (const o of out) {
          if (o === 'new') sum.ingested++;
          else if (o === 'duplicate') sum.duplicates++;
          else sum.revisions++;
        }
        sum.quarantined += bad.length;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      }
    }
  } catch (err) {
    throw teamError('inbox', err);
  } finally {
    await client.end().catch(() => {});
  }
}
