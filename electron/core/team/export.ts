/**
 * `verdict export … --team URL`: a retraining dataset from the team database, with the local
 * export's writers, row processor, card, manifest and proof (electron/core/export/). Only the
 * reading side differs: rows come from one REPEATABLE READ snapshot of the team database
 * (db/team/export.ts, over `verdict.in_force`), and the `export.created` event goes into the
 * team audit log, whose head the manifest's inclusion proof references.
 */
import type pg from 'pg';
import {
  beginExportSnapshot,
  endExportSnapshot,
  estimateTeamExportCandidates,
  iterateTeamExportRows,
  recordTeamExport,
  teamLeaf,
  teamLeafHashChunks,
  unresolvedFlaggedTeamItems,
} from '../../../db/team/export.ts';
import { integrateAll } from '../../../db/team/queue.ts';
import type { ExportFilterSql } from '../../../db/queries/export.ts';
import { verifyInclusion } from '../audit/merkle.ts';
import { proveLastLeafFrom } from '../export/audit-proof.ts';
import { cancelled, prepareOutDir, refusal, removeOutput, type ExportSummary } from '../export/export.ts';
import { FORMATS } from '../export/formats.ts';
import { contentSha256, EXPORT_EVENT } from '../export/manifest.ts';
import { normalizeOptions, type ExportOptions } from '../export/options.ts';
import { inlineRunner, workerRunner, defaultExportThreads, type BatchRunner } from '../export/pool.ts';
import type { ProcessConfig } from '../export/process.ts';
import { ProgressReporter } from '../export/progress.ts';
import { flagsJsonHasPii } from '../export/redaction.ts';
import { exportEventData, manifestContent, writeCard, writeManifestFile } from '../export/seal.ts';
import { streamRows } from '../export/stream.ts';
import { ExportTally } from '../export/tally.ts';
import { ExportWriters } from '../export/writers.ts';
import { DEFAULT_TAXONOMY } from '../review/taxonomy.ts';
import { UsageError } from '../util/errors.ts';
import { newId } from '../util/ids.ts';
import { teamClient } from './connect.ts';
import { teamError } from './errors.ts';

const PARALLEL_MIN_ITEMS = 20_000;

/** Body of a team audit leaf (db/team/migrations/0002 `verdict.audit`, 0006 `verdict.record_export`). */
interface TeamLeafBody {
  type: string;
  at: string;
  actor: string;
  subject: string | null;
  data: Record<string, unknown>;
}

export async function exportTeamDataset(url: string, options: ExportOptions): Promise<ExportSummary> {
  let client: pg.Client;
  try {
    client = await teamClient(url, 'verdict export');
  } catch (err) {
    throw teamError('export', err);
  }
  try {
    return await run(client, options);
  } catch (err) {
    // Refusals (PII, non-empty folder, cancel) are UserErrors and pass through unchanged.
    throw teamError('export', err);
  } finally {
    await client.end().catch(() => {});
  }
}

async function run(client: pg.Client, options: ExportOptions): Promise<ExportSummary> {
  const o = normalizeOptions(options);
  const spec = FORMATS[o.format];
  const checkCancel = () => {
    if (options.signal?.aborted) throw cancelled();
  };
  checkCancel();
  const started = performance.now();
  const { created } = prepareOutDir(o.out);
  let writers: ExportWriters | null = null;
  let runner: BatchRunner | null = null;
  let inSnapshot = false;
  let sealed = false;
  try {
    // Everything queued so far gets its tree position first, so the snapshot head covers it.
    await integrateAll(client);
    const snap = await beginExportSnapshot(client);
    inSnapshot = true;
    const filters: ExportFilterSql = { ...o.filters };
    const tally = new ExportTally();
    const progress = new ProgressReporter(options.onProgress, started, tally);
    progress.report('checking', 0, true);
    const total = await estimateTeamExportCandidates(client, filters);
    const threads = options.threads ?? (total >= PARALLEL_MIN_ITEMS ? defaultExportThreads() : 0);
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
    runner = threads > 0 ? workerRunner(processConfig, threads) : inlineRunner(processConfig);
    tally.unresolvedPiiItems = (await unresolvedFlaggedTeamItems(client, filters)).filter((r) => flagsJsonHasPii(r.flags)).length;
    if (tally.unresolvedPiiItems > 0 && !o.allowUnredacted) throw refusal(tally.unresolvedPiiItems, 0);

    writers = new ExportWriters(o, spec, processConfig.parquet);
    progress.report('writing', total, true);
    const rows = iterateTeamExportRows(client, filters, !o.redact);
    await streamRows({ rows, o, runner, writers, tally, progress, total, checkCancel, refuseUnredacted: (n) => refusal(0, n) });
    await runner.close();
    runner = null;
    await endExportSnapshot(client);
    inSnapshot = false;
    checkCancel();

    progress.report('sealing', total, true);
    const { files: dataFiles, cardSplits, configFormat } = writers.finish(tally);
    writers = null;
    // A team database has no taxonomy setting of its own: the card uses the default one.
    const files = writeCard({ spec, o, taxonomy: DEFAULT_TAXONOMY, tally, cardSplits, configFormat }, dataFiles);
    const content = manifestContent(o, snap.teamId, tally, files, snap.schemaVersion);
    checkCancel();

    // The event goes into the team log; sequencing it gives it its position.
    const exportId = newId();
    const leafId = await recordTeamExport(client, exportId, exportEventData(exportId, o, content, snap.tree.size, tally));
    sealed = true;
    await integrateAll(client);
    const leaf = await teamLeaf(client, { id: leafId });
    if (!leaf) throw new Error('export: the export event was not sequenced into the team audit log');
    const body = JSON.parse(leaf.body) as TeamLeafBody;
    const proof = await proveLastLeafFrom((size, from) => teamLeafHashChunks(client, size, from), leaf.seq, [snap.tree.size]);
    if (proof.leafHash !== leaf.leafHash) throw new Error('export: the stored team audit event does not match the one just written');
    if (proof.heads[snap.tree.size]?.root !== snap.tree.root.toString('hex'))
      throw new Error('export: the team audit log no longer extends the head the export read');
    const ok = verifyInclusion(Buffer.from(proof.leafHash, 'hex'), proof.leafIndex, proof.head.size, proof.proof.map((h) => Buffer.from(h, 'hex')), Buffer.from(proof.head.root, 'hex'));
    if (!ok) throw new Error('export: the inclusion proof of the export event does not verify');
    writeManifestFile(o.out, { exportId, createdAt: body.at, digest: contentSha256(content) }, content, {
      snapshot_head: proof.heads[snap.tree.size]!,
      event: { type: EXPORT_EVENT, id: leaf.id, leaf_index: leaf.seq, leaf_hash: leaf.leafHash },
      head: proof.head,
      inclusion_proof: proof.proof,
    });
    const seconds = (performance.now() - started) / 1000;
    progress.report('done', total, true);
    return {
      exportId,
      dir: o.out,
      format: o.format,
      outputs: o.outputs,
      ...tally.summary(),
      files,
      auditEventSeq: leaf.seq,
      seconds,
      rowsPerSecond: seconds > 0 ? tally.rows / seconds : 0,
    };
  } catch (err) {
    await runner?.close();
    if (inSnapshot) await client.query('ROLLBACK').catch(() => {});
    writers?.abandon();
    if (!sealed) removeOutput(o.out, created);
    throw err;
  }
}
