/** Export progress and results as the UI and the CLI see them (plain model types). */
import type { TreeHead } from './audit.ts';

export type SplitName = 'train' | 'validation' | 'test';

export interface ExportProgress {
  phase: 'checking' | 'writing' | 'sealing' | 'done';
  /** Selected items processed so far (conflicts included; they are counted, not written). */
  done: number;
  /** An upper bound of `done` at the end: items within the item filters that have any verdict. */
  total: number;
  /** Rows written so far. */
  rows: number;
  rowsPerSecond: number;
  etaSeconds: number | null;
}

export interface WrittenFile {
  /** Path relative to the export folder, with `/` separators. */
  path: string;
  sha256: string;
  bytes: number;
  /** Data rows in the file (data shards and items.jsonl). */
  rows?: number;
}

export interface ExportSummary {
  exportId: string;
  dir: string;
  format: string;
  outputs: string[];
  /** Items whose in-force verdict matched the filters (conflicts included). */
  selected: number;
  rows: number;
  perSplit: Record<SplitName, number>;
  excludedConflict: number;
  skipped: Record<string, number>;
  unresolvedPiiItems: number;
  unredactedPiiItems: number;
  files: WrittenFile[];
  auditEventSeq: number;
  seconds: number;
  rowsPerSecond: number;
}

export type VerifyExportResult =
  | { ok: true; exportId: string; files: number; rows: number; eventSeq: number; head: TreeHead }
  | { ok: false; problem: string };

