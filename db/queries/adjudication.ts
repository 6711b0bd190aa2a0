/**
 * Disagreement between reviewers, defined once: an item needs adjudication when at least two
 * reviewers' standing decisions (each reviewer's newest verdict, amendment or import that is not
 * a skip, among violation/dismiss) differ in decision or labels, and no adjudication of it still
 * stands. The verdict write keeps `items.status = 'disputed'` from this definition, so the
 * adjudication queue is an index range; `item.get` exposes it as `needsAdjudication`.
 */
import type Database from 'better-sqlite3';
import { adjudicatesSql, standsSql } from './in-force.ts';

const REVIEWER_KINDS = `('verdict', 'amendment', 'import')`;

/** Row `x` is a reviewer's decision, not the adjudicator's (an amended adjudication stays the adjudicator's). */
function reviewerKindSql(x: string): string {
  return `${x}.kind IN ${REVIEWER_KINDS} AND ${x}.decision <> 'skip' AND NOT (${x}.kind = 'amendment' AND ${adjudicatesSql(x)})`;
}

/**
 * Verdict row `x` is its reviewer's standing decision on its item: the reviewer's newest that is
 * not a skip. (`+y.reviewer` keeps SQLite on the item index: by the reviewer index it scanned
 * every verdict of that reviewer, 300 ms per item at 100k verdicts.)
 */
export function reviewerDecisionWhere(x: string): string {
  return `${reviewerKindSql(x)} AND ${standsSql(x)}
      AND ${x}.seq = (SELECT max(y.seq) FROM verdicts y WHERE y.item_seq = ${x}.item_seq AND +y.reviewer = ${x}.reviewer
        AND ${reviewerKindSql('y')} AND ${standsSql('y')})`;
}

/**
 * The same rows as reviewerDecisionWhere, for every item in one pass: a scan of the covering
 * index verdicts_ratings (item_seq, reviewer, seq, kind, decision, labels, decided_at, supersedes) grouped by item and reviewer, where
 * SQLite takes the bare columns from the row with max(seq). Standing is checked against the
 * set of superseded rows (standsSql's rule, computed once: few rows are ever amended or undone)
 * instead of one probe per row. test/agreement/ratings-read.test.ts holds the two forms equal.
 * Columns: item_seq, reviewer, seq, decision, labels, decided_at.
 */
export function reviewerDecisionsAllSql(item?: string): string {
  // One item (SQL expression `item`): amendments and undos supersede rows of their own item (the
  // verdict write takes the item from the row it supersedes), so the set is the item's alone.
  const one = (v: string) => (item ? `${v}.item_seq = ${item} AND ` : '');
  return `SELECT x.item_seq, x.reviewer, max(x.seq) AS seq, x.decision, x.labels, x.decided_at
    FROM verdicts x INDEXED BY verdicts_ratings
    WHERE ${one('x')}${reviewerKindSql('x')}
      AND x.seq NOT IN (SELECT t.seq FROM verdicts u JOIN verdicts t ON t.id = u.supersedes WHERE ${one('u')}u.supersedes > ''
        AND NOT EXISTS (SELECT 1 FROM verdicts w WHERE w.supersedes = u.id AND w.kind = 'undo'))
    GROUP BY x.item_seq, x.reviewer`;
}

/** The standing decision rows of item `item` (SQL expression), one per reviewer. */
export function reviewerDecisionsSql(item: string): string {
  return `SELECT x.seq, x.reviewer, x.decision, x.labels FROM verdicts x WHERE x.item_seq = ${item} AND ${reviewerDecisionWhere('x')}`;
}

/** A boolean SQL expression: item `item` needs adjudication. */
export function needsAdjudicationSql(item: string): string {
  return `(coalesce((SELECT count(DISTINCT d.reviewer) >= 2 AND count(DISTINCT d.decision || d.labels) >= 2
      FROM (${reviewerDecisionsSql(item)}) d WHERE d.decision IN ('violation', 'dismiss')), 0)
    AND NOT EXISTS (SELECT 1 FROM verdicts a WHERE a.item_seq = ${item} AND a.kind IN ('adjudication', 'amendment') AND ${adjudicatesSql('a')} AND ${standsSql('a')}))`;
}

const needsStatements = new WeakMap<Database.Database, Database.Statement<[{ item: number }], number>>();

export function needsAdjudication(sqlite: Database.Database, itemSeq: number): boolean {
  let st = needsStatements.get(sqlite);
  if (!st) {
    st = sqlite.prepare<[{ item: number }], number>(`SELECT ${needsAdjudicationSql('@item')}`).pluck();
    needsStatements.set(sqlite, st);
  }
  return st.get({ item: itemSeq }) === 1;
}

export interface AdjudicationQueueRow {
  id: string;
  seq: number;
  route: string;
  priority: number;
  createdAt: string;
  snippet: string;
  topFlagCategory: string | null;
  reviewers: number;
}

/** Disputed items in queue order (priority, age); `after` is the last seq shown, for the next page. */
export function adjudicationQueue(sqlite: Database.Database, limit: number, route?: string): AdjudicationQueueRow[] {
  return sqlite
    .prepare(
      `SELECT i.id, i.seq, i.route, i.priority, i.created_at AS createdAt, i.snippet, i.top_flag_category AS topFlagCategory,
         (SELECT count(DISTINCT v.reviewer) FROM verdicts v WHERE v.item_seq = i.seq AND v.kind IN ${REVIEWER_KINDS} AND v.decision <> 'skip') AS reviewers
       FROM items i WHERE i.status = 'disputed' ${route ? 'AND i.route = ?' : ''}
       ORDER BY i.priority, i.created_ms, i.seq LIMIT ?`,
    )
    .all(...(route ? [route, limit] : [limit])) as AdjudicationQueueRow[];
}

/** The next disputed item after the given one in queue order (or the first): one probe of the items_queue index. */
export function nextDisputed(sqlite: Database.Database, after?: { priority: number; createdMs: number; seq: number }): string | undefined {
  if (!after) return sqlite.prepare("SELECT id FROM items WHERE status = 'disputed' ORDER BY priority, created_ms, seq LIMIT 1").pluck().get() as string | undefined;
  return sqlite
    .prepare(
      `SELECT id FROM items WHERE status = 'disputed' AND (priority, created_ms, seq) > (?, ?, ?)
       ORDER BY priority, created_ms, seq LIMIT 1`,
    )
    .pluck()
    .get(after.priority, after.createdMs, after.seq) as string | undefined;
}

/** An item's position in queue order, for nextDisputed. */
export function queuePosition(sqlite: Database.Database, itemId: string): { priority: number; createdMs: number; seq: number } | undefined {
  return sqlite.prepare('SELECT priority, created_ms AS createdMs, seq FROM items WHERE id = ?').get(itemId) as
    | { priority: number; createdMs: number; seq: number }
    | undefined;
}

export function disputedCount(sqlite: Database.Database): number {
  return sqlite.prepare("SELECT coalesce(sum(n), 0) FROM queue_counts WHERE status = 'disputed'").pluck().get() as number;
}
