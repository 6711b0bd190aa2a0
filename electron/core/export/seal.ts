/**
 * Sealing an export once its data files are complete: the dataset card, the manifest's content,
 * the `export.created` audit event, the inclusion proof of that event, and `manifest.json`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditEventRow } from '../../../db/queries/export.ts';
import type { AuditEventBody } from '../audit/log.ts';
import { verifyInclusion } from '../audit/merkle.ts';
import type { Taxonomy } from '../review/taxonomy.ts';
import { APP_VERSION } from '../version.ts';
import { newId, nowIso } from '../util/ids.ts';
import { codeSchemaVersion, type Workspace } from '../workspace/open.ts';
import { renderCard, type CardSplit } from './card.ts';
import { proveLastLeaf, type PeaksState } from './audit-proof.ts';
import { FileSink, type WrittenFile } from './files.ts';
import type { FormatSpec } from './formats.ts';
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
  type ManifestAudit,
  type ManifestContent,
} from './manifest.ts';
import type { NormalizedOptions } from './options.ts';
import type { ExportTally } from './tally.ts';

const byPath = (a: WrittenFile, b: WrittenFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
const sortedRecord = (r: Record<string, number>) => Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]!]));

/** Labels in taxonomy order (unknown ones after, by id), so the card reads like the review desk. */
function cardLabels(taxonomy: Taxonomy, perLabel: Record<string, number>): { id: string; name: string; rows: number }[] {
  const labelIds = Object.keys(perLabel);
  const order = new Map(taxonomy.labels.map((l, i) => [l.id, i]));
  labelIds.sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0));
  const names = new Map(taxonomy.labels.map((l) => [l.id, l.name]));
  return labelIds.map((id) => ({ id, name: names.get(id) ?? id, rows: perLabel[id]! }));
}

export interface CardInput {
  spec: FormatSpec;
  o: NormalizedOptions;
  taxonomy: Taxonomy;
  tally: ExportTally;
  cardSplits: CardSplit[];
  configFormat: 'parquet' | 'jsonl';
}

/** Writes the dataset card and adds it to `files`, which it returns sorted by path (the manifest's order). */
export function writeCard(c: CardInput, files: WrittenFile[]): WrittenFile[] {
  const { tally, o } = c;
  const card = renderCard({
    spec: c.spec,
    options: o,
    configFormat: c.configFormat,
    splits: c.cardSplits,
    rows: tally.rows,
    perDecision: tally.perDecision,
    labels: cardLabels(c.taxonomy, tally.perLabel),
    taxonomy: { name: c.taxonomy.name, version: c.taxonomy.version },
    excludedConflict: tally.excludedConflict,
    skipped: tally.skipped,
    redaction: { enabled: o.redact, placeholders: tally.placeholders, rowsChanged: tally.rowsChanged },
    appVersion: APP_VERSION,
  });
  const cardSink = new FileSink(join(o.out, CARD_FILE));
  cardSink.write(Buffer.from(card, 'utf8'));
  files.push({ path: CARD_FILE, ...cardSink.close() });
  return files.sort(byPath);
}

/** What the manifest's digest covers: everything that decides the dataset's bytes, and the files. */
export function manifestContent(
  o: NormalizedOptions,
  workspaceId: string,
  tally: ExportTally,
  files: WrittenFile[],
  schemaVersion: number = codeSchemaVersion(),
): ManifestContent {
  return {
    app: { name: 'verdict', version: APP_VERSION },
    schema_version: schemaVersion,
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
      unresolved_pii_items: tally.unresolvedPiiItems,
      unredacted_pii_items: tally.unredactedPiiItems,
      placeholders: sortedRecord(tally.placeholders),
      rows_changed: tally.rowsChanged,
    },
    counts: {
      selected: tally.done,
      rows: tally.rows,
      per_split: tally.perSplit,
      per_decision: sortedRecord(tally.perDecision),
      per_label: sortedRecord(tally.perLabel),
      excluded_conflict: tally.excludedConflict,
      skipped: sortedRecord(tally.skipped),
    },
    items_file: ITEMS_FILE,
    files: files.map(plainFile),
  };
}

export interface ExportRecord {
  exportId: string;
  createdAt: string;
  digest: string;
  event: ReturnType<Workspace['audit']['append']>;
}

/** What the `export.created` event records (the same locally and in a team database). */
export function exportEventData(exportId: string, o: NormalizedOptions, content: ManifestContent, snapshotSize: number, tally: ExportTally): Record<string, unknown> {
  return {
    export_id: exportId,
    format: o.format,
    outputs: o.outputs,
    filters: o.filters,
    seed: o.seed,
    split_ratios: o.split,
    rows: tally.rows,
    files_sha256: filesSha256(content.files),
    content_sha256: contentSha256(content),
    snapshot_audit_size: snapshotSize,
    redact: o.redact,
    allow_unredacted: o.allowUnredacted,
    unresolved_pii_items: tally.unresolvedPiiItems,
    unredacted_pii_items: tally.unredactedPiiItems,
  };
}

/** The audit event, in its own transaction now that the files are complete. */
export function appendExportEvent(ws: Workspace, o: NormalizedOptions, content: ManifestContent, snapshotSize: number, tally: ExportTally): ExportRecord {
  const exportId = newId();
  const createdAt = nowIso();
  const digest = contentSha256(content);
  const event = ws.sqlite
    .transaction(() => ws.audit.append(EXPORT_EVENT, exportEventData(exportId, o, content, snapshotSize, tally), { actor: o.actor, subject: exportId, at: createdAt }))
    .immediate();
  return { exportId, createdAt, digest, event };
}

/**
 * Proves the export event is in the log and that the log before it is the one the export read,
 * then writes `manifest.json` with the proof. `start` is the audit log folded up to the snapshot
 * (computed by a worker for large logs), or undefined to fold it here.
 */
export function writeProvenManifest(ws: Workspace, out: string, rec: ExportRecord, content: ManifestContent, snapshotSize: number, start: PeaksState | undefined): void {
  const { event } = rec;
  const proof = proveLastLeaf(ws.sqlite, event.seq, [snapshotSize, event.seq], start);
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
  writeManifestFile(out, { exportId: rec.exportId, createdAt: rec.createdAt, digest: rec.digest }, content, {
    snapshot_head: proof.heads[snapshotSize]!,
    event: { type: EXPORT_EVENT, id: event.id, leaf_index: event.seq, leaf_hash: event.leafHash },
    head: proof.head,
    inclusion_proof: proof.proof,
  });
}

/** Writes `manifest.json` (never over an existing one). */
export function writeManifestFile(out: string, rec: { exportId: string; createdAt: string; digest: string }, content: ManifestContent, audit: ManifestAudit): void {
  const manifest: Manifest = { manifest_version: MANIFEST_VERSION, export_id: rec.exportId, created_at: rec.createdAt, content, content_sha256: rec.digest, audit };
  writeFileSync(join(out, MANIFEST_FILE), renderManifest(manifest), { flag: 'wx' });
}
