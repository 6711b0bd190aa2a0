/**
 * The ratings agreement is computed over: per item, each reviewer's standing decision (their
 * newest verdict, amendment or import that is not a skip; adjudications are not ratings).
 */
import type Database from 'better-sqlite3';
import { reviewerDecisionWhere } from './adjudication.ts';

export interface RatingRow {
  item: number;
  reviewer: string;
  decision: string;
  labels: string;
  route: string;
  /** YYYY-MM of the decision. */
  period: string;
}

export interface RatingFilter {
  route?: string;
  /** Decisions from this UTC day (YYYY-MM-DD) on. */
  from?: string;
  /** Decisions up to this UTC day, inclusive. */
  to?: string;
}

/** Streams the ratings in item order (a reviewer's decision per item), filtered. */
export function ratings(sqlite: Database.Database, filter: RatingFilter = {}): IterableIterator<RatingRow> {
  const where: string[] = [];
  const params: string[] = [];
  if (filter.route) {
    where.push('i.route = ?');
    params.push(filter.route);
  }
  if (filter.from) {
    where.push('x.decided_at >= ?');
    params.push(filter.from);
  }
  if (filter.to) {
    where.push('x.decided_at < ?');
    params.push(`${filter.to}T99`);
  }
  return sqlite
    .prepare(
      `SELECT x.item_seq AS item, x.reviewer, x.decision, x.labels, i.route, substr(x.decided_at, 1, 7) AS period
       FROM verdicts x JOIN items i ON i.seq = x.item_seq
       WHERE x.decision IN ('violation', 'dismiss', 'escalate') AND ${reviewerDecisionWhere('x')}
         ${where.length ? `AND ${where.join(' AND ')}` : ''}
       ORDER BY x.item_seq`,
    )
    .iterate(...params) as IterableIterator<RatingRow>;
}
