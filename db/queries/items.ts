/** Queue and item reads: keyset pages in queue order, live counts, one item with its history. */
import type Database from 'better-sqlite3';
import { and, count, desc, eq } from 'drizzle-orm';
import { items } from '../schema.ts';
import { typed } from '../typed.ts';
import { toFtsQuery } from '../util/fts-query.ts';
import { extKey } from '../util/ext-key.ts';
import { distinctValues } from './metric-facets.ts';
import { cellItemsSql, type MetricCell } from './metrics.ts';

/**
 * `skipped`: a reviewer passed on the item. It stays open but comes after every unskipped item
 * in queue order (queuePage), so a skip never puts the item back at the top.
 * `disputed`: reviewers disagree and it waits for adjudication; `on_hold`: held with a review-by time.
 */
export const STATUSES = ['new', 'in_review', 'decided', 'escalated', 'conflict', 'disputed', 'on_hold', 'skipped'] as const;
export type ItemStatus = (typeof STATUSES)[number];

/** A search considers at most this many matching items: the most recently ingested. */
export const SEARCH_CAP = 5_000;

export interface QueueFilter {
  status?: ItemStatus[];
  priority?: number[];
  route?: string[];
  flagCategory?: string;
  flagPolicy?: string;
  model?: string;
  /** provenance.deployment: kept in metric_items (the caller catches the metric tables up first). */
  deployment?: string;
  from?: string;
  to?: string;
  search?: string;
  /** The items behind a number on the oversight dashboard (drill-down). */
  oversight?: MetricCell;
}

export interface QueueRow {
  seq: number;
  id: string;
  externalId: string;
  sourceId: string;
  createdAt: string;
  /** createdAt as epoch milliseconds (the queue order key). */
  createdMs: number;
  priority: number;
  riskTier: string | null;
  route: string;
  status: ItemStatus;
  revision: number;
  flagCount: number;
  topFlagSource: string | null;
  topFlagCategory: string | null;
  topFlagPolicy: string | null;
  topFlagScore: number | null;
  model: string | null;
  snippet: string;
}

/** Position in queue order: (skipped, priority, created_ms, seq); `k` is 1 once the page is among the skipped items. */
export interface Cursor {
  p: number;
  c: number;
  s: number;
  k?: 1;
}

export interface QueuePage {
  rows: QueueRow[];
  next: Cursor | null;
}

/** Provenance keys holding ids a reviewer pastes into the search box; the full-text index holds them too (fts-text.ts). */
export const PROVENANCE_IDS = ['request_id', 'trace_id', 'gen_ai.conversation.id', 'gen_ai.response.id'] as const;

/**
 * An id-shaped search (one run of letters and digits joined by - _ : . /, such as req-7f3a-91,
 * esc_0042 or a UUID) matches ids exactly: the item's id, its source id, or a provenance id
 * (see idCondition). Word search would match any item holding those words anywhere.
 */
export function idSearch(text: string): string | null {
  const t = text.trim();
  return /^[\p{L}\p{N}]+(?:[-_:./][\p{L}\p{N}]+)+$/u.test(t) ? t : null;
}

/** Items whose source id or a provenance id is `?` among the full-text matches of the id's words (`?`). */
const ID_CANDIDATES = `SELECT x.seq FROM items x JOIN item_revisions r ON r.item_seq = x.seq AND r.revision = x.revision
  WHERE x.seq IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ? ORDER BY rowid DESC LIMIT ${SEARCH_CAP})
    AND ? IN (x.external_id, ${PROVENANCE_IDS.map((k) => `json_extract(r.record, '$.provenance."${k}"')`).join(', ')})`;

/**
 * The id search: the items carrying exactly that id; when none does (a hyphenated word such as
 * "groundedness-checker"), the words are searched as usual. The EXISTS is uncorrelated: SQLite
 * evaluates it once per query.
 */
function idCondition(exact: string, words: string | null): { sql: string; params: unknown[] } {
  const phrase = exact.match(/[\p{L}\p{N}]+/gu)!.map((w) => `"${w}"`).join(' ');
  const exactSql = `(id = ? OR seq IN (${ID_CANDIDATES}))`;
  const wordSql = words ? `seq IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ? ORDER BY rowid DESC LIMIT ${SEARCH_CAP})` : '0';
  return {
    sql: `(CASE WHEN EXISTS (SELECT 1 FROM items WHERE id = ? UNION ALL SELECT 1 FROM (${ID_CANDIDATES} LIMIT 1)) THEN ${exactSql} ELSE ${wordSql} END)`,
    params: [exact, phrase, exact, exact, phrase, exact, ...(words ? [words] : [])],
  };
}

export const QUEUE_COLS = `seq, id, external_id AS externalId, source_id AS sourceId, created_at AS createdAt, created_ms AS createdMs, priority,
  risk_tier AS riskTier, route, status, revision, flag_count AS flagCount, top_flag_source AS topFlagSource,
  top_flag_category AS topFlagCategory, top_flag_policy AS topFlagPolicy, top_flag_score AS topFlagScore, model, snippet`;

const QUALIFIED_COLS = QUEUE_COLS.replace(/(^|,\s*)(\w+)/g, '$1i.$2');

function where(filter: QueueFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const inList = (col: string, values: unknown[] | undefined) => {
    if (!values || values.length === 0) return;
    parts.push(`${col} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  inList('status', filter.status);
  inList('priority', filter.priority);
  inList('route', filter.route);
  const eq = (cond: string, value: unknown) => {
    parts.push(cond);
    params.push(value);
  };
  if (filter.flagCategory) eq('top_flag_category = ?', filter.flagCategory);
  if (filter.flagPolicy) eq('top_flag_policy = ?', filter.flagPolicy);
  if (filter.model) eq('model = ?', filter.model);
  // Through metric_items_deployment (0022): a canary's few items are a range of its entries.
  if (filter.deployment) eq('seq IN (SELECT item_seq FROM metric_items WHERE deployment = ?)', filter.deployment);
  if (filter.from) eq('created_ms >= ?', Date.parse(filter.from));
  if (filter.to) eq('created_ms < ?', Date.parse(filter.to));
  if (filter.oversight) {
    const c = cellItemsSql(filter.oversight);
    parts.push(c.sql);
    params.push(...c.params);
  }
  const exact = filter.search ? idSearch(filter.search) : null;
  if (exact) {
    const c = idCondition(exact, toFtsQuery(exact));
    parts.push(c.sql);
    params.push(...c.params);
  } else if (filter.search) {
    const q = toFtsQuery(filter.search);
    if (q) {
      // A broad term can match a large share of a million items; sorting every match into queue
      // order would cost hundreds of ms. The newest SEARCH_CAP matches are taken (FTS5 walks
      // its rowids backwards and stops), then sorted into queue order.
      parts.push(`seq IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ? ORDER BY rowid DESC LIMIT ${SEARCH_CAP})`);
      params.push(q);
    } else {
      parts.push('0');
    }
  }
  return { sql: parts.join(' AND '), params };
}

const ORDER = 'ORDER BY priority, created_ms, seq';
/** Skipped items come after the rest: the queue order's leading key. */
const SKIPPED_LAST = "(status = 'skipped')";

/** Up to this many search matches, reading them directly beats walking the queue index. */
const FEW_MATCHES = 1000;

function countMatches(sqlite: Database.Database, search: string): number {
  const q = toFtsQuery(search);
  if (!q) return 0;
  return sqlite
    .prepare(`SELECT count(*) FROM (SELECT rowid FROM items_fts WHERE items_fts MATCH ? LIMIT ${FEW_MATCHES + 1})`)
    .pluck()
    .get(q) as number;
}

/**
 * One keyset page in queue order. The queue index leads with status, so a page over several
 * statuses (the default "open" view) is a merge of one ordered index scan per status, each
 * stopping after `limit + 1` rows, rather than a sort of every matching item. A search filter
 * already bounds the rows to SEARCH_CAP, so it is one query sorted as a whole.
 */
export function queuePage(sqlite: Database.Database, filter: QueueFilter, after: Cursor | null, limit: number): QueuePage {
  const wanted = filter.status?.length ? [...new Set(filter.status)] : [...STATUSES];
  // Past the last unskipped item, only skipped ones remain.
  const statuses = after?.k ? wanted.filter((s) => s === 'skipped') : wanted;
  const searching = filter.search !== undefined && filter.search.trim() !== '';
  const w = where({ ...filter, status: undefined });
  const conds = w.sql ? [w.sql] : [];
  const params: unknown[] = [...w.params];
  const afterCond = (skippedLeg: boolean): { sql: string[]; params: unknown[] } =>
    !after || (skippedLeg && !after.k) ? { sql: [], params: [] } : { sql: ['(priority, created_ms, seq) > (?, ?, ?)'], params: [after.p, after.c, after.s] };
  if (statuses.length === 0) return { rows: [], next: null };
  let sql: string;
  let all: unknown[];
  if (searching || statuses.length === 1) {
    // Many search matches: walk the queue index in order, testing each entry against the
    // matches, which stops after a page (the status list, even unfiltered, makes SQLite do so).
    // Few matches: that walk would cover the whole index for nothing, so the matching rows are
    // read directly and sorted ("+status" keeps SQLite off the index).
    const few = searching && countMatches(sqlite, filter.search!) <= FEW_MATCHES;
    const c = [`${few ? '+' : ''}status IN (${statuses.map(() => '?').join(', ')})`, ...conds];
    const cp: unknown[] = [];
    if (after && after.k) {
      c.push('(priority, created_ms, seq) > (?, ?, ?)');
      cp.push(after.p, after.c, after.s);
    } else if (after) {
      // Still among the unskipped: the rest of them, then every skipped item.
      c.push("(status = 'skipped' OR (priority, created_ms, seq) > (?, ?, ?))");
      cp.push(after.p, after.c, after.s);
    }
    const order = statuses.length === 1 ? ORDER : `ORDER BY ${SKIPPED_LAST}, priority, created_ms, seq`;
    sql = `SELECT ${QUEUE_COLS} FROM items WHERE ${c.join(' AND ')} ${order} LIMIT ?`;
    all = [...statuses, ...params, ...cp, limit + 1];
  } else {
    // The legs read only the queue key (the index covers it when no other filter needs the
    // row); whole rows are read for the one merged page. The skipped leg sorts after the others.
    const leg = (st: ItemStatus) => {
      const a = afterCond(st === 'skipped');
      return {
        sql: `SELECT * FROM (SELECT seq, priority, created_ms, ${st === 'skipped' ? 1 : 0} AS k FROM items WHERE ${['status = ?', ...conds, ...a.sql].join(' AND ')} ${ORDER} LIMIT ?)`,
        params: [st, ...params, ...a.params, limit + 1],
      };
    };
    const legs = statuses.map(leg);
    sql = `WITH k AS (${legs.map((l) => l.sql).join(' UNION ALL ')} ORDER BY k, priority, created_ms, seq LIMIT ?)
      SELECT ${QUALIFIED_COLS} FROM k JOIN items i ON i.seq = k.seq ORDER BY k.k, k.priority, k.created_ms, k.seq`;
    all = [...legs.flatMap((l) => l.params), limit + 1];
  }
  const rows = sqlite.prepare(sql).all(...all) as QueueRow[];
  const more = rows.length > limit;
  if (more) rows.pop();
  const last = rows[rows.length - 1];
  const next = more && last ? { p: last.priority, c: last.createdMs, s: last.seq, ...(last.status === 'skipped' ? { k: 1 as const } : {}) } : null;
  return { rows, next };
}

function emptyCounts(): Record<ItemStatus, number> {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ItemStatus, number>;
}

/** Global counts per status, kept by triggers (O(1)). */
export function statusCounts(sqlite: Database.Database): Record<ItemStatus, number> {
  const out = emptyCounts();
  for (const r of sqlite.prepare('SELECT status, sum(n) AS n FROM queue_counts GROUP BY status').all() as { status: ItemStatus; n: number }[]) {
    out[r.status] = r.n;
  }
  return out;
}

/** Past this many matching rows, counts under a scanning filter are reported as a lower bound. */
export const COUNT_CAP = 100_000;

/**
 * Counts per status under a filter (the status filter itself is ignored: the UI shows every
 * status's count). Route and priority filters read the trigger-kept table; other filters scan
 * the matching rows, up to COUNT_CAP.
 */
export function filteredStatusCounts(sqlite: Database.Database, filter: QueueFilter): { counts: Record<ItemStatus, number>; capped: boolean } {
  const out = emptyCounts();
  const { status: _status, route, priority, ...rest } = filter;
  const scanning = Object.values(rest).some((v) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0));
  if (!scanning) {
    const parts: string[] = [];
    const params: unknown[] = [];
    if (route?.length) {
      parts.push(`route IN (${route.map(() => '?').join(', ')})`);
      params.push(...route);
    }
    if (priority?.length) {
      parts.push(`priority IN (${priority.map(() => '?').join(', ')})`);
      params.push(...priority);
    }
    const rows = sqlite
      .prepare(`SELECT status, sum(n) AS n FROM queue_counts ${parts.length ? `WHERE ${parts.join(' AND ')}` : ''} GROUP BY status`)
      .all(...params) as { status: ItemStatus; n: number }[];
    for (const r of rows) out[r.status] = r.n;
    return { counts: out, capped: false };
  }
  const w = where({ ...filter, status: undefined });
  const rows = sqlite
    .prepare(`SELECT status, count(*) AS n FROM (SELECT status FROM items WHERE ${w.sql} LIMIT ${COUNT_CAP + 1}) GROUP BY status`)
    .all(...w.params) as { status: ItemStatus; n: number }[];
  let total = 0;
  for (const r of rows) {
    out[r.status] = r.n;
    total += r.n;
  }
  return { counts: out, capped: total > COUNT_CAP || (filter.search !== undefined && filter.search !== '' && total >= SEARCH_CAP) };
}

/**
 * `R` is the stored record's type: db/ parses the JSON but does not know the record schema (it
 * lives in core), so callers name it (the contract uses EscalationRecord).
 */
export interface RevisionRow<R = unknown> {
  id: string;
  revision: number;
  contentSha256: string;
  sourceFile: string | null;
  line: number | null;
  ingestedAt: string;
  record: R;
}

export interface ItemDetail<R = unknown> extends QueueRow {
  ingestedAt: string;
  sourceName: string;
  sourceUri: string;
  record: R;
  revisions: RevisionRow<R>[];
}

export function findItemSeq(sqlite: Database.Database, idOrExternal: string): number | undefined {
  const db = typed(sqlite);
  const byId = db.select({ seq: items.seq }).from(items).where(eq(items.id, idOrExternal)).get();
  if (byId) return byId.seq;
  // ext_key first: the index the external-id lookup uses (see db/util/ext-key.ts).
  return db
    .select({ seq: items.seq })
    .from(items)
    .where(and(eq(items.extKey, extKey(idOrExternal)), eq(items.externalId, idOrExternal)))
    .orderBy(items.seq)
    .limit(1)
    .get()?.seq;
}

export function getItem<R = unknown>(sqlite: Database.Database, seq: number): ItemDetail<R> | undefined {
  const row = sqlite
    .prepare(
      `SELECT ${QUALIFIED_COLS}, i.ingested_at AS ingestedAt, s.name AS sourceName, s.uri AS sourceUri
       FROM items i JOIN sources s ON s.id = i.source_id WHERE i.seq = ?`,
    )
    .get(seq) as (Omit<ItemDetail, 'record' | 'revisions'>) | undefined;
  if (!row) return undefined;
  const revisions = (
    sqlite
      .prepare(
        `SELECT id, revision, content_sha256 AS contentSha256, source_file AS sourceFile, line, ingested_at AS ingestedAt, record
         FROM item_revisions WHERE item_seq = ? ORDER BY revision`,
      )
      .all(seq) as (Omit<RevisionRow, 'record'> & { record: string })[]
  ).map((r) => ({ ...r, record: JSON.parse(r.record) as R }));
  const current = revisions.find((r) => r.revision === row.revision) ?? revisions[revisions.length - 1]!;
  return { ...row, record: current.record, revisions };
}

/** Items per route, largest first (the CLI's stats). */
export function itemsByRoute(sqlite: Database.Database): { route: string; n: number }[] {
  const n = count();
  return typed(sqlite).select({ route: items.route, n }).from(items).groupBy(items.route).orderBy(desc(n)).all();
}

/** How many revisions an item has (more than one after an undo means the item is in conflict). */
export function revisionCount(sqlite: Database.Database, itemSeq: number): number {
  return sqlite.prepare('SELECT count(*) FROM item_revisions WHERE item_seq = ?').pluck().get(itemSeq) as number;
}

export interface ItemFacets {
  routes: string[];
  models: string[];
  flagCategories: string[];
  flagPolicies: string[];
  deployments: string[];
}

/** The values the queue filters offer (at most 200 of each). */
export function itemFacets(sqlite: Database.Database): ItemFacets {
  // From the ingest-kept facets table (migration 0009): a few hundred rows, not a scan of every item.
  const distinct = (kind: 'model' | 'flag_category' | 'flag_policy') =>
    sqlite.prepare('SELECT value FROM item_facets WHERE kind = ? AND n > 0 ORDER BY value LIMIT 200').pluck().all(kind) as string[];
  return {
    // Routes from the trigger-kept counts table (a few rows), not a scan of every item.
    routes: sqlite.prepare('SELECT DISTINCT route FROM queue_counts WHERE n > 0 ORDER BY 1 LIMIT 200').pluck().all() as string[],
    models: distinct('model'),
    flagCategories: distinct('flag_category'),
    flagPolicies: distinct('flag_policy'),
    // Deployments are kept in metric_items only: a walk of its deployment index, a seek per value.
    deployments: distinctValues(sqlite, 'metric_items', 'deployment', 'metric_items_deployment'),
  };
}
