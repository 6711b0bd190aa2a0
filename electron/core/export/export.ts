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
import { existsSync, mkdirSync, readdirSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  auditEventRow,
  auditSize,
  estimateExportCandidates,
  iterateExportRows,
  iterateUnresolvedFlagged,
  metaValue,
  settingValue,
  type ExportFilterSql,
} from '../../../db/queries/export.ts';
import type { AuditEventBody } from '../audit/log.ts';
import { verifyInclusion, type TreeHead } from '../audit/merkle.ts';
import { DEFAULT_TAXONOMY, taxonomySchema, type Taxonomy } from '../review/taxonomy.ts';
import { APP_VERSION } from '../version.ts';
import { UsageError, UserError } from '../util/errors.ts';
import { newId, nowIso } from '../util/ids.ts';
import { codeSchemaVersion, type Workspace } from '../workspace/open.ts';
import { renderCard, type CardSplit } from './card.ts';
import { proveLastLeaf } from './audit-proof.ts';
import { FileSink, type WrittenFile } from './files.ts';
import { FORMATS, parquetSchema } from './formats.ts';
import { JsonlSplitWriter } from './jsonl-writer.ts';
import {
  CARD_FILE,
  contentSha256,
  EXPORT_EVENT,
  filesSha256,
  ITEMS_FILE,
  MANIFEST_FILE,
  MANIFEST_VERSION,
  plainFile,
  renderManifest,
  type Manifest,
  type ManifestContent,
} from './manifest.ts';
import { normalizeOptions, SPLITS, type ExportOptions, type ExportProgress, type NormalizedOptions, type SplitName } from './options.ts';
import { ParquetSplitWriter } from './parquet-writer.ts';
import { defaultExportThreads, inlineRunner, peaksInWorker, workerRunner, type BatchRunner } from './pool.ts';
import type { BatchResult, Candidate, ProcessConfig } from './process.ts';
import { flagsJsonHasPii } from './redaction.ts';
import type { ExportSummary } from '../../shared/models/export.ts';
export type { ExportSummary };

/** Selected items between event-loop yields (abort checks, progress). */
const YIELD_EVERY = 1024;
/** Rows per batch handed to the row processor (this thread or a worker). */
const BATCH_ROWS = 128;
/** Below this many selected items, starting worker threads costs more than it saves. */
const PARALLEL_MIN_ITEMS = 20_000;
/** Below this many audit events, folding them at the end is quicker than a thread. */
const PEAKS_IN_WORKER_MIN = 50_000;

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const k in from) into[k] = (into[k] ?? 0) + from[k]!;
}

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

function prepareOutDir(out: string): { created: boolean } {
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new UserError(`${out} exists and is not a folder`);
    if (readdirSync(out).length > 0) throw new UserError(`${out} is not empty; export into a new or empty folder`);
    mkdirSync(join(out, 'data'));
    return { created: false };
  }
  mkdirSync(join(out, 'data'), { recursive: true });
  return { created: true };
}

function removeOutput(out: string, created: boolean): void {
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

const cancelled = () => new UserError('export cancelled; the partial output was removed', 'cancelled');

function refusal(unresolved: number, unredacted: number): UserError {
  const why: string[] = [];
  if (unresolved > 0)
    why.push(`${unresolved} item(s) in scope carry PII flags that no reviewer has resolved (no violation or dismiss verdict in force)`);
  if (unredacted > 0) why.push(`${unredacted} selected item(s) carry PII flags and redaction is off, so their text would leave unredacted`);
  return new UserError(
    `refusing to export: ${why.join('; ')}; review them or narrow the export, or pass --allow-unredacted (recorded in the audit log)`,
    'unresolved_pii',
  );
}


/**
 * Runs an export. Throws UserError for refusals (non-empty folder, unresolved PII, cancel);
 * on any failure the partial output is removed and no audit event is written.
 */
export async function exportDataset(ws: Workspace, options: ExportOptions): Promise<ExportSummary> {
  const o = normalizeOptions(options);
  const spec = FORMATS[o.format];
  const signal = options.signal;
  const onProgress = options.onProgress;
  if (signal?.aborted) throw cancelled();
  const started = performance.now();
  const { created } = prepareOutDir(o.out);

  const jsonl = new Map<SplitName, JsonlSplitWriter>();
  const parquet = new Map<SplitName, ParquetSplitWriter>();
  let items: FileSink | null = null;
  let reader: Reader | null = null;
  let runner: BatchRunner | null = null;
  let peaks: ReturnType<typeof peaksInWorker> | null = null;
  let sealed = false;
  try {
    reader = openReader(ws);
    const db = reader.db;
    const filters = toSqlFilters(o);
    let lastProgress = 0;
    let done = 0;
    let rows = 0;
    const report = (phase: ExportProgress['phase'], total: number, force = false) => {
      if (!onProgress) return;
      const now = performance.now();
      if (!force && now - lastProgress < 200) return;
      lastProgress = now;
      const secs = (now - started) / 1000;
      const rate = secs > 0 ? rows / secs : 0;
      const itemRate = secs > 0 ? done / secs : 0;
      onProgress({
        phase,
        done,
        total,
        rows,
        rowsPerSecond: rate,
        etaSeconds: phase === 'writing' && itemRate > 0 ? Math.max(0, (total - done) / itemRate) : null,
      });
    };

    // 1. Size the job and check PII before writing anything.
    report('checking', 0, true);
    // Progress total: an upper bound (items with any verdict); the exact count comes from the stream.
    const total = estimateExportCandidates(db, filters);
    const snapshotSize = auditSize(db);
    const writeJsonl = o.outputs.includes('jsonl');
    const writeParquet = o.outputs.includes('parquet');
    const threads = options.threads ?? (total >= PARALLEL_MIN_ITEMS ? defaultExportThreads() : 0);
    if (!Number.isSafeInteger(threads) || threads < 0) throw new UsageError(`--threads must be a non-negative integer, got ${String(threads)}`);
    const processConfig: ProcessConfig = {
      format: o.format,
      redact: o.redact,
      includeDismissed: o.includeDismissed,
      keepInconsistent: o.keepInconsistent,
      seed: o.seed,
      split: o.split,
      jsonl: writeJsonl,
      parquet: writeParquet,
    };
    // The threads start now, so that they load while the PII check below runs; meanwhile
    // another thread folds the audit log up to the snapshot for the inclusion proof (mostly
    // while this thread checks, rather than while it streams rows).
    runner = threads > 0 ? workerRunner(processConfig, threads) : inlineRunner(processConfig);
    if (threads > 0 && snapshotSize >= PEAKS_IN_WORKER_MIN && ws.path !== ':memory:' && ws.path !== '') peaks = peaksInWorker(ws.path, snapshotSize);
    let unresolvedPiiItems = 0;
    for (const r of iterateUnresolvedFlagged(db, filters)) if (flagsJsonHasPii(r.flags)) unresolvedPiiItems++;
    if (unresolvedPiiItems > 0 && !o.allowUnredacted) throw refusal(unresolvedPiiItems, 0);
    // With redaction off, selected items with PII flags are counted in the stream below (and,
    // unless allowed, the export stops there with the full count).
    let unredactedPiiItems = 0;
    let refusing = false;
    const taxonomy = readTaxonomy(db);
    const workspaceId = metaValue(db, 'workspace_id') ?? ws.id;

    // 2. Stream the rows.
    const pqSettings = writeParquet
      ? { schema: parquetSchema(spec), columns: spec.columns, rowGroupRows: o.rowGroupRows, createdBy: `verdict ${APP_VERSION}` }
      : null;
    const jsonlFor = (s: SplitName) => {
      let w = jsonl.get(s);
      if (!w) jsonl.set(s, (w = new JsonlSplitWriter(o.out, s, o.shardRows)));
      return w;
    };
    const parquetFor = (s: SplitName) => {
      let w = parquet.get(s);
      if (!w) parquet.set(s, (w = new ParquetSplitWriter(o.out, s, o.shardRows, pqSettings!)));
      return w;
    };
    items = new FileSink(join(o.out, ITEMS_FILE));
    const perSplit: Record<SplitName, number> = { train: 0, validation: 0, test: 0 };
    const perDecision: Record<string, number> = {};
    const perLabel: Record<string, number> = {};
    const skipped: Record<string, number> = { no_correction: 0, no_output: 0, inconsistent_prompt: 0 };
    let excludedConflict = 0;
    const placeholders: Record<string, number> = {};
    let rowsChanged = 0;
    const inflight: Promise<BatchResult>[] = [];
    const maxInflight = Math.max(1, runner.threads * 4);
    const itemsSink = items;
    const consume = (r: BatchResult) => {
      SPLITS.forEach((split, s) => {
        const lines = r.lines[s];
        if (lines) jsonlFor(split).write(lines);
        const objects = r.rows[s] ?? [];
        if (writeParquet) for (const row of objects) parquetFor(split).write(row);
        perSplit[split] += lines ? lines.rows : objects.length;
      });
      if (r.items.byteLength) itemsSink.write(r.items);
      rows += r.rowCount;
      addCounts(perDecision, r.perDecision);
      addCounts(perLabel, r.perLabel);
      addCounts(skipped, r.skipped);
      addCounts(placeholders, r.placeholders);
      rowsChanged += r.rowsChanged;
    };
    const submit = (batch: Candidate[]) => {
      const p = runner!.run(batch);
      p.catch(() => {}); // awaited below, in order; this only keeps an abandoned one from going unhandled
      inflight.push(p);
    };

    report('writing', total, true);
    let batch: Candidate[] = [];
    // Without redaction the flags come separately, for the PII-flag check made here.
    for (const [conflict, row, flags] of iterateExportRows(db, filters, !o.redact)) {
      if (++done % YIELD_EVERY === 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (signal?.aborted) throw cancelled();
        report('writing', total);
      }
      if (conflict) {
        excludedConflict++;
        continue;
      }
      if (!o.redact && flagsJsonHasPii(flags ?? null)) {
        unredactedPiiItems++;
        if (!o.allowUnredacted) refusing = true;
      }
      if (refusing) continue;
      batch.push(row);
      if (batch.length >= BATCH_ROWS) {
        submit(batch);
        batch = [];
        if (inflight.length >= maxInflight) consume(await inflight.shift()!);
      }
    }
    if (refusing) throw refusal(0, unredactedPiiItems);
    if (batch.length) submit(batch);
    while (inflight.length) consume(await inflight.shift()!);
    await runner.close();
    runner = null;
    reader.close();
    reader = null;
    if (signal?.aborted) throw cancelled();

    // 3. Close the shards, write the card, seal.
    report('sealing', total, true);
    const files: WrittenFile[] = [];
    const bytesOf = (fs: WrittenFile[]) => fs.reduce((n, f) => n + f.bytes, 0);
    const cardSplits: CardSplit[] = [];
    const configFormat = writeParquet ? 'parquet' : 'jsonl';
    for (const s of SPLITS) {
      const j = jsonl.get(s)?.finish() ?? [];
      const p = parquet.get(s)?.finish() ?? [];
      files.push(...j, ...p);
      const shown = configFormat === 'parquet' ? p : j;
      cardSplits.push({ name: s, rows: perSplit[s], bytes: bytesOf(shown), files: shown.length });
    }
    jsonl.clear();
    parquet.clear();
    const itemsFile = items.close();
    items = null;
    files.push({ path: ITEMS_FILE, ...itemsFile, rows });

    const labelIds = Object.keys(perLabel);
    const order = new Map(taxonomy.labels.map((l, i) => [l.id, i]));
    labelIds.sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0));
    const names = new Map(taxonomy.labels.map((l) => [l.id, l.name]));
    const card = renderCard({
      spec,
      options: o,
      configFormat,
      splits: cardSplits,
      rows,
      perDecision,
      labels: labelIds.map((id) => ({ id, name: names.get(id) ?? id, rows: perLabel[id]! })),
      taxonomy: { name: taxonomy.name, version: taxonomy.version },
      excludedConflict,
      skipped,
      redaction: { enabled: o.redact, placeholders, rowsChanged },
      appVersion: APP_VERSION,
    });
    const cardSink = new FileSink(join(o.out, CARD_FILE));
    cardSink.write(Buffer.from(card, 'utf8'));
    files.push({ path: CARD_FILE, ...cardSink.close() });
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

    const sortedRecord = (r: Record<string, number>) => Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]!]));
    const content: ManifestContent = {
      app: { name: 'verdict', version: APP_VERSION },
      schema_version: codeSchemaVersion(),
      workspace_id: workspaceId,
      format: o.format,
      outputs: o.outputs,
      filters: o.filters,
      seed: o.seed,
      split_ratios: o.split,
      include_dismissed: o.includeDismissed,
      keep_inconsistent_pairs: o.keepInconsistent,
      license: o.license,
      redaction: {
        enabled: o.redact,
        allow_unredacted: o.allowUnredacted,
        unresolved_pii_items: unresolvedPiiItems,
        unredacted_pii_items: unredactedPiiItems,
        placeholders: sortedRecord(placeholders),
        rows_changed: rowsChanged,
      },
      counts: {
        selected: done,
        rows,
        per_split: perSplit,
        per_decision: sortedRecord(perDecision),
        per_label: sortedRecord(perLabel),
        excluded_conflict: excludedConflict,
        skipped: sortedRecord(skipped),
      },
      items_file: ITEMS_FILE,
      files: files.map(plainFile),
    };
    if (signal?.aborted) throw cancelled();

    // 4. The audit event, in its own transaction now that the files are complete.
    const exportId = newId();
    const createdAt = nowIso();
    const digest = contentSha256(content);
    const event = ws.sqlite.transaction(() =>
      ws.audit.append(
        EXPORT_EVENT,
        {
          export_id: exportId,
          format: o.format,
          outputs: o.outputs,
          filters: o.filters,
          seed: o.seed,
          split_ratios: o.split,
          rows,
          files_sha256: filesSha256(content.files),
          content_sha256: digest,
          snapshot_audit_size: snapshotSize,
          redact: o.redact,
          allow_unredacted: o.allowUnredacted,
          unresolved_pii_items: unresolvedPiiItems,
          unredacted_pii_items: unredactedPiiItems,
        },
        { actor: o.actor, subject: exportId, at: createdAt },
      ),
    ).immediate();
    sealed = true;
    const start = peaks ? await peaks.result : null;
    peaks = null;
    const proof = proveLastLeaf(ws.sqlite, event.seq, [snapshotSize, event.seq], start ?? undefined);
    if (proof.leafHash !== event.leafHash) throw new Error('export: the stored audit event does not match the one just written');
    // The head before the event, as the audit log itself computed it when appending.
    const prev = (JSON.parse(auditEventRow(ws.sqlite, event.seq)!.body) as AuditEventBody).prev;
    if (proof.heads[event.seq]?.root !== prev.root) throw new Error('export: the audit log head before the export event does not match the proof');
    const ok = verifyInclusion(
      Buffer.from(proof.leafHash, 'hex'),
      proof.leafIndex,
      proof.head.size,
      proof.proof.map((h) => Buffer.from(h, 'hex')),
      Buffer.from(proof.head.root, 'hex'),
    );
    if (!ok) throw new Error('export: the inclusion proof of the export event does not verify');
    const snapshotHead: TreeHead = proof.heads[snapshotSize]!;
    const manifest: Manifest = {
      manifest_version: MANIFEST_VERSION,
      export_id: exportId,
      created_at: createdAt,
      content,
      content_sha256: digest,
      audit: {
        snapshot_head: snapshotHead,
        event: { type: EXPORT_EVENT, id: event.id, leaf_index: event.seq, leaf_hash: event.leafHash },
        head: proof.head,
        inclusion_proof: proof.proof,
      },
    };
    writeFileSync(join(o.out, MANIFEST_FILE), renderManifest(manifest), { flag: 'wx' });
    const seconds = (performance.now() - started) / 1000;
    report('done', total, true);
    return {
      exportId,
      dir: o.out,
      format: o.format,
      outputs: o.outputs,
      selected: done,
      rows,
      perSplit,
      excludedConflict,
      skipped,
      unresolvedPiiItems,
      unredactedPiiItems,
      files,
      auditEventSeq: event.seq,
      seconds,
      rowsPerSecond: seconds > 0 ? rows / seconds : 0,
    };
  } catch (err) {
    await runner?.close();
    await peaks?.cancel();
    reader?.close();
    for (const w of jsonl.values()) w.abandon();
    for (const w of parquet.values()) w.abandon();
    items?.abandon();
    // Once the audit event exists the export is on record: its files stay for inspection.
    if (!sealed) removeOutput(o.out, created);
    throw err;
  }
}
