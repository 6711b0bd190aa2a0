/**
 * `manifest.json`: what an export holds and how to check it.
 *
 * - `content` is deterministic: the same workspace state and options give the same content
 *   (files with their SHA-256, filters, seed, split ratios, counts, redaction figures).
 *   `content_sha256` is SHA-256 of its RFC 8785 canonical JSON.
 * - `export_id`, `created_at` and `audit` differ on every export: the audit section holds the
 *   tree head of the snapshot the rows were read from, the `export.created` event (leaf index
 *   and hash), the head of the tree ending with that event, and the event's inclusion proof.
 *
 * The per-row item and verdict ids are streamed to `items.jsonl` (listed and hashed in
 * `content.files` like every data file) rather than inlined, so the manifest stays small at a
 * million rows.
 */
import type { TreeHead } from '../audit/merkle.ts';
import { canonicalJson, sha256Hex } from '../audit/canonical.ts';
import type { WrittenFile } from './files.ts';
import type { ExportFormat, NormalizedFilters, OutputKind } from './options.ts';

export const MANIFEST_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const ITEMS_FILE = 'items.jsonl';
export const CARD_FILE = 'README.md';
export const EXPORT_EVENT = 'export.created';

export interface ManifestContent {
  app: { name: 'verdict'; version: string };
  schema_version: number;
  workspace_id: string;
  format: ExportFormat;
  outputs: OutputKind[];
  filters: NormalizedFilters;
  seed: number;
  split_ratios: { train: number; validation: number; test: number };
  include_dismissed: boolean;
  /** Preference formats: pairs with inconsistent prompts kept (else left out, counted under skipped.inconsistent_prompt). */
  keep_inconsistent_pairs: boolean;
  license: string;
  redaction: {
    enabled: boolean;
    allow_unredacted: boolean;
    /** Items in scope with PII flags and no violation/dismiss verdict in force (not exported). */
    unresolved_pii_items: number;
    /** Exported items with PII flags whose text left unredacted (redaction off). */
    unredacted_pii_items: number;
    placeholders: Record<string, number>;
    rows_changed: number;
  };
  counts: {
    /** Items whose in-force verdict matched the filters (conflicts included). */
    selected: number;
    rows: number;
    per_split: Record<string, number>;
    per_decision: Record<string, number>;
    per_label: Record<string, number>;
    excluded_conflict: number;
    skipped: Record<string, number>;
  };
  /** `items.jsonl`: one line per row, in row order: item_id, verdict_id, revision_id, split. */
  items_file: string;
  files: WrittenFile[];
}

export interface ManifestAudit {
  /** The audit tree head of the snapshot the rows were read from. */
  snapshot_head: TreeHead;
  event: { type: string; id: string; leaf_index: number; leaf_hash: string };
  /** Head of the tree whose last leaf is the export event. */
  head: TreeHead;
  /** RFC 6962 audit path of the event in `head`, leaf side first (hex). */
  inclusion_proof: string[];
}

export interface Manifest {
  manifest_version: number;
  export_id: string;
  created_at: string;
  content: ManifestContent;
  content_sha256: string;
  audit: ManifestAudit;
}

/** The hash the audit event records for the file list. */
export function filesSha256(files: readonly WrittenFile[]): string {
  return sha256Hex(canonicalJson(files.map(plainFile)));
}

/** A file entry without undefined members (canonical JSON refuses them). */
export function plainFile(f: WrittenFile): WrittenFile {
  return f.rows === undefined ? { path: f.path, sha256: f.sha256, bytes: f.bytes } : { path: f.path, sha256: f.sha256, bytes: f.bytes, rows: f.rows };
}

export function contentSha256(content: ManifestContent): string {
  return sha256Hex(canonicalJson(content));
}

/** Manifest JSON: two-space indented, keys in a fixed order, trailing newline. */
export function renderManifest(m: Manifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}
