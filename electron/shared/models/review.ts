/** Review-side model types shared by UI and backend. */

export interface LabelSuggestion {
  label: string;
  /** Indexes of the flags that suggest it, in the item's current revision. */
  flags: number[];
}

export type Decision = 'violation' | 'dismiss' | 'escalate' | 'skip';

export type VerdictKind = 'verdict' | 'amendment' | 'undo' | 'import' | 'adjudication';

/** A reviewer's call on one detector flag: `flag` is its index in the judged revision's flags. */
export interface FlagReview {
  flag: number;
  accepted: boolean;
}

/**
 * A reviewer's edit of the spans of the judged revision (offsets in code points, as flag spans):
 * a new span, new bounds for a flag's span, or a flag's span rejected.
 */
export type SpanEdit =
  | { op: 'add'; field: string; start: number; end: number; label: string }
  | { op: 'adjust'; flag: number; span: number; start: number; end: number }
  | { op: 'reject'; flag: number; span: number };

export interface VerdictRow {
  seq: number;
  id: string;
  itemId: string;
  itemSeq: number;
  revisionId: string;
  kind: VerdictKind;
  supersedes: string | null;
  reviewer: string;
  decision: Decision | 'retracted';
  routeTo: string | null;
  labels: string[];
  severity: string | null;
  correction: string | null;
  rationale: string | null;
  decidedAt: string;
  auditSeq: number;
  flagReviews: FlagReview[];
  spanEdits: SpanEdit[];
  /** Structured fields the item's route asks for (electron/shared/models/taxonomy.ts routeFieldSchema). */
  routeFields: Record<string, string>;
}

/** A verdict as History shows it: `inForce` (from SQL, db/queries/in-force.ts) marks the one row the item's decision rests on. */
export interface HistoryVerdict extends VerdictRow {
  inForce: boolean;
  /** The adjudicator's decision: an adjudication or an amendment of one. */
  adjudicates: boolean;
}
