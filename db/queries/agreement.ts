/**
 * The ratings agreement is computed over: per item, each reviewer's standing decision (their
 * newest verdict, amendment or import that is not a skip; adjudications are not ratings).
 * Read in one pass over the covering index verdicts_ratings into typed columns: at 1M verdicts an
 * object per row costed more than the statistics.
 */
import type Database from 'better-sqlite3';
import { reviewerDecisionsAllSql } from './adjudication.ts';

/** Ratings as columns: per rating, indexes into the dictionaries below. */
export interface RatingColumns {
  length: number;
  /** The item's seq. */
  item: Int32Array;
  reviewer: Uint32Array;
  decision: Uint8Array;
  /** Index into labelSets (each distinct labels JSON parsed once). */
  labelSet: Uint32Array;
  route: Uint32Array;
  /** Index into periods (YYYY-MM of the decision). */
  period: Uint32Array;
  reviewers: string[];
  decisions: string[];
  labelSets: string[][];
  routes: string[];
  periods: string[];
}

export interface RatingFilter {
  route?: string;
  /** Decisions from this UTC day (YYYY-MM-DD) on. */
  from?: string;
  /** Decisions up to this UTC day, inclusive. */
  to?: string;
}

/** The one query: reviewers' standing decisions with the item's route, filtered. */
export function ratingsSql(filter: RatingFilter = {}): { sql: string; params: string[] } {
  const where: string[] = ["r.decision IN ('violation', 'dismiss', 'escalate')"];
  const params: string[] = [];
  if (filter.route) {
    where.push('i.route = ?');
    params.push(filter.route);
  }
  if (filter.from) {
    where.push('r.decided_at >= ?');
    params.push(filter.from);
  }
  if (filter.to) {
    where.push('r.decided_at < ?');
    params.push(`${filter.to}T99`);
  }
  return {
    sql: `SELECT r.item_seq, r.reviewer, r.decision, r.labels, i.route, substr(r.decided_at, 1, 7)
      FROM (${reviewerDecisionsAllSql()}) r JOIN items i ON i.seq = r.item_seq
      WHERE ${where.join(' AND ')}`,
    params,
  };
}

class Dictionary {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  of(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.index.set(value, i);
      this.values.push(value);
    }
    return i;
  }
}

function grow<T extends Int32Array | Uint32Array | Uint8Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/** Reads the ratings (item order) into columns. */
export function ratingColumns(sqlite: Database.Database, filter: RatingFilter = {}): RatingColumns {
  const { sql, params } = ratingsSql(filter);
  const reviewers = new Dictionary();
  const decisions = new Dictionary();
  const labels = new Dictionary();
  const routes = new Dictionary();
  const periods = new Dictionary();
  let cap = 1024;
  let item = new Int32Array(cap);
  let reviewer = new Uint32Array(cap);
  let decision = new Uint8Array(cap);
  let labelSet = new Uint32Array(cap);
  let route = new Uint32Array(cap);
  let period = new Uint32Array(cap);
  let n = 0;
  for (const row of sqlite.prepare(sql).raw().iterate(...params) as IterableIterator<[number, string, string, string, string, string]>) {
    if (n === cap) {
      cap *= 2;
      item = grow(item, cap);
      reviewer = grow(reviewer, cap);
      decision = grow(decision, cap);
      labelSet = grow(labelSet, cap);
      route = grow(route, cap);
      period = grow(period, cap);
    }
    item[n] = row[0];
    reviewer[n] = reviewers.of(row[1]);
    decision[n] = decisions.of(row[2]);
    labelSet[n] = labels.of(row[3]);
    route[n] = routes.of(row[4]);
    period[n] = periods.of(row[5]);
    n++;
  }
  return {
    length: n,
    item: item.subarray(0, n),
    reviewer: reviewer.subarray(0, n),
    decision: decision.subarray(0, n),
    labelSet: labelSet.subarray(0, n),
    route: route.subarray(0, n),
    period: period.subarray(0, n),
    reviewers: reviewers.values,
    decisions: decisions.values,
    labelSets: labels.values.map((l) => JSON.parse(l) as string[]),
    routes: routes.values,
    periods: periods.values,
  };
}
