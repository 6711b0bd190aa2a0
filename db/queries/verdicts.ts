/** Verdict rows: append-only; an amendment or an undo is a new row that supersedes another. */
import type Database from 'better-sqlite3';
import { adjudicatesSql, inForceVerdictSql, standsSql } from './in-force.ts';

export const DECISIONS = ['violation', 'dismiss', 'escalate', 'skip'] as const;
export type Decision = (typeof DECISIONS)[number];
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
  /** The route's structured fields (taxonomy routes.<route>.fields), by field id. */
  routeFields: Record<string, string>;
}

const COLS = `v.seq, v.id, i.id AS itemId, v.item_seq AS itemSeq, v.revision_id AS revisionId, v.kind, v.supersedes,
  v.reviewer, v.decision, v.route_to AS routeTo, v.labels, v.severity, v.correction, v.rationale,
  v.decided_at AS decidedAt, v.audit_seq AS auditSeq, v.flag_reviews AS flagReviews, v.span_edits AS spanEdits, v.route_fields AS routeFields`;

type RawRow = Omit<VerdictRow, 'labels' | 'flagReviews' | 'spanEdits' | 'routeFields'> & { labels: string; flagReviews: string; spanEdits: string; routeFields: string };
const decode = (r: RawRow): VerdictRow => ({
  ...r,
  labels: JSON.parse(r.labels) as string[],
  flagReviews: JSON.parse(r.flagReviews) as FlagReview[],
  spanEdits: JSON.parse(r.spanEdits) as SpanEdit[],
  routeFields: JSON.parse(r.routeFields) as Record<string, string>,
});

/** A verdict as History shows it: `inForce` marks the one row the item's decision rests on. */
export interface HistoryVerdict extends VerdictRow {
  inForce: boolean;
  /** The adjudicator's decision: an adjudication or an amendment of one (db/queries/in-force.ts adjudicatesSql). */
  adjudicates: boolean;
}

/**
 * Every row of an item's history, oldest first. At most one row is in force: the one
 * currentVerdict returns (the newest standing decision); an older verdict that nothing
 * supersedes but a later verdict replaced is not.
 */
export function verdictsForItem(sqlite: Database.Database, itemSeq: number): HistoryVerdict[] {
  return (
    sqlite
      .prepare(
        `SELECT ${COLS}, v.id IS (${CURRENT_ID}) AS inForce, ${adjudicatesSql('v')} AS adjudicates
         FROM verdicts v JOIN items i ON i.seq = v.item_seq WHERE v.item_seq = ? ORDER BY v.seq`,
      )
      .all(itemSeq, '', '', itemSeq) as (RawRow & { inForce: number; adjudicates: number })[]
  ).map((r) => ({ ...decode(r), inForce: r.inForce === 1, adjudicates: r.adjudicates === 1 }));
}

export function getVerdict(sqlite: Database.Database, id: string): VerdictRow | undefined {
  const r = sqlite.prepare(`SELECT ${COLS} FROM verdicts v JOIN items i ON i.seq = v.item_seq WHERE v.id = ?`).get(id) as RawRow | undefined;
  return r && decode(r);
}

/** The id of the verdict in force for item `?`; then two `?` naming a row to treat as undone. */
const CURRENT_ID = inForceVerdictSql('?', { v: 'v', column: 'id', ignoring: true });

/** Whether verdict `?` is superseded by a row that still stands (so it cannot be amended again). */
export function isSuperseded(sqlite: Database.Database, verdictId: string): boolean {
  return sqlite.prepare(`SELECT 1 FROM verdicts v WHERE v.id = ? AND NOT (${standsSql('v')})`).get(verdictId) !== undefined;
}

/** The most recent verdict a reviewer recorded that is still in force (for undo). */
export function lastVerdictBy(sqlite: Database.Database, reviewer: string): VerdictRow | undefined {
  const r = sqlite
    .prepare(
      `SELECT ${COLS} FROM verdicts v JOIN items i ON i.seq = v.item_seq
       WHERE v.reviewer = ? AND v.kind IN ('verdict', 'amendment', 'adjudication') AND ${standsSql('v', true)}
       ORDER BY v.seq DESC LIMIT 1`,
    )
    .get(reviewer, '', '') as RawRow | undefined;
  return r && decode(r);
}

/** One prepared INSERT per connection: preparing it for every verdict parsed and planned it every time. */
const insertStatements = new WeakMap<Database.Database, Database.Statement>();

export function insertVerdict(
  sqlite: Database.Database,
  v: Omit<VerdictRow, 'seq' | 'itemId'>,
): number {
  let insert = insertStatements.get(sqlite);
  if (!insert) {
    insert = sqlite.prepare(
      `INSERT INTO verdicts (id, item_seq, revision_id, kind, supersedes, reviewer, decision, route_to, labels, severity,
         correction, rationale, decided_at, audit_seq, flag_reviews, span_edits, route_fields)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    insertStatements.set(sqlite, insert);
  }
  const info = insert
    .run(
      v.id, v.itemSeq, v.revisionId, v.kind, v.supersedes, v.reviewer, v.decision, v.routeTo, JSON.stringify(v.labels),
      v.severity, v.correction, v.rationale, v.decidedAt, v.auditSeq, JSON.stringify(v.flagReviews), JSON.stringify(v.spanEdits), JSON.stringify(v.routeFields),
    );
  return Number(info.lastInsertRowid);
}

/**
 * The verdict in force for an item: the newest verdict or amendment that no later row
 * supersedes (an undo retracts its target and lets the one before it stand again).
 */
export function currentVerdict(sqlite: Database.Database, itemSeq: number, ignoring = ''): VerdictRow | undefined {
  const r = sqlite
    .prepare(`SELECT ${COLS} FROM verdicts v JOIN items i ON i.seq = v.item_seq WHERE v.id = (${CURRENT_ID})`)
    .get(itemSeq, ignoring, ignoring) as RawRow | undefined;
  return r && decode(r);
}
