/**
 * The export's running counts. They feed the dataset card, the manifest and the summary, so
 * they are kept in one place and added to in one order, whatever thread processed the batch.
 */
import type { StreamCounts } from './progress.ts';
import type { BatchResult } from './process.ts';
import type { SplitName } from './options.ts';

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const k in from) into[k] = (into[k] ?? 0) + from[k]!;
}

export class ExportTally implements StreamCounts {
  done = 0;
  rows = 0;
  readonly perSplit: Record<SplitName, number> = { train: 0, validation: 0, test: 0 };
  readonly perDecision: Record<string, number> = {};
  readonly perLabel: Record<string, number> = {};
  readonly skipped: Record<string, number> = { no_correction: 0, no_output: 0, inconsistent_prompt: 0 };
  excludedConflict = 0;
  readonly placeholders: Record<string, number> = {};
  rowsChanged = 0;
  /** Recorded in the manifest and the audit event: what the PII checks found (the export may go on when allowed). */
  unresolvedPiiItems = 0;
  unredactedPiiItems = 0;

  /** Adds a processed batch's counts (its per-split rows are added as its shards are written). */
  add(r: BatchResult): void {
    this.rows += r.rowCount;
    addCounts(this.perDecision, r.perDecision);
    addCounts(this.perLabel, r.perLabel);
    addCounts(this.skipped, r.skipped);
    addCounts(this.placeholders, r.placeholders);
    this.rowsChanged += r.rowsChanged;
  }

  /** The counts an export's result reports (local and team exports answer alike). */
  summary() {
    return {
      selected: this.done,
      rows: this.rows,
      perSplit: this.perSplit,
      excludedConflict: this.excludedConflict,
      skipped: this.skipped,
      unresolvedPiiItems: this.unresolvedPiiItems,
      unredactedPiiItems: this.unredactedPiiItems,
    };
  }
}
