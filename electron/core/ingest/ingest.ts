/**
 * Pulls escalation records from JSONL (a file, a folder, .gz, or a stream) into the workspace:
 * streaming, batch transactions, idempotent per source, bad lines quarantined, incremental.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { IngestStatements } from '../../../db/queries/ingest.ts';
import {
  findSourceByUri,
  getSourceFile,
  insertSource,
  saveSourceFile,
  type SourceRow,
} from '../../../db/queries/sources.ts';
import { indexAll, pendingCount } from '../search/fts.ts';
import { nowIso } from '../util/ids.ts';
import { UserError } from '../util/errors.ts';
import { startCheckpointer, type Checkpointer } from '../workspace/checkpointer.ts';
import type { Workspace } from '../workspace/open.ts';
import { threadTime, type ThreadTime } from '../workspace/thread-time.ts';
import { beginAfterGivingWay, giveWay, lastWaiting, writeTransaction } from '../workspace/write-lock.ts';
import { fingerprint } from './fingerprint.ts';
import { readLines, type Line } from './lines.ts';
import { DEFAULT_MAX_LINE_BYTES, packLines, type Mapper, type ParseOutcome } from './parse.ts';
import { defaultWorkerCount, inlineParser, poolParser, type LineParser } from './parse-pool.ts';
import { loadMappingFile, mapperFromMapping, presetMapper } from './presets.ts';
import { gzipSizeEstimate } from './gzip-size.ts';
import type { IngestSummary, IngestProgress, IngestYields } from '../../shared/models/ingest.ts';
export type { IngestSummary, IngestProgress };

export interface IngestOptions {
  /** A file or folder path, or "-" for stdin (then `stream` must be given). */
  path: string;
  stream?: Readable;
  name?: string;
  preset?: string;
  mappingFile?: string;
  batchSize?: number;
  maxLineBytes?: number;
  /** Parse threads; default: none for small inputs, otherwise one per spare core (max 3). */
  workers?: number;
  actor?: string;
  signal?: AbortSignal;
  onProgress?: (p: IngestProgress) => void;
  /** Called after every committed batch (used by tests that kill the process mid-ingest). */
  onBatch?: () => void;
  /**
   * The connection serves this ingest alone (the CLI), so a transaction may stay open while the
   * next lines are parsed: a large batch then costs no memory, and checkpoints run on another
   * thread. The app shares its connection with the reviewer's requests and leaves this off.
   */
  exclusive?: boolean;
}

/**
 * Lines handed to the parser beyond the batch being filled. A commit blocks this thread, so
 * the parser needs about a batch of lines queued to stay busy meanwhile; more only costs memory.
 */
const LOOKAHEAD_LINES = 2000;
const NO_BYTES = Buffer.alloc(0);
/**
 * Rows per transaction for a bulk (CLI) ingest. The queue and id-lookup indexes grow at random
 * positions, so every commit rewrites most of their pages; a larger batch shares those pages
 * between more rows. The app passes a small batch so reads never wait long.
 */
export const DEFAULT_BATCH = 25_000;
/** Lines being parsed while an exclusive ingest writes: enough to keep the parser busy through a commit. */
const EXCLUSIVE_INFLIGHT_LINES = 4000;
/** Rows an exclusive ingest commits before it waits for their checkpoint (bounds the WAL). */
const CHECKPOINT_WAIT_ROWS = 150_000;
/**
 * Rows written at a time into an open exclusive transaction; between chunks it looks for a
 * waiting writer (one stat call). The chunk is sized by time, not count: as many rows as took
 * about CHUNK_BUDGET_MS of wall time last time (at most WRITE_CHUNK), so a waiting reviewer waits
 * for about that long before the ingest sees it, whatever the workspace size or machine load.
 */
const WRITE_CHUNK = 64;
const CHUNK_BUDGET_MS = 1;
/**
 * While reviewers are submitting (a writer signalled within REVIEWED_WINDOW_MS), an exclusive
 * batch commits every REVIEWED_BATCH_ROWS rows instead of holding a large batch: the commit that
 * lets the next reviewer in then carries at most this many rows' pages (its cost grows with them).
 * Without reviewers the batch stays large, which is what makes a bulk ingest fast.
 */
const REVIEWED_BATCH_ROWS = 128;
/**
 * After giving way, the ingest writes at least this long before it gives way again: a stream of
 * back-to-back submits (an import, a script) would otherwise leave it one chunk per submit.
 */
const MIN_SLICE_MS = 20;
const REVIEWED_WINDOW_MS = 2000;
/** While an exclusive batch waits for parsed lines, how often it looks for a waiting writer. */
const YIELD_POLL_MS = 5;
/** Below this much input, starting parse workers costs more than it saves. */
const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;

const isGzip = (file: string) => file.toLowerCase().endsWith('.gz');

function uncompressedEstimate(file: string): number {
  const size = statSync(file).size;
  return isGzip(file) ? gzipSizeEstimate(file, size) : size;
}

const JSONL_FILE = /\.(jsonl|ndjson|json)(\.gz)?$/i;

function listFiles(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new UserError(`cannot read ${path}: no such file or folder`);
  }
  if (st.isFile()) return [path];
  if (!st.isDirectory()) throw new UserError(`${path} is neither a file nor a folder`);
  return readdirSync(path)
    .filter((f) => JSONL_FILE.test(f) && !f.endsWith('.verdicts.jsonl'))
    .sort()
    .map((f) => join(path, f));
}

function resolveMapper(opts: IngestOptions, source: SourceRow | undefined): { mapper?: Mapper; preset: string | null; mapping: string | null } {
  const preset = opts.preset ?? source?.preset ?? null;
  let mapping = source?.mapping ?? null;
  if (opts.mappingFile) mapping = JSON.stringify(loadMappingFile(opts.mappingFile));
  if (preset && mapping) throw new UserError('use either --preset or --mapping, not both');
  if (preset) return { mapper: presetMapper(preset), preset, mapping: null };
  if (mapping) return { mapper: mapperFromMapping(JSON.parse(mapping)), preset: null, mapping };
  return { preset: null, mapping: null };
}

/** The mapper a --preset or --mapping FILE gives (none for escalation-record JSONL): for ingests that keep no source row (a team database). */
export function mapperForOptions(preset: string | undefined, mappingFile: string | undefined): Mapper | undefined {
  return resolveMapper({ path: '', preset, mappingFile } as IngestOptions, undefined).mapper;
}

function sha256(buf: Buffer | string): string {
  return createHash('sha256').update(buf).digest('hex');
}

interface Pending {
  line: Line;
  outcome: ParseOutcome;
}

const p95 = (xs: number[], p = 95): number => {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/** Each time an exclusive ingest gave way to a waiting writer: how long that writer waited, and where it went. */
class YieldLog {
  private readonly waits: number[] = [];
  private readonly detects: number[] = [];
  private readonly releases: number[] = [];
  private readonly rows: number[] = [];
  private readonly cpu: number[] = [];
  private readonly runQueue: number[] = [];
  get count(): number {
    return this.waits.length;
  }
  /** `signalled` is the waiting file's mtime (wall-clock ms, coarse: the kernel's tick). */
  add(signalled: number, seen: number, released: number, rows: number, t0: ThreadTime | null, t1: ThreadTime | null): void {
    this.waits.push(Math.max(0, released - signalled));
    this.detects.push(Math.max(0, seen - signalled));
    this.releases.push(released - seen);
    this.rows.push(rows);
    this.cpu.push(t0 && t1 ? t1.cpuMs - t0.cpuMs : 0);
    this.runQueue.push(t0 && t1 ? t1.runQueueMs - t0.runQueueMs : 0);
  }
  summary(): IngestYields {
    const r = (x: number) => Math.round(x * 10) / 10;
    return {
      count: this.count,
      waitP50Ms: r(p95(this.waits, 50)),
      waitP95Ms: r(p95(this.waits)),
      waitMaxMs: r(Math.max(...this.waits)),
      detectP95Ms: r(p95(this.detects)),
      releaseP95Ms: r(p95(this.releases)),
      rowsP95: p95(this.rows),
      releaseCpuP95Ms: r(p95(this.cpu)),
      releaseRunQueueP95Ms: r(p95(this.runQueue)),
    };
  }
}

/** What one transaction has written so far: its audit events are written just before it commits. */
class BatchTally {
  readonly counts = { read: 0, ingested: 0, duplicates: 0, revisions: 0, quarantined: 0 };
  readonly itemDigest = createHash('sha256');
  readonly quarantineDigest = createHash('sha256');
  readonly quarantinedLines: number[] = [];
  readonly at = nowIso();
}

export class Ingestor {
  private readonly st: IngestStatements;
  private readonly summary: IngestSummary = {
    read: 0,
    ingested: 0,
    duplicates: 0,
    revisions: 0,
    quarantined: 0,
    files: 0,
    skippedFiles: 0,
    rewrittenFiles: [],
    pendingPartialLines: 0,
    searchable: false,
    seconds: 0,
  };
  private readonly started = performance.now();
  private bytesDone = 0;
  private bytesTotal = 0;
  private fileBase = 0;
  /** Each file's expected bytes in the terms progress counts: size, or the gzip estimate. */
  private readonly fileTotals = new Map<string, number>();
  /** .gz files whose total is still the trailer's estimate (not yet read to the end). */
  private estimatedFiles = 0;
  private lastProgress = 0;
  private source!: SourceRow;
  private parser: LineParser = inlineParser(undefined);
  private checkpointer: Checkpointer | null = null;
  private rowsSinceCheckpoint = 0;
  private readonly yields = new YieldLog();
  /** The waiting file's mtime when this ingest last gave way (or started): a different one is a new signal. */
  private handledSignal = 0;
  private resumedAt = 0;
  private gaveWay = false;

  constructor(
    private readonly ws: Workspace,
    private readonly opts: IngestOptions,
  ) {
    this.st = new IngestStatements(ws.sqlite);
  }

  async run(): Promise<IngestSummary> {
    const opts = this.opts;
    const isStdin = opts.path === '-';
    const uri = isStdin ? `stdin:${opts.name ?? 'stdin'}` : resolve(opts.path);
    const existing = findSourceByUri(this.ws.sqlite, uri);
    const { mapper, preset, mapping } = resolveMapper(opts, existing);
    this.source = existing ?? this.registerSource(uri, isStdin, preset, mapping);
    this.handledSignal = lastWaiting(this.ws.path);
    const files = isStdin ? [] : listFiles(uri);
    // Progress counts uncompressed bytes (what the reader walks through): .gz files by their trailer's estimate.
    for (const f of files) this.fileTotals.set(f, uncompressedEstimate(f));
    this.bytesTotal = [...this.fileTotals.values()].reduce((n, v) => n + v, 0);
    this.estimatedFiles = files.filter(isGzip).length;
    const workers = opts.workers ?? (this.bytesTotal >= PARALLEL_MIN_BYTES ? defaultWorkerCount() : 0);
    this.parser = workers > 0 ? poolParser(workers, { preset, mapping }) : inlineParser(mapper);
    if (opts.exclusive && workers > 0 && this.ws.path !== ':memory:') this.checkpointer = startCheckpointer(this.ws.sqlite, this.ws.path);
    // A bulk ingest streams pages through the cache; its hot pages (the random-position indexes)
    // outgrow any cache worth having. Half the usual cache measured as fast, with 25 MB less memory.
    const cacheSize = this.ws.sqlite.pragma('cache_size', { simple: true }) as number;
    if (opts.exclusive) this.ws.sqlite.pragma('cache_size = -16384');
    // A bulk ingest's commits skip the WAL's fsync (synchronous NORMAL): a commit that gives way
    // to a waiting reviewer then costs its write, not a disk flush. A power loss can only take
    // whole batches, state and audit event together, and the next run resumes from the last
    // offset that survived; a reviewer's own commit (FULL) syncs the WAL up to itself, ingest
    // frames included. The end of the ingest is made durable below.
    const synchronous = this.ws.sqlite.pragma('synchronous', { simple: true }) as number;
    if (opts.exclusive) this.ws.sqlite.pragma('synchronous = NORMAL');
    try {
      if (isStdin) {
        if (!opts.stream) throw new UserError('reading from stdin needs a stream');
        await this.ingestStream(opts.stream, 'stdin', 0, 0, null);
      } else {
        for (const file of files) {
          if (opts.signal?.aborted) break;
          await this.ingestFile(file);
        }
      }
    } finally {
      // A failed write leaves an exclusive transaction open: none of its rows were committed.
      if (opts.exclusive && this.ws.sqlite.inTransaction) {
        this.ws.sqlite.exec('ROLLBACK');
        this.st.discardCounts();
      }
      await this.parser.close();
      await this.checkpointer?.close();
      this.ws.sqlite.pragma(`cache_size = ${cacheSize}`);
    }
    try {
      await this.index();
    } finally {
      this.ws.sqlite.pragma(`synchronous = ${synchronous}`);
    }
    // Durable before the ingest reports it: a checkpoint syncs the WAL (every batch and index
    // chunk committed above) before it copies frames, or finds them copied and synced already.
    if (opts.exclusive && this.ws.path !== ':memory:') this.ws.sqlite.pragma('wal_checkpoint(PASSIVE)');
    this.summary.seconds = (performance.now() - this.started) / 1000;
    if (this.yields.count > 0) this.summary.yields = this.yields.summary();
    this.progress('done', '', true);
    return this.summary;
  }

  private registerSource(uri: string, isStdin: boolean, preset: string | null, mapping: string | null): SourceRow {
    return writeTransaction(this.ws.sqlite, this.ws.path, () => {
      const row = insertSource(this.ws.sqlite, {
        kind: isStdin ? 'stdin' : 'jsonl',
        name: this.opts.name ?? (isStdin ? 'stdin' : basename(uri)),
        uri,
        preset,
        mapping,
      });
      this.ws.audit.append(
        'source.registered',
        { source_id: row.id, kind: row.kind, uri, preset, mapping_sha256: mapping ? sha256(mapping) : null },
        { actor: this.opts.actor ?? 'system', subject: row.id },
      );
      return row;
    });
  }

  private async ingestFile(file: string): Promise<void> {
    const size = statSync(file).size;
    const gz = file.toLowerCase().endsWith('.gz');
    const state = getSourceFile(this.ws.sqlite, this.source.id, file);
    let start = 0;
    let startLine = 0;
    if (state) {
      const fp = fingerprint(file, gz ? size : Math.min(state.offset, size));
      const unchanged = gz
        ? state.size === size && fp.prefixSha256 === state.prefixSha256 && fp.tailSha256 === state.tailSha256
        : size >= state.offset && fp.prefixSha256 === state.prefixSha256 && fp.tailSha256 === state.tailSha256;
      if (unchanged && (gz || size === state.offset)) {
        this.summary.skippedFiles++;
        if (gz) this.estimatedFiles--;
        this.bytesDone += this.fileTotals.get(file) ?? size;
        return;
      }
      if (unchanged && !gz) {
        start = state.offset;
        startLine = state.lines;
        this.bytesDone += start;
      } else if (!gz || state.offset > 0) {
        // Rewritten in place (or a .gz that changed): read again from the start; ids already
        // seen with the same content are duplicates, changed ones become revisions.
        this.summary.rewrittenFiles.push(file);
      }
    }
    this.summary.files++;
    this.fileBase = this.bytesDone - start;
    let stream: Readable = createReadStream(file, { start, highWaterMark: 1 << 20 });
    if (gz) stream = stream.pipe(createGunzip());
    await this.ingestStream(stream, file, start, startLine, gz ? { size } : { size: null });
    if (gz) this.settleGzipTotal(file);
  }

  /**
   * Line offsets are in the decompressed stream for .gz too: the terms bytesTotal counts in.
   * Past a file's expected size (a multi-member .gz, a file still growing) the total widens
   * rather than progress passing 100 %.
   */
  private advance(file: string, end: number): void {
    this.bytesDone = this.fileBase + end;
    const expected = this.fileTotals.get(file) ?? 0;
    if (end > expected) {
      this.bytesTotal += end - expected;
      this.fileTotals.set(file, end);
    }
  }

  /**
   * After a .gz file: the estimate gives way to what was read (a multi-member file, or a
   * wrapped trailer), so done and total agree and later files' percentages stay right.
   */
  private settleGzipTotal(file: string): void {
    const expected = this.fileTotals.get(file) ?? 0;
    const read = this.bytesDone - this.fileBase;
    if (this.opts.signal?.aborted) return;
    this.estimatedFiles--;
    if (read === expected) return;
    this.bytesTotal += read - expected;
    this.fileTotals.set(file, read);
  }

  /** `fileState.size` is the compressed size for .gz files, null for plain files (fingerprinted by offset). */
  private async ingestStream(
    stream: Readable,
    file: string,
    start: number,
    startLine: number,
    fileState: { size: number | null } | null,
  ): Promise<void> {
    const batchSize = this.opts.batchSize ?? DEFAULT_BATCH;
    const maxLineBytes = this.opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    let pending: Pending[] = [];
    let committedEnd = start;
    let committedLines = startLine;
    const sqlite = this.ws.sqlite;
    const exclusive = this.opts.exclusive === true;
    let tally: BatchTally | null = null;
    // Exclusive: rows go into an open transaction as they are parsed, and it commits once it
    // holds a batch. Shared: a batch is gathered, then written in one synchronous transaction.
    let chunkRows = WRITE_CHUNK;
    const write = async () => {
      if (pending.length === 0) return;
      tally ??= await this.begin();
      const t0 = performance.now();
      this.writeRows(pending, tally, file, fileState);
      const perRow = (performance.now() - t0) / pending.length;
      chunkRows = Math.max(1, Math.min(WRITE_CHUNK, Math.floor(CHUNK_BUDGET_MS / Math.max(perRow, 1e-3))));
      pending = [];
    };
    const flush = async (end: number, lines: number) => {
      if (exclusive) {
        await write();
        tally ??= await this.begin();
        this.finishBatch(tally, file, end, lines, fileState);
        sqlite.exec('COMMIT');
        this.rowsSinceCheckpoint += tally.counts.read;
        tally = null;
        this.checkpointer?.kick();
      } else {
        const batch = pending;
        writeTransaction(sqlite, this.ws.path, () => {
          const t = new BatchTally();
          this.writeRows(batch, t, file, fileState);
          this.finishBatch(t, file, end, lines, fileState);
        });
      }
      pending = [];
      committedEnd = end;
      committedLines = lines;
      this.opts.onBatch?.();
    };
    // Shared: the parser fills the next batch while this one commits. Exclusive: rows are written
    // as they come, so the parser only needs enough lines queued to outlast a commit.
    const maxInflight = exclusive ? EXCLUSIVE_INFLIGHT_LINES : batchSize + LOOKAHEAD_LINES;
    let inBatch = 0;
    let lastLine: Line | null = null;
    // Chunks are parsed ahead (in worker threads for large inputs) while earlier ones commit.
    const inflight: { lines: Line[]; end: number; outcomes: Promise<ParseOutcome[]> }[] = [];
    let inflightLines = 0;
    // An exclusive batch holds the lock while the parser works: a writer that signals it waits
    // gets in at once, not when the next chunk of rows is parsed.
    const yieldIfWaiting = async () => {
      const waiting = lastWaiting(this.ws.path);
      // A change of the file since the last one handled, not a time after the batch began: its
      // mtime is the kernel's coarse clock (a tick behind), so a signal just after a new batch
      // began could carry an earlier time and be passed over for the whole batch.
      if (!exclusive || !tally || !lastLine || waiting === this.handledSignal) return;
      // Writers that come one after another still leave the ingest a slice between them.
      if (performance.now() - this.resumedAt < MIN_SLICE_MS) return;
      const seen = Date.now();
      const rows = tally.counts.read;
      const t0 = threadTime();
      await flush(lastLine.end, lastLine.lineNo);
      this.yields.add(waiting, seen, Date.now(), rows, t0, threadTime());
      inBatch = 0;
      await giveWay(this.ws.path, waiting);
      this.handledSignal = lastWaiting(this.ws.path);
      this.resumedAt = performance.now();
      this.gaveWay = true;
    };
    const parsed = async (outcomes: Promise<ParseOutcome[]>) => {
      let settled = false;
      void outcomes.then(() => (settled = true));
      while (!settled) {
        await Promise.race([outcomes, new Promise((r) => setTimeout(r, YIELD_POLL_MS))]);
        if (!settled) await yieldIfWaiting();
      }
      return outcomes;
    };
    const drainOne = async () => {
      const job = inflight.shift()!;
      inflightLines -= job.lines.length;
      const outcomes = await parsed(job.outcomes);
      let j = 0;
      for (const line of job.lines) {
        const outcome: ParseOutcome = line.oversized
          ? { ok: false, error: `line is ${line.length} bytes, over the ${maxLineBytes}-byte limit`, jsonPath: '$' }
          : outcomes[j++]!;
        if (!outcome.ok && line.unterminated && fileState && outcome.error.startsWith('invalid JSON')) {
          // A writer may still be appending this line: leave it for the next pull.
          this.summary.pendingPartialLines++;
          continue;
        }
        pending.push({ line, outcome });
        lastLine = line;
        inBatch++;
        if (inBatch >= batchSize) {
          await flush(line.end, line.lineNo);
          inBatch = 0;
        } else if (exclusive && pending.length >= chunkRows) {
          await write();
          // Someone waits for the lock (a reviewer's submit): commit what is written and let them in.
          await yieldIfWaiting();
          // Reviewers at work: keep the open batch short, so letting the next one in is quick.
          if (tally && tally.counts.read >= REVIEWED_BATCH_ROWS && Date.now() - lastWaiting(this.ws.path) < REVIEWED_WINDOW_MS) {
            await flush(line.end, line.lineNo);
            inBatch = 0;
          }
        }
      }
      if (fileState) this.advance(file, job.end);
      this.progress('reading', file, false);
    };
    for await (const lines of readLines(stream, { startOffset: start, startLine, maxLineBytes })) {
      const kept = lines.filter((l) => l.bytes.length > 8 || (l.bytes.length > 0 && l.bytes.toString('utf8').trim() !== ''));
      const batch = packLines(kept.filter((l) => !l.oversized).map((l) => l.bytes));
      // The parser has its own copy (and returns the bytes of any line it rejects): dropping ours
      // lets the read chunk go while its lines wait in a batch.
      for (const l of kept) if (!l.oversized) l.bytes = NO_BYTES;
      inflight.push({ lines: kept, end: lines[lines.length - 1]!.end, outcomes: this.parser.parse(batch) });
      inflightLines += kept.length;
      while (inflightLines >= maxInflight) await drainOne();
      // Buffered stream data resolves in microtasks alone; without a macrotask turn the host's
      // messages (a reviewer opening an item in the app) would wait for the whole ingest.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.opts.signal?.aborted) break;
    }
    while (inflight.length > 0) await drainOne();
    if (inBatch > 0) await flush(lastLine!.end, lastLine!.lineNo);
    else if (fileState && committedEnd === start) await flush(committedEnd, committedLines);
  }

  /**
   * Opens an exclusive batch. Checkpoints of earlier batches run meanwhile; every few batches
   * this waits for them to finish, so the next commit starts the WAL over instead of growing it.
   */
  private async begin(): Promise<BatchTally> {
    if (this.checkpointer && this.rowsSinceCheckpoint >= CHECKPOINT_WAIT_ROWS) {
      await this.checkpointer.idle();
      this.rowsSinceCheckpoint = 0;
    }
    if (this.gaveWay) {
      // Taking the turn back: signalled and polled for, so a stream of short writers cannot starve it.
      this.gaveWay = false;
      beginAfterGivingWay(this.ws.sqlite, this.ws.path);
      this.handledSignal = lastWaiting(this.ws.path);
    } else this.ws.sqlite.exec('BEGIN IMMEDIATE');
    return new BatchTally();
  }

  private writeRows(batch: readonly Pending[], t: BatchTally, file: string, fileState: { size: number | null } | null): void {
    const sourceId = this.source.id;
    const fileRef = fileState ? file : null;
    const counts = t.counts;
    for (const { line, outcome } of batch) {
      counts.read++;
      if (!outcome.ok) {
        const bytes = outcome.raw ? Buffer.from(outcome.raw.buffer, outcome.raw.byteOffset, outcome.raw.length) : line.bytes;
        const rawSha = sha256(bytes);
        this.st.quarantine({
          sourceId,
          file,
          line: line.lineNo,
          byteOffset: line.offset,
          error: outcome.error,
          jsonPath: outcome.jsonPath,
          raw: bytes.toString('utf8'),
          rawBytes: line.length,
          rawSha256: rawSha,
          at: t.at,
        });
        t.quarantineDigest.update(`${line.lineNo}:${rawSha}\n`);
        t.quarantinedLines.push(line.lineNo);
        counts.quarantined++;
        continue;
      }
      const { rec } = outcome;
      const found = this.st.findItem.get(rec.extKey, sourceId, rec.externalId);
      if (!found) {
        const r = this.st.addItem(sourceId, rec, fileRef, line.lineNo, t.at);
        t.itemDigest.update(`${r.itemId}:1:${rec.contentSha256}\n`);
        counts.ingested++;
      } else if (
        found.contentSha256 === rec.contentSha256 ||
        this.st.findRevisionBySha.get(found.seq, rec.contentSha256) ||
        this.st.hasSameContent(found.seq, rec.json)
      ) {
        counts.duplicates++;
      } else {
        const r = this.st.addRevision(found, rec, fileRef, line.lineNo, t.at);
        t.itemDigest.update(`${r.itemId}:${r.revision}:${rec.contentSha256}\n`);
        counts.revisions++;
      }
    }
  }

  /** The source file's progress and the batch's audit events, in the transaction that commits it. */
  private finishBatch(t: BatchTally, file: string, end: number, lines: number, fileState: { size: number | null } | null): void {
    const ws = this.ws;
    const sourceId = this.source.id;
    const fileRef = fileState ? file : null;
    if (fileState) {
      const fp = fingerprint(file, fileState.size ?? end);
      saveSourceFile(ws.sqlite, { sourceId, path: file, size: fileState.size ?? end, offset: end, lines, ...fp });
    }
    this.st.flushCounts();
    const actor = this.opts.actor ?? 'system';
    const counts = t.counts;
    ws.audit.append(
      'ingest.batch',
      {
        source_id: sourceId,
        file: fileRef ?? 'stdin',
        to_offset: end,
        to_line: lines,
        ...counts,
        items_sha256: t.itemDigest.digest('hex'),
      },
      { actor, subject: sourceId },
    );
    if (counts.quarantined > 0) {
      ws.audit.append(
        'ingest.quarantine',
        { source_id: sourceId, file: fileRef ?? 'stdin', lines: t.quarantinedLines, raw_sha256: t.quarantineDigest.digest('hex') },
        { actor, subject: sourceId },
      );
    }
    for (const k of ['read', 'ingested', 'duplicates', 'revisions', 'quarantined'] as const) this.summary[k] += counts[k];
  }

  private async index(): Promise<void> {
    await indexAll(this.ws.sqlite, {
      path: this.ws.path,
      exclusive: this.opts.exclusive,
      // A waiting reviewer waits for one index transaction: 500 items, not the default 2,000.
      ...(this.opts.exclusive ? { chunk: 500 } : {}),
      signal: this.opts.signal,
      onProgress: (indexed, toIndex) => this.progress('indexing', '', false, { indexed, toIndex }),
    });
    this.summary.searchable = pendingCount(this.ws.sqlite) === 0;
  }

  private progress(phase: IngestProgress['phase'], file: string, force: boolean, extra: Partial<IngestProgress> = {}): void {
    if (!this.opts.onProgress) return;
    const now = performance.now();
    if (!force && now - this.lastProgress < 200) return;
    this.lastProgress = now;
    const elapsed = (now - this.started) / 1000;
    const rate = elapsed > 0 ? this.summary.read / elapsed : 0;
    const bytesRate = elapsed > 0 ? this.bytesDone / elapsed : 0;
    this.opts.onProgress({
      phase,
      file,
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      totalEstimated: this.estimatedFiles > 0,
      read: this.summary.read,
      ingested: this.summary.ingested,
      quarantined: this.summary.quarantined,
      itemsPerSecond: rate,
      etaSeconds: bytesRate > 0 && this.bytesTotal > 0 ? Math.max(0, (this.bytesTotal - this.bytesDone) / bytesRate) : null,
      ...extra,
    });
  }
}

export function ingest(ws: Workspace, opts: IngestOptions): Promise<IngestSummary> {
  return new Ingestor(ws, opts).run();
}
