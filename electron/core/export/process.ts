/**
 * Turning selected items into rows: redaction, the format's row builder, the split, the JSON
 * line and the items.jsonl line. Pure and batch-at-a-time, so it runs the same in the exporting
 * thread or in worker threads; a batch's result depends only on the batch (caches inside the
 * redactor change speed, never output), which keeps exports byte-identical whatever the
 * thread count.
 */
import type { ExportCandidateRow } from '../../../db/queries/export.ts';
import { FORMATS, type FormatSpec, type Row } from './formats.ts';
import { SPLITS, type ExportFormat, type SplitName } from './options.ts';
import { Redactor } from './redaction.ts';
import { LazyRow } from './rows.ts';
import { groupKey, splitFor, type SplitRatios } from './split.ts';

export interface ProcessConfig {
  format: ExportFormat;
  redact: boolean;
  includeDismissed: boolean;
  seed: number;
  split: SplitRatios;
  /** Produce JSON lines (JSONL output). */
  jsonl: boolean;
  /** Produce row objects (Parquet output). */
  parquet: boolean;
}

/** The fields of a candidate a batch needs (conflicts are filtered out before batching). */
export type Candidate = Omit<ExportCandidateRow, 'seq' | 'status'>;

/** A split's JSON lines from one batch, UTF-8 encoded back to back; `ends[i]` is where row i's line ends. */
export interface LineChunk {
  bytes: Uint8Array;
  ends: Uint32Array;
}

/**
 * One batch's rows, grouped by split (index into SPLITS) in item order. Text goes back as UTF-8
 * bytes in its own ArrayBuffers, so a worker can transfer rather than copy it.
 */
export interface BatchResult {
  rowCount: number;
  /** JSON lines per split (when `jsonl`). */
  lines: (LineChunk | null)[];
  /** Row objects per split (when `parquet`). */
  rows: Row[][];
  /** items.jsonl lines of the batch, in item order. */
  items: Uint8Array;
  perDecision: Record<string, number>;
  perLabel: Record<string, number>;
  skipped: Record<string, number>;
  placeholders: Record<string, number>;
  rowsChanged: number;
}

export class RowProcessor {
  private readonly spec: FormatSpec;
  private readonly redactor: Redactor;
  private readonly lazy: LazyRow;
  private readonly buildOptions: { includeDismissed: boolean };

  constructor(private readonly cfg: ProcessConfig) {
    this.spec = FORMATS[cfg.format];
    this.redactor = new Redactor(cfg.redact);
    this.lazy = new LazyRow(this.redactor);
    this.buildOptions = { includeDismissed: cfg.includeDismissed };
  }

  process(batch: readonly Candidate[]): BatchResult {
    const cfg = this.cfg;
    const redactor = this.redactor;
    const lines: string[][] = SPLITS.map(() => []);
    const items: string[] = [];
    const out: BatchResult = {
      rowCount: 0,
      lines: [],
      rows: SPLITS.map(() => []),
      items: EMPTY,
      perDecision: {},
      perLabel: {},
      skipped: {},
      placeholders: {},
      rowsChanged: 0,
    };
    const before = { ...redactor.stats.byType };
    const changedBefore = redactor.stats.rowsChanged;
    for (const c of batch) {
      redactor.beginRow();
      const src = this.lazy.load(c);
      const row = this.spec.build(src, this.buildOptions);
      if (typeof row === 'string') {
        redactor.endRow(false);
        out.skipped[row] = (out.skipped[row] ?? 0) + 1;
        continue;
      }
      redactor.endRow(true);
      const split = splitFor(cfg.seed, groupKey(c.conversationId, c.requestId, c.itemId), cfg.split);
      const s = SPLIT_INDEX[split];
      out.rowCount++;
      if (cfg.jsonl) lines[s]!.push(`${JSON.stringify(row)}\n`);
      if (cfg.parquet) out.rows[s]!.push(row);
      items.push(`${JSON.stringify({ item_id: c.itemId, verdict_id: c.verdictId, revision_id: c.revisionId, split })}\n`);
      out.perDecision[c.decision] = (out.perDecision[c.decision] ?? 0) + 1;
      for (const l of src.labels) out.perLabel[l] = (out.perLabel[l] ?? 0) + 1;
    }
    for (const [k, n] of Object.entries(redactor.stats.byType)) {
      const d = n - (before[k] ?? 0);
      if (d) out.placeholders[k] = d;
    }
    out.rowsChanged = redactor.stats.rowsChanged - changedBefore;
    out.lines = cfg.jsonl ? lines.map(encodeLines) : [];
    out.items = items.length ? encoder.encode(items.join('')) : EMPTY;
    return out;
  }
}

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);
const SPLIT_INDEX: Record<SplitName, number> = { train: 0, validation: 1, test: 2 };

/** UTF-8 encodes lines back to back in one pass, noting where each ends. */
function encodeLines(lines: string[]): LineChunk | null {
  if (lines.length === 0) return null;
  let capacity = 0;
  for (const l of lines) capacity += l.length * 3;
  const buf = new Uint8Array(capacity);
  const ends = new Uint32Array(lines.length);
  let at = 0;
  for (let i = 0; i < lines.length; i++) {
    at += encoder.encodeInto(lines[i]!, buf.subarray(at)).written;
    ends[i] = at;
  }
  return { bytes: buf.slice(0, at), ends };
}

/** The ArrayBuffers of a result, for a worker's transfer list. */
export function transferables(r: BatchResult): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  if (r.items.byteLength) out.push(r.items.buffer as ArrayBuffer);
  for (const c of r.lines) if (c) out.push(c.bytes.buffer as ArrayBuffer, c.ends.buffer as ArrayBuffer);
  return out;
}
