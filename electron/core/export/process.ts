/**
 * Turning selected items into rows: redaction, the format's row builder, the split, the JSON
 * line and the items.jsonl line. Pure and batch-at-a-time, so it runs the same in the exporting
 * thread or in worker threads; a batch's result depends only on the batch (caches inside the
 * redactor change speed, never output), which keeps exports byte-identical whatever the
 * thread count.
 */
import type { ExportRowTuple } from '../../../db/queries/export.ts';
import { FORMATS, type BuildOptions, type FormatSpec, type Row } from './formats.ts';
import { SPLITS, type ExportFormat, type SplitName } from './options.ts';
import { Redactor } from './redaction.ts';
import { LazyRow } from './rows.ts';
import { groupKey, splitFor, type SplitRatios } from './split.ts';

export interface ProcessConfig {
  format: ExportFormat;
  redact: boolean;
  includeDismissed: boolean;
  keepInconsistent: boolean;
  seed: number;
  split: SplitRatios;
  /** Produce JSON lines (JSONL output). */
  jsonl: boolean;
  /** Produce row objects (Parquet output). */
  parquet: boolean;
}

/**
 * One selected item, as SQLite built it: the JSON text of an `ExportRowTuple` (conflicts are
 * filtered out before batching). A batch is an array of these strings, which crosses to a worker
 * far more cheaply than objects with a dozen fields each.
 */
export type Candidate = string;

/**
 * A split's JSON lines from one batch, UTF-8 encoded back to back. Every line ends with the only
 * newline byte in it (JSON.stringify escapes newlines, and UTF-8 never puts 0x0A inside a
 * multi-byte character), so row boundaries are found by counting newlines when needed.
 */
export interface LineChunk {
  bytes: Uint8Array;
  rows: number;
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
  private readonly buildOptions: BuildOptions;

  /** JSON lines per split and items.jsonl lines, reused from batch to batch. */
  private readonly lineBuffers = SPLITS.map(() => new LineBuffer());
  private readonly itemLines = new LineBuffer();

  constructor(private readonly cfg: ProcessConfig) {
    this.spec = FORMATS[cfg.format];
    this.redactor = new Redactor(cfg.redact);
    this.lazy = new LazyRow(this.redactor);
    this.buildOptions = { includeDismissed: cfg.includeDismissed, keepInconsistent: cfg.keepInconsistent };
  }

  process(batch: readonly Candidate[]): BatchResult {
    const cfg = this.cfg;
    const redactor = this.redactor;
    const lines = this.lineBuffers;
    const items = this.itemLines;
    for (const l of lines) l.clear();
    items.clear();
    const out: BatchResult = {
      rowCount: 0,
      lines: [],
      rows: cfg.parquet ? SPLITS.map(() => []) : [],
      items: EMPTY,
      perDecision: {},
      perLabel: {},
      skipped: {},
      placeholders: {},
      rowsChanged: 0,
    };
    const before = { ...redactor.stats.byType };
    const changedBefore = redactor.stats.rowsChanged;
    for (const json of batch) {
      const c = JSON.parse(json) as ExportRowTuple;
      redactor.beginRow();
      const src = this.lazy.load(c);
      const row = this.spec.build(src, this.buildOptions);
      if (typeof row === 'string') {
        redactor.endRow(false);
        out.skipped[row] = (out.skipped[row] ?? 0) + 1;
        continue;
      }
      redactor.endRow(true);
      const split = splitFor(cfg.seed, groupKey(c[11], c[12], c[13]), cfg.split);
      const s = SPLIT_INDEX[split];
      out.rowCount++;
      if (cfg.jsonl) lines[s]!.push(JSON.stringify(row));
      if (cfg.parquet) out.rows[s]!.push(row);
      items.push(JSON.stringify({ item_id: src.itemId, verdict_id: c[2], revision_id: c[7], split }));
      out.perDecision[src.decision] = (out.perDecision[src.decision] ?? 0) + 1;
      for (const l of src.labels) out.perLabel[l] = (out.perLabel[l] ?? 0) + 1;
    }
    for (const [k, n] of Object.entries(redactor.stats.byType)) {
      const d = n - (before[k] ?? 0);
      if (d) out.placeholders[k] = d;
    }
    out.rowsChanged = redactor.stats.rowsChanged - changedBefore;
    out.lines = cfg.jsonl ? lines.map((l) => (l.rows ? { rows: l.rows, bytes: l.take() } : null)) : [];
    out.items = items.rows ? items.take() : EMPTY;
    return out;
  }
}

/**
 * Lines UTF-8 encoded straight into a reusable off-heap buffer, each followed by a newline: no
 * rope or joined string of the whole batch on the JS heap (those are large enough to be
 * allocated in the old generation, which costs full garbage collections).
 */
class LineBuffer {
  private buf = Buffer.allocUnsafeSlow(256 << 10);
  private length = 0;
  rows = 0;

  push(line: string): void {
    // At most 3 bytes per UTF-16 code unit, plus the newline.
    const need = this.length + line.length * 3 + 1;
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(need, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    this.length += this.buf.write(line, this.length);
    this.buf[this.length++] = 10;
    this.rows++;
  }

  /** The lines so far, in a new ArrayBuffer of their own (transferable); starts over. */
  take(): Uint8Array {
    const out = new Uint8Array(this.length);
    out.set(this.buf.subarray(0, this.length));
    this.clear();
    return out;
  }

  clear(): void {
    this.length = 0;
    this.rows = 0;
  }
}

const EMPTY = new Uint8Array(0);
const SPLIT_INDEX: Record<SplitName, number> = { train: 0, validation: 1, test: 2 };

/** The ArrayBuffers of a result, for a worker's transfer list. */
export function transferables(r: BatchResult): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  if (r.items.byteLength) out.push(r.items.buffer as ArrayBuffer);
  for (const c of r.lines) if (c) out.push(c.bytes.buffer as ArrayBuffer);
  return out;
}
