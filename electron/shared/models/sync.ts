/** Verdict import and delivery back to the sources, as the UI and the CLI see them. */
import type { SourceRow } from './sources.ts';

export interface ImportSummary {
  read: number;
  imported: number;
  duplicates: number;
  /** Bad lines in this file (each stored in the quarantine once, however often it is imported). */
  quarantined: number;
  seconds: number;
}

export interface SourceSyncStatus {
  sourceId: string;
  name: string;
  kind: SourceRow['kind'];
  /** The results file, or null for a source with no return path. */
  target: string | null;
  pending: number;
  delivered: number;
  failed: number;
  /** Verdicts on items of a source that cannot take them back (stdin, the demo). */
  noReturnPath: number;
  lastError: string | null;
  lastDeliveredAt: string | null;
  /** While backing off after a failure: when the next automatic attempt is due. */
  nextAttemptAt: string | null;
  /** Failed attempts in a row. */
  failures: number;
}

export interface SourceSyncResult {
  sourceId: string;
  /** Rows marked delivered by this run. */
  delivered: number;
  /** Lines appended (more than `delivered` only if another syncer marked some rows first). */
  appended: number;
  /** Rows marked failed by this run. */
  failed: number;
  error: string | null;
  /** True when the source was backing off and this run did not try it. */
  deferred: boolean;
}
