/**
 * The retraining dataset export: selected reviewed items → JSONL and/or Parquet shards per split,
 * a Hugging Face dataset card, `items.jsonl`, an `export.created` audit event and `manifest.json`.
 *
 * Rows are read in item order from one streaming statement on a separate read-only connection
 * inside one read transaction, so the export sees a single snapshot of the workspace while the
 * app keeps writing, and the workspace's own connection is never held busy. Nothing is
 * materialised: each row is built, redacted, written to its split's open shard and dropped
 * (Parquet buffers one row group per split).
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { auditSize, estimateExportCandidates, iterateExportRows, iterateUnresolvedFlagged, metaValue, settingValue, type ExportFilterSql } from '../../../db/queries/export.ts';
import { verifyState } from '../audit/replay.ts';
import { DEFAULT_TAXONOMY, taxonomySchema, type Taxonomy } from '../review/taxonomy.ts';
import { UsageError, UserError } from '../util/errors.ts';
import type { Workspace } from '../workspace/open.ts';
import { FORMATS } from './formats.ts';
import { CARD_FILE, ITEMS_FILE, MANIFEST_FILE } from './manifest.ts';
import { normalizeOptions, type ExportOptions, type NormalizedOptions } from './options.ts';
import { defaultExportThreads, inlineRunner, peaksInWorker, workerRunner, type BatchRunner } from './pool.ts';
import type { ProcessConfig } from './process.ts';
import { ProgressReporter } from './progress.ts';
import { flagsJsonHasPii } from './redaction.ts';
import { appendExportEvent, manifestContent, writeCard, writeProvenManifest } from './seal.ts';
import { streamRows } from './stream.ts';
import { ExportTally } from './tally.ts';
import { ExportWriters } from './writers.ts';
import type { ExportSummary } from '../../shared/models/export.ts';
export type { ExportSummary };

/** Below this many selected items, starting worker threads costs more than it saves. */
const PARALLEL_MIN_ITEMS = 20_000;
/** Below this many audit events, folding them at the end is quicker than a thread. */
const PEAKS_IN_WORKER_MIN = 50_000;

function toSqlFilters(o: NormalizedOptions): ExportFilterSql {
  return { ...o.filters };
}

interface Reader {
  db: Database.Database;
  close(): void;
}

/** A read-only connection with an open read transaction: one snapshot for the whole export. */
function openReader(ws: Workspace): Reader {
  if (ws.path === ':memory:' || ws.path === '') return { db: ws.sqlite, close: () => {} };
  const db = new Database(ws.path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -16384');
  db.exec('BEGIN');
  return {
    db,
    close: () => {
      try {
        if (db.inTransaction) db.exec('COMMIT');
      } catch {
        // a read transaction has nothing to keep; closing ends it either way
      }
      db.close();
    },
  };
}

/** The state replay (audit/replay.ts) on the export's read snapshot; one line naming the first difference. */
function refuseTampered(db: Database.Database): void {
  const state = verifyState(db);
  if (state.ok) return;
  const m = state.mismatch;
  throw new UserError(
    `not exported: the workspace no longer matches its audit log (table ${m.table}, row ${m.row}${m.event === null ? '' : `, event ${m.event}`}); run "verdict audit verify" for details`,
    'tampered',
  );
}

export function prepareOutDir(out: string): { created: boolean } {
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new UserError(`${out} exists and is not a folder`);
    if (readdirSync(out).length > 0) throw new UserError(`${out} is not empty; export into a new or empty folder`);
    mkdirSync(join(out, 'data'));
    return { created: false };
  }
  mkdirSync(join(out, 'data'), { recursive: true });
  return { created: true };
}

export function removeOutput(out: string, created: boolean): void {
  for (const f of ['data', CARD_FILE, ITEMS_FILE, MANIFEST_FILE]) rmSync(join(out, f), { recursive: true, force: true });
  if (created) {
    try {
      rmdirSync(out);
    } catch {
      // not empty (someone else wrote there) or already gone
    }
  }
}

function readTaxonomy(db: Database.Database): Taxonomy {
  const raw = settingValue(db, 'taxonomy');
  if (!raw) return DEFAULT_TAXONOMY;
  try {
    return taxonomySchema.parse(JSON.parse(raw));
  } catch {
    return DEFAULT_TAXONOMY;
  }
}

export const cancelled = () => new UserError('export cancelled; the partial output was removed', 'cancelled');

export function refusal(unresolved: number, unredacted: number): UserError {
  const why: string[] = [];
  if (unresolved > 0)
    why.push(`${unresolved} item(s) in scope carry PII flags that no reviewer has resolved (no violation or dismiss verdict in force)`);
  if (unredacted > 0) why.push(`${unredacted} selected item(s) carry PII flags and redaction is off, so their text would leave unredacted`);
  return new UserError(
    `refusing to export: ${why.join('; ')}; review them or narrow the export, or pass --allow-unredacted (recorded in the audit log)`,
    'unresolved_pii',
  );
}

/** How the rows will be processed, decided before the first one is read. */
interface Plan {
  /** The progress total: an upper bound (items with any verdict); the exact count comes from the stream. */
  total: number;
  /** The audit log's size at the snapshot, which the manifest's snapshot head covers. */
  snapshotSize: number;
  threads: number;
  processConfig: ProcessConfig;
}

function planExport(db: Database.Database, o: NormalizedOptions, requestedThreads: number | undefined, filters: ExportFilterSql): Plan {
  const total = estimateExportCandidates(db, filters);
  const snapshotSize = auditSize(db);
  const threads = requestedThreads ?? (total >= PARALLEL_MIN_ITEMS ? defaultExportThreads() : 0);
  if (!Number.isSafeInteger(threads) || threads < 0) throw new UsageError(`--threads must be a non-negative integer, got ${String(threads)}`);
  const processConfig: ProcessConfig = {
    format: o.format,
    redact: o.redact,
    includeDismissed: o.includeDismissed,
    keepInconsistent: o.keepInconsistent,
    seed: o.seed,
    split: o.split,
    jsonl: o.outputs.includes('jsonl'),
    parquet: o.outputs.includes('parquet'),
  };
  return { total, snapshotSize, threads, processConfig };
}

function countUnresolvedPii(db: Database.Database, filters: ExportFilterSql): number {
  let n = 0;
  for (const r of iterateUnresolvedFlagged(db, filters)) if (flagsJsonHasPii(r.flags)) n++;
  return n;
}

/**
 * Runs an export. Throws UserError for refusals (non-empty folder, unresolved PII, cancel);
 * on any failure the partial output is removed and no audit event is written.
 */
export async function exportDataset(ws: Workspace, options: ExportOptions): Promise<ExportSummary> {
  const o = normalizeOptions(options);
  const spec = FORMATS[o.format];
  const signal = options.signal;
  const checkCancel = () => {
    if (signal?.aborted) throw cancelled();
  };
  checkCancel();
  const started = performance.now();
  const { created } = prepareOutDir(o.out);

  let writers: ExportWriters | null = null;
  let reader: Reader | null = null;
  let runner: BatchRunner | null = null;
  let peaks: ReturnType<typeof peaksInWorker> | null = null;
  let sealed = false;
  try {
    reader = openReader(ws);
    const db = reader.db;
    const filters = toSqlFilters(o);
    const tally = new ExportTally();
    const progress = new ProgressReporter(options.onProgress, started, tally);

    // 1. Size the job and check PII before writing anything.
    progress.report('checking', 0, true);
    const { total, snapshotSize, threads, processConfig } = planExport(db, o, options.threads, filters);
    // The threads start now, so that they load while the PII check below runs; meanwhile
    // another thread folds the audit log up to the snapshot for the inclusion proof (mostly
    // while this thread checks, rather than while it streams rows).
    runner = threads > 0 ? workerRunner(processConfig, threads) : inlineRunner(processConfig);
    if (threads > 0 && snapshotSize >= PEAKS_IN_WORKER_MIN && ws.path !== ':memory:' && ws.path !== '') peaks = peaksInWorker(ws.path, snapshotSize);
    tally.unresolvedPiiItems = countUnresolvedPii(db, filters);
    // A dataset is only as true as the rows it is made from: the same snapshot is replayed
    // against the audit log first, and a workspace changed behind the log is not exported.
    refuseTampered(db);
    if (tally.unresolvedPiiItems > 0 && !o.allowUnredacted) throw refusal(tally.unresolvedPiiItems, 0);
    const taxonomy = readTaxonomy(db);
    const workspaceId = metaValue(db, 'workspace_id') ?? ws.id;

    // 2. Stream the rows. With redaction off, selected items with PII flags are counted there
    // (and, unless allowed, the export stops there with the full count).
    writers = new ExportWriters(o, spec, processConfig.parquet);
    progress.report('writing', total, true);
    await streamRows({ rows: iterateExportRows(db, filters, !o.redact), o, runner, writers, tally, progress, total, checkCancel, refuseUnredacted: (n) => refusal(0, n) });
    await runner.close();
    runner = null;
    reader.close();
    reader = null;
    checkCancel();

    // 3. Close the shards, write the card, seal.
    progress.report('sealing', total, true);
    const { files: dataFiles, cardSplits, configFormat } = writers.finish(tally);
    writers = null;
    const files = writeCard({ spec, o, taxonomy, tally, cardSplits, configFormat }, dataFiles);
    const content = manifestContent(o, workspaceId, tally, files);
    checkCancel();

    // 4. The audit event; from here on the export is on record.
    const rec = appendExportEvent(ws, o, content, snapshotSize, tally);
    sealed = true;
    const start = peaks ? await peaks.result : null;
    peaks = null;
    writeProvenManifest(ws, o.out, rec, content, snapshotSize, start ?? undefined);
    const seconds = (performance.now() - started) / 1000;
    progress.report('done', total, true);
    return {
      exportId: rec.exportId,
      dir: o.out,
      format: o.format,
      outputs: o.outputs,
      ...tally.summary(),
      files,
      auditEventSeq: rec.event.seq,
      seconds,
      rowsPerSecond: seconds > 0 ? tally.rows / seconds : 0,
    };
  } catch (err) {
    await runner?.close();
    await peaks?.cancel();
    reader?.close();
    writers?.abandon();
    // Once the audit event exists the export is on record: its files stay for inspection.
    if (!sealed) removeOutput(o.out, created);
    throw err;
  }
}
