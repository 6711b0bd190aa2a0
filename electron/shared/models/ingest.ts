/** Ingest progress and results as the UI and the CLI see them (plain model types, no behaviour). */
export interface IngestSummary {
  read: number;
  ingested: number;
  duplicates: number;
  revisions: number;
  quarantined: number;
  files: number;
  skippedFiles: number;
  rewrittenFiles: string[];
  /** An unterminated last line that is not yet valid JSON: left for the next pull. */
  pendingPartialLines: number;
  searchable: boolean;
  seconds: number;
}

export interface IngestProgress {
  phase: 'reading' | 'indexing' | 'done';
  file: string;
  /** Bytes read, uncompressed (a .gz file counts what it decompresses to). */
  bytesDone: number;
  /** Expected uncompressed bytes; for .gz input an estimate from the gzip trailer, widened if passed. */
  bytesTotal: number;
  /** True while bytesTotal includes a .gz estimate not yet read to the end. */
  totalEstimated: boolean;
  read: number;
  ingested: number;
  quarantined: number;
  itemsPerSecond: number;
  etaSeconds: number | null;
  indexed?: number;
  toIndex?: number;
}

/** What `search.reindex` did (verdict reindex). */
export interface ReindexSummary {
  /** Items whose full-text rows were rebuilt. */
  reindexed: number;
  /** Items past the index (or queued) indexed afterwards. */
  indexed: number;
  /** The index text format the rows are now in. */
  format: number;
  /** False when the rows were already in the current format and `all` was not asked. */
  rebuilt: boolean;
  seconds: number;
}

/** Reindex progress: item seq positions rebuilt so far out of the indexed range. */
export interface ReindexProgress {
  done: number;
  total: number;
}
