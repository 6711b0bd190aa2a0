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

/**
 * The ratings aggregated in SQL, for the statistics: every coefficient depends on an item only
 * through what its ratings look like (per-category counts, reviewer-decision pairs, label hits),
 * so SQLite groups items with the same look and JavaScript receives one row per distinct look
 * with its count (a few thousand rows at a million ratings, instead of a million).
 * Rows of each list come in no particular order; the report orders them.
 */
export interface RatingPatterns {
  /** The decision columns of `units[].counts`. */
  decisions: string[];
  /** Items by route, period (the earliest of their ratings' months) and ratings per decision. */
  units: { route: string; period: string; counts: number[]; items: number }[];
  /** Items with at least one labelled rating, by ratings (m) and each labelled rating's labels. */
  labels: { m: number; sets: string[][]; items: number }[];
  /** Items by their (reviewer, decision) ratings, in any order. */
  raters: { ratings: [string, string][]; items: number }[];
}

const PATTERN_DECISIONS = ['violation', 'dismiss', 'escalate'];
const COUNT_COLUMNS = PATTERN_DECISIONS.map((_, i) => `c${i}`).join(', ');

/**
 * Per item of the ratings source `r` (columns of reviewerDecisionsAllSql), what the statistics
 * need: the earliest month, the ratings per decision, the (reviewer, decision) pairs in reviewer
 * order and the labelled ratings' label lists in text order ('[]' when none).
 */
function perItemSql(source: string, where: string): string {
  const counts = PATTERN_DECISIONS.map((d, i) => `sum(r.decision = '${d}') AS c${i}`).join(', ');
  return `SELECT r.item_seq, min(substr(r.decided_at, 1, 7)) AS period, count(*) AS m, ${counts},
      json_group_array(json_array(r.reviewer, r.decision) ORDER BY r.reviewer) AS raters,
      json_group_array(json(r.labels) ORDER BY r.labels) FILTER (WHERE r.labels <> '[]') AS labels
    FROM (${source}) r
    WHERE r.decision IN (${PATTERN_DECISIONS.map((d) => `'${d}'`).join(', ')})${where}
    GROUP BY r.item_seq`;
}

/** Items grouped into patterns: `u` has route, period, m, c0.., raters, labels per item. */
function patternsSelect(u: string, where: string): string {
  const and = where ? ` AND ${where}` : '';
  return `SELECT 0 AS kind, route AS a, period AS b, ${COUNT_COLUMNS}, count(*) AS n FROM ${u}${where ? ` WHERE ${where}` : ''} GROUP BY route, period, ${COUNT_COLUMNS}
      UNION ALL SELECT 1, labels, NULL, m, ${PATTERN_DECISIONS.slice(1).map(() => 'NULL').join(', ')}, count(*) FROM ${u} WHERE labels <> '[]'${and} GROUP BY m, labels
      UNION ALL SELECT 2, raters, NULL, ${PATTERN_DECISIONS.map(() => 'NULL').join(', ')}, count(*) FROM ${u}${where ? ` WHERE ${where}` : ''} GROUP BY raters`;
}

/**
 * The patterns computed from the verdicts in one statement (one read snapshot): what a period
 * filter needs, and what agreement_items must always equal (the test holds them equal).
 */
export function ratingPatternsLiveSql(filter: RatingFilter = {}): { sql: string; params: string[] } {
  const where: string[] = [];
  const params: string[] = [];
  if (filter.from) {
    where.push('r.decided_at >= ?');
    params.push(filter.from);
  }
  if (filter.to) {
    where.push('r.decided_at < ?');
    params.push(`${filter.to}T99`);
  }
  if (filter.route) params.push(filter.route);
  return {
    sql: `WITH u AS MATERIALIZED (SELECT i.route, g.* FROM (${perItemSql(reviewerDecisionsAllSql(), where.map((w) => ` AND ${w}`).join(''))}) g
        JOIN items i ON i.seq = g.item_seq${filter.route ? ' WHERE i.route = ?' : ''})
      ${patternsSelect('u', '')}`,
    params,
  };
}

/**
 * The same patterns from agreement_items (migration 0018), the per-item summary the verdict write
 * keeps (refreshAgreementItem): three index scans, no pass over the verdicts.
 */
export function ratingPatternsTableSql(route?: string): { sql: string; params: string[] } {
  return { sql: patternsSelect('agreement_items', route ? 'route = ?' : ''), params: route ? [route, route, route] : [] };
}

function readPatterns(sqlite: Database.Database, q: { sql: string; params: string[] }): RatingPatterns {
  const out: RatingPatterns = { decisions: [...PATTERN_DECISIONS], units: [], labels: [], raters: [] };
  const k = PATTERN_DECISIONS.length;
  for (const row of sqlite.prepare(q.sql).raw().all(...q.params) as (string | number | null)[][]) {
    const n = row[row.length - 1] as number;
    if (row[0] === 0) out.units.push({ route: row[1] as string, period: row[2] as string, counts: row.slice(3, 3 + k) as number[], items: n });
    else if (row[0] === 1) out.labels.push({ m: row[3] as number, sets: JSON.parse(row[1] as string) as string[][], items: n });
    else out.raters.push({ ratings: JSON.parse(row[1] as string) as [string, string][], items: n });
  }
  return out;
}

/** The ratings as patterns (see RatingPatterns): from agreement_items, or from the verdicts when a period is asked for. */
export function ratingPatterns(sqlite: Database.Database, filter: RatingFilter = {}): RatingPatterns {
  return readPatterns(sqlite, filter.from || filter.to ? ratingPatternsLiveSql(filter) : ratingPatternsTableSql(filter.route));
}

/** Computed from the verdicts, whatever the filter (tests and the bench compare it with the table). */
export function ratingPatternsLive(sqlite: Database.Database, filter: RatingFilter = {}): RatingPatterns {
  return readPatterns(sqlite, ratingPatternsLiveSql(filter));
}

/** Per item, the row agreement_items holds for it, computed from the verdicts. */
export function agreementItemsSelectSql(item?: string): string {
  return `SELECT g.item_seq, i.route, g.period, g.m, ${PATTERN_DECISIONS.map((_, i) => `g.c${i}`).join(', ')}, g.raters, g.labels
    FROM (${perItemSql(reviewerDecisionsAllSql(item), '')}) g JOIN items i ON i.seq = g.item_seq`;
}

/** The backfill of agreement_items (migration 0018 holds this statement's text). */
export function agreementItemsBackfillSql(): string {
  return `INSERT INTO agreement_items (item_seq, route, period, m, ${COUNT_COLUMNS}, raters, labels)
    ${agreementItemsSelectSql()}`;
}

interface AgreementStatements {
  drop: Database.Statement<[number]>;
  put: Database.Statement<[{ item: number }]>;
  add: Database.Statement<[NewRating]>;
}
const agreementStatements = new WeakMap<Database.Database, AgreementStatements>();

function statements(sqlite: Database.Database): AgreementStatements {
  let st = agreementStatements.get(sqlite);
  if (!st) {
    st = {
      drop: sqlite.prepare<[number]>('DELETE FROM agreement_items WHERE item_seq = ?'),
      put: sqlite.prepare<[{ item: number }]>(`INSERT INTO agreement_items (item_seq, route, period, m, ${COUNT_COLUMNS}, raters, labels) ${agreementItemsSelectSql('@item')}`),
      // A reviewer's first standing rating of an item adds to the item's row, in the same text
      // form the full computation gives (the test compares every row); when the reviewer already
      // has one, the WHERE refuses and the caller recomputes.
      add: sqlite.prepare<[NewRating]>(
        `INSERT INTO agreement_items (item_seq, route, period, m, ${COUNT_COLUMNS}, raters, labels)
        VALUES (@item, @route, substr(@at, 1, 7), 1, ${PATTERN_DECISIONS.map((d) => `@decision = '${d}'`).join(', ')},
          json_array(json_array(@reviewer, @decision)), CASE WHEN @labels <> '[]' THEN json_array(json(@labels)) ELSE '[]' END)
        ON CONFLICT (item_seq) DO UPDATE SET period = min(period, excluded.period), m = m + 1,
          ${PATTERN_DECISIONS.map((_, i) => `c${i} = c${i} + excluded.c${i}`).join(', ')},
          raters = (SELECT json_group_array(json(v) ORDER BY json_extract(v, '$[0]')) FROM (SELECT value AS v FROM json_each(agreement_items.raters) UNION ALL SELECT json_array(@reviewer, @decision))),
          labels = CASE WHEN @labels = '[]' THEN labels
            ELSE (SELECT json_group_array(json(v) ORDER BY v) FROM (SELECT value AS v FROM json_each(agreement_items.labels) UNION ALL SELECT json(@labels))) END
        WHERE NOT EXISTS (SELECT 1 FROM json_each(agreement_items.raters) WHERE json_extract(value, '$[0]') = @reviewer)`,
      ),
    };
    agreementStatements.set(sqlite, st);
  }
  return st;
}

/** Recomputes item `itemSeq`'s row of agreement_items from its standing ratings (none: no row). */
export function refreshAgreementItem(sqlite: Database.Database, itemSeq: number): void {
  const st = statements(sqlite);
  st.drop.run(itemSeq);
  st.put.run({ item: itemSeq });
}

export interface NewRating {
  item: number;
  route: string;
  reviewer: string;
  decision: string;
  /** The labels column's text. */
  labels: string;
  at: string;
}

/**
 * Keeps agreement_items after verdict row `v` was inserted, in the verdict's transaction. A skip
 * or an adjudication changes no rating; a reviewer's first rating of the item is added to the
 * row; anything else (an amendment, an undo, a reviewer's second verdict) recomputes the item.
 * Every change stays on the row's own item (amendments and undos supersede rows of their item);
 * a route change is carried by a trigger (migration 0018).
 */
export function recordRating(sqlite: Database.Database, v: NewRating & { kind: string; supersedes: string | null }): void {
  if (v.decision === 'skip' || v.kind === 'adjudication') return;
  const plain = (v.kind === 'verdict' || v.kind === 'import') && !v.supersedes && PATTERN_DECISIONS.includes(v.decision);
  const st = statements(sqlite);
  if (plain && st.add.run({ item: v.item, route: v.route, reviewer: v.reviewer, decision: v.decision, labels: v.labels, at: v.at }).changes === 1) return;
  refreshAgreementItem(sqlite, v.item);
}

/**
 * The first agreement_items row that differs from what the verdicts give (a row stored but not
 * derived, or derived but not stored), for the full audit verify: the summary is derived state,
 * and an edit to it would change the agreement figures without touching a verdict.
 */
export function agreementItemsMismatch(sqlite: Database.Database): { itemSeq: number; side: 'stored' | 'derived' } | undefined {
  const fresh = agreementItemsSelectSql();
  const row = sqlite
    .prepare(
      `SELECT * FROM (SELECT 'stored' AS side, item_seq FROM (SELECT * FROM agreement_items EXCEPT ${fresh})
        UNION ALL SELECT 'derived', item_seq FROM (${fresh} EXCEPT SELECT * FROM agreement_items)) ORDER BY item_seq LIMIT 1`,
    )
    .get() as { side: 'stored' | 'derived'; item_seq: number } | undefined;
  return row && { itemSeq: row.item_seq, side: row.side };
}
