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
  /** How long writers that signalled a wait (a reviewer's submit) waited for this ingest to give way. */
  yields?: IngestYields;
}

/** Per give-way of an exclusive ingest, percentiles in ms (wait = signal to the ingest's commit done). */
export interface IngestYields {
  count: number;
  waitP50Ms: number;
  waitP95Ms: number;
  waitMaxMs: number;
  /** Signal to the ingest seeing it (the rest of a write chunk, or the poll while it waits for lines). */
  detectP95Ms: number;
  /** Seeing it to the lock released: closing the batch and its commit. */
  releaseP95Ms: number;
  /** Rows in the transaction it committed to give way. */
  rowsP95: number;
  /** The releasing thread's own CPU and its time waiting for a CPU during the release (Linux; 0 elsewhere). */
  releaseCpuP95Ms: number;
  releaseRunQueueP95Ms: number;
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
