/**
 * Oversight metrics over the pre-aggregated tables of migration 0006 (definitions: docs/metrics.md).
 * Panels read metric_cube / metric_ttd / metric_reviewer_daily / metric_volumes, never items; the
 * items behind any number are `metric_items` rows matching the same predicate (drill-down).
 */
import type Database from 'better-sqlite3';
import { countedProofs, type CountedProof } from './metrics-proof.ts';

export const METRIC_STATES = ['open', 'violation', 'dismiss', 'escalate'] as const;
export type MetricState = (typeof METRIC_STATES)[number];

/** The dashboard's scope: UTC days [from, to] inclusive, plus optional dimension filters. */
export interface MetricFilter {
  from: string;
  to: string;
  route?: string;
  policy?: string;
  detector?: string;
  category?: string;
  model?: string;
  version?: string;
  deployment?: string;
  reviewer?: string;
}

/** One number's cell: a filter narrowed further. Every panel value has one; the queue can list it. */
export interface MetricCell extends MetricFilter {
  state?: MetricState[];
  priority?: number;
  day?: string;
  /** 0/1 columns of metric_items: the item counts towards that sum. */
  flag?: 'halluc' | 'pii' | 'breached' | 'overturned' | 'overlap' | 'agreed' | 'traced';
  /** Reviewed items with a flag call on this detector, policy or category value (metric_flag_items). */
  call?: FlagCallCell;
}

export type FlagDim = 'detector' | 'policy' | 'category';
/** The items behind a false-positive bar: their calls on `value` of `dim`, false positives only or all. */
export interface FlagCallCell {
  dim: FlagDim;
  value: string;
  falsePositive: boolean;
}

const DAY_MS = 86_400_000;
export const dayNumber = (isoDay: string): number => Math.floor(Date.parse(`${isoDay}T00:00:00Z`) / DAY_MS);
export const dayString = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The SQL predicate of a cell over metric_cube or metric_items (same column names in both). */
export function cellWhere(cell: MetricCell, opts: { reviewer?: boolean } = {}): { sql: string; params: unknown[] } {
  const parts = ['day BETWEEN ? AND ?'];
  const params: unknown[] = [dayNumber(cell.from), dayNumber(cell.to)];
  const eq = (col: string, v: string | number | undefined) => {
    if (v === undefined) return;
    parts.push(`${col} = ?`);
    params.push(v);
  };
  eq('route', cell.route);
  eq('policy', cell.policy);
  eq('detector', cell.detector);
  eq('category', cell.category);
  eq('model', cell.model);
  eq('version', cell.version);
  eq('deployment', cell.deployment);
  if (opts.reviewer !== false) eq('reviewer', cell.reviewer);
  eq('priority', cell.priority);
  if (cell.day !== undefined) eq('day', dayNumber(cell.day));
  if (cell.state?.length) {
    parts.push(`state IN (${cell.state.map(() => '?').join(', ')})`);
    params.push(...cell.state);
  }
  return { sql: parts.join(' AND '), params };
}

/** The flag columns a cell can require; fixed names, so they can be spliced into SQL. */
const FLAG_COLUMNS = new Set(['halluc', 'pii', 'breached', 'overturned', 'overlap', 'agreed', 'traced']);

/** `seq IN (...)` for the queue: exactly the items counted in a cell. */
export function cellItemsSql(cell: MetricCell): { sql: string; params: unknown[] } {
  const m = cellMatch(cell);
  return { sql: `seq IN (SELECT item_seq FROM ${m.from} WHERE ${m.sql})`, params: m.params };
}

/** Items in a cell, counted from metric_items (what the queue shows for a drill-down). */
export function cellItemCount(sqlite: Database.Database, cell: MetricCell): number {
  const m = cellMatch(cell);
  return sqlite.prepare(`SELECT count(*) FROM ${m.from} WHERE ${m.sql}`).pluck().get(...m.params) as number;
}

const FLAG_DIMS = new Set(['detector', 'policy', 'category']);

/** The metric_items rows of one cell (one row per item). */
function cellMatch(cell: MetricCell): { from: string; sql: string; params: unknown[] } {
  const w = cellWhere(cell);
  const flag = cell.flag && FLAG_COLUMNS.has(cell.flag) ? ` AND ${cell.flag} = 1` : '';
  if (cell.call && FLAG_DIMS.has(cell.call.dim)) {
    // Items with per-flag calls: their unit on the value in metric_flag_items; items reviewed
    // without (`calls` = 0, migration 0021): their top flag (a metric_items column of the same
    // name) judged by the decision.
    const fp = cell.call.falsePositive ? ' AND false_pos = 1' : '';
    const noCalls = cell.call.falsePositive ? "state = 'dismiss'" : "state IN ('violation', 'dismiss')";
    return {
      from: 'metric_items',
      sql: `${w.sql}${flag} AND (item_seq IN (SELECT item_seq FROM metric_flag_items WHERE dim = ? AND value = ?${fp})
        OR (${cell.call.dim} = ? AND ${noCalls} AND calls = 0))`,
      params: [...w.params, cell.call.dim, cell.call.value, cell.call.value],
    };
  }
  return { from: 'metric_items', sql: `${w.sql}${flag}`, params: w.params };
}

// ---------------------------------------------------------------------------------------------
// Catching up with ingest and verdicts: the upkeep lives in metrics-fold.ts.
export { foldNewItems, foldNewItemsAsync, mergePendingSums, type FoldOptions, type FoldProgress, type FoldStats } from './metrics-fold.ts';

/**
 * Every sum table is read together with its pending differences (migration 0021: the upkeep
 * appends there and merges them in bulk): the sums of both are the numbers. Each read runs its
 * query on the table and on its pending rows and adds the two in code: a UNION ALL of the two
 * in one query costs a co-routine row per cube row (the totals took about 4x as long) and loses
 * the key order the dimension pass streams in.
 */
function withPending<T>(sqlite: Database.Database, table: string, sql: (from: string) => string, params: unknown[], from = table): T[] {
  return [...(sqlite.prepare(sql(from)).all(...params) as T[]), ...(sqlite.prepare(sql(`${table}_pending`)).all(...params) as T[])];
}

// ---------------------------------------------------------------------------------------------
// Panels

export interface CubeTotals {
  n: number;
  traced: number;
  decided: number;
  breached: number;
  overturned: number;
  overlap: number;
  agreed: number;
  halluc: number;
  pii: number;
  ttdMs: number;
  violation: number;
  dismiss: number;
  escalate: number;
  open: number;
}

/**
 * Where a panel's rows come from (migration 0023): the cube's rows of decided items per state
 * ('cube'), every item per cell ('cells': metric_cell_items), or one reviewer's metric_items rows
 * as cells of one item each ('items'). A cell's open items are its items less its decided ones
 * (the cube's 'open' rows keep n = 0), so each source gives its share of every sum and the
 * caller adds them up.
 */
type Source = 'cube' | 'cells' | 'items';

const OUTCOME_SUMS = `sum(decided) AS decided, sum(breached) AS breached, sum(overturned) AS overturned, sum(overlap) AS overlap,
  sum(agreed) AS agreed, sum(halluc) AS halluc, sum(pii) AS pii, sum(ttd_ms) AS ttdMs`;
const STATE_COUNTS = `sum(CASE WHEN state = 'violation' THEN n ELSE 0 END) AS violation, sum(CASE WHEN state = 'dismiss' THEN n ELSE 0 END) AS dismiss`;
const SUMS = (src: Source) => {
  if (src === 'cells') {
    return `sum(n) AS n, sum(traced) AS traced, 0 AS decided, 0 AS breached, 0 AS overturned, 0 AS overlap, 0 AS agreed, 0 AS halluc, 0 AS pii,
      0 AS ttdMs, 0 AS violation, 0 AS dismiss, 0 AS escalate, sum(n) AS open`;
  }
  const items = src === 'items';
  return `${items ? 'sum(n)' : '0'} AS n, ${items ? 'sum(traced)' : '0'} AS traced, ${OUTCOME_SUMS}, ${STATE_COUNTS},
    sum(CASE WHEN state = 'escalate' THEN n ELSE 0 END) AS escalate, ${items ? "sum(CASE WHEN state = 'open' THEN n ELSE 0 END)" : '-sum(n)'} AS open`;
};

const zeroTotals = (): CubeTotals => ({
  n: 0, traced: 0, decided: 0, breached: 0, overturned: 0, overlap: 0, agreed: 0, halluc: 0, pii: 0, ttdMs: 0,
  violation: 0, dismiss: 0, escalate: 0, open: 0,
});

function fill(r: Partial<Record<keyof CubeTotals, number | null>> | undefined): CubeTotals {
  const out = zeroTotals();
  if (r) for (const k of Object.keys(out) as (keyof CubeTotals)[]) out[k] = Number(r[k] ?? 0);
  return out;
}

/**
 * A reviewer's metric_items rows as cube cells of one item each (the cube's columns and sums), from
 * the covering partial index metric_items_reviewer (migration 0021: it replaced the per-reviewer
 * cube, which was almost one row per decided item and cost the upkeep a random page per verdict;
 * the index is keyed by verdict seq after the reviewer, so new entries append).
 */
const REVIEWER_ROWS = `(SELECT day, route, category, policy, detector, model, version, deployment, state, 1 AS n, traced,
  (first_ms IS NOT NULL) AS decided, breached, overturned, overlap, agreed, halluc, pii, coalesce(first_ms - created_ms, 0) AS ttd_ms, calls
  FROM metric_items INDEXED BY metric_items_reviewer WHERE reviewer = ? AND reviewer <> '')`;

/**
 * What the panels aggregate: a read run on the cube, on the cells' items (migration 0023) and on
 * the pending rows of both (the caller adds up groups that appear in several), or under a
 * reviewer filter once, on that reviewer's items. `from` / `cellsFrom` are the tables' sources
 * (e.g. an INDEXED BY; no `cellsFrom`: a pass that needs no open items).
 */
function cubeParts<T>(
  sqlite: Database.Database,
  f: MetricFilter,
  sql: (from: string, src: Source) => string,
  params: unknown[],
  from = 'metric_cube',
  cellsFrom: string | null = 'metric_cell_items',
): T[] {
  if (f.reviewer !== undefined) return sqlite.prepare(sql(REVIEWER_ROWS, 'items')).all(f.reviewer, ...params) as T[];
  const cube = withPending<T>(sqlite, 'metric_cube', (table) => sql(table, 'cube'), params, from);
  return cellsFrom === null ? cube : [...cube, ...withPending<T>(sqlite, 'metric_cell_items', (table) => sql(table, 'cells'), params, cellsFrom)];
}

export function cubeTotals(sqlite: Database.Database, f: MetricFilter): CubeTotals {
  const w = cellWhere(f, { reviewer: false });
  const out = zeroTotals();
  for (const r of cubeParts<Record<string, number>>(sqlite, f, (from, src) => `SELECT ${SUMS(src)} FROM ${from} WHERE ${w.sql}`, w.params)) {
    const t = fill(r);
    for (const k of Object.keys(out) as (keyof CubeTotals)[]) out[k] += t[k];
  }
  return out;
}

export type GroupDim = 'day' | 'route' | 'category' | 'policy' | 'detector' | 'model' | 'version' | 'deployment';

/** Totals per value of one dimension (or two: model and version), largest first. */
export function cubeBy(sqlite: Database.Database, f: MetricFilter, dims: GroupDim[], limit = 50): ({ key: string[] } & CubeTotals)[] {
  const w = cellWhere(f, { reviewer: false });
  const cols = dims.join(', ');
  const rows = cubeParts<Record<string, number | string>>(sqlite, f, (from, src) => `SELECT ${cols}, ${SUMS(src)} FROM ${from} WHERE ${w.sql} GROUP BY ${cols}`, w.params);
  const out = new Map<string, { key: string[] } & CubeTotals>();
  for (const r of rows) {
    const key = dims.map((d) => (d === 'day' ? dayString(Number(r[d])) : String(r[d])));
    const id = key.join('\u0000');
    const t = fill(r as Record<string, number>);
    const o = out.get(id);
    if (!o) out.set(id, { key, ...t });
    else for (const k of Object.keys(t) as (keyof CubeTotals)[]) o[k] += t[k];
  }
  return [...out.values()].filter((r) => r.n > 0).sort(byCountThenKey).slice(0, limit);
}

/** Items, confirmed and dismissed in a group of cube cells (what the rate panels need). */
export interface StateCounts {
  /** Items (countsByFlagDims: decided items, the only ones its panels show). */
  n: number;
  violation: number;
  dismiss: number;
  /** Reviewed items with per-flag calls, and those dismissed (the flag dimensions' pass only). */
  calls?: number;
  callsDismiss?: number;
}

const STATE_SUMS = (src: Source) =>
  src === 'cells' ? 'sum(n) AS n, 0 AS violation, 0 AS dismiss' : `${src === 'items' ? 'sum(n)' : '0'} AS n, ${STATE_COUNTS}`;

/**
 * Counts per category, policy and detector: one pass over the cube in its key order (day, route,
 * category, policy, detector, ...), so SQLite sums as it reads and sorts nothing (a GROUP BY on
 * one of these columns alone sorted every cube row of the range: most of a panel's time at 1M).
 * The groups (day × route × the 42 category/policy/detector combinations at 1M: ~1,200) are
 * summed per panel by rollUp. Serves the category, policy and detector panels and the top-flag
 * part of the false-positive panels, which show reviewed items only: here `n` counts the decided
 * items (the cube's rows; migration 0023), so the pass does not read metric_cell_items (about
 * 84,000 more rows at 1M) for open items none of these panels shows.
 */
export function countsByFlagDims(sqlite: Database.Database, f: MetricFilter): ({ category: string; policy: string; detector: string } & StateCounts)[] {
  const w = cellWhere(f, { reviewer: false });
  const calls = "sum(calls) AS calls, sum(CASE WHEN state = 'dismiss' THEN calls ELSE 0 END) AS callsDismiss";
  // The cube streams in key order grouped by its key's prefix; a reviewer's items are sorted
  // anyway, on fewer keys (about a quarter less CPU over 80,000 rows at 1M).
  const groups = f.reviewer === undefined ? 'day, route, category, policy, detector' : 'category, policy, detector';
  const sql = (from: string) => `SELECT category, policy, detector, sum(n) AS n, ${STATE_COUNTS}, ${calls} FROM ${from} WHERE ${w.sql} GROUP BY ${groups}`;
  return cubeParts(sqlite, f, sql, w.params, 'metric_cube', null);
}

/**
 * Counts per model, version, deployment and category (the model, version and deployment panels
 * and both regression checks). Over a wide range it walks the covering index
 * metric_cube_model_cells (migration 0019) in group order, so nothing is sorted; over a narrow
 * range (under a quarter of the data's days) the primary key's day range reads fewer rows and the
 * sort is small. Under a reviewer filter: that reviewer's metric_items rows, sorted.
 */
export function countsByModelCells(
  sqlite: Database.Database,
  f: MetricFilter,
): ({ model: string; version: string; deployment: string; category: string } & StateCounts)[] {
  const w = cellWhere(f, { reviewer: false });
  let from = 'metric_cube';
  let cellsFrom = 'metric_cell_items';
  if (f.reviewer === undefined) {
    const ext = sqlite.prepare('SELECT min(day) AS a, max(day) AS b FROM metric_cell_items').get() as { a: number | null; b: number | null };
    const span = ext.a === null || ext.b === null ? 0 : ext.b - ext.a + 1;
    const days = Math.min(dayNumber(f.to), ext.b ?? 0) - Math.max(dayNumber(f.from), ext.a ?? 0) + 1;
    if (days * 4 >= span) {
      cellsFrom = 'metric_cell_items INDEXED BY metric_cell_items_model';
      if (hasModelIndex(sqlite)) from = 'metric_cube INDEXED BY metric_cube_model_cells';
    }
  }
  const sql = (table: string, src: Source) => `SELECT model, version, deployment, category, ${STATE_SUMS(src)} FROM ${table} WHERE ${w.sql} GROUP BY model, version, deployment, category`;
  return cubeParts(sqlite, f, sql, w.params, from, cellsFrom);
}

/**
 * Whether the cube has migration 0019's index (looked up once per connection). Without it the
 * model pass sorts, as before 0019: the same answers, slower (about 120-150 ms at 1M instead of
 * about 40-60 ms), and the catch-up does not keep the index (about +0.03 ms CPU per verdict at 1M).
 */
const modelIndex = new WeakMap<Database.Database, boolean>();
function hasModelIndex(sqlite: Database.Database): boolean {
  let has = modelIndex.get(sqlite);
  if (has === undefined) {
    has = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'metric_cube_model_cells'").get() !== undefined;
    modelIndex.set(sqlite, has);
  }
  return has;
}

/** Largest first; equal counts by key, so the order does not depend on how rows split between the cube and its pending rows. */
const byCountThenKey = (a: { n: number; key: string[] }, b: { n: number; key: string[] }) => b.n - a.n || compareKeys(a.key, b.key);
function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}

/** Sums counts per key (largest first, groups with items only, at most `limit`): a panel's rows from a pass's groups. */
export function rollUp<T extends StateCounts>(rows: T[], key: (r: T) => string[], limit = Infinity): ({ key: string[] } & StateCounts)[] {
  const out = new Map<string, { key: string[] } & StateCounts>();
  for (const r of rows) {
    const k = key(r);
    const id = k.join('\u0000');
    const o = out.get(id) ?? out.set(id, { key: k, n: 0, violation: 0, dismiss: 0, calls: 0, callsDismiss: 0 }).get(id)!;
    o.n += r.n;
    o.violation += r.violation;
    o.dismiss += r.dismiss;
    o.calls! += r.calls ?? 0;
    o.callsDismiss! += r.callsDismiss ?? 0;
  }
  return [...out.values()].filter((r) => r.n > 0).sort(byCountThenKey).slice(0, limit);
}

export interface FlagCallTotals {
  value: string;
  /** Reviewed items with a call on this value (one per item). */
  units: number;
  falsePos: number;
  /** Of those, the items whose call came from per-flag calls (the rest: the top flag by the item's decision). */
  perFlag: number;
  perFlagFalsePos: number;
}

/**
 * False-positive calls per detector, policy or category value (docs/metrics.md "False-positive
 * rate"): items with per-flag calls from metric_flag_items; items reviewed without them are the
 * cube's reviewed items by top flag (`reviewed`: the cube's counts per value of `dim`, from
 * countsByFlagDims) less those with per-flag calls (the cube's `calls`, migration 0021). Filters
 * apply to the items' own dimensions.
 */
export function flagCallsBy(
  sqlite: Database.Database,
  f: MetricFilter,
  dim: FlagDim,
  reviewed: ({ key: string[] } & StateCounts)[],
  limit = 30,
): FlagCallTotals[] {
  const w = cellWhere(f);
  // One row per item and value (migration 0021: no flag cube, whose cells were about as many),
  // by 0017's (dim, value, false_pos, day) index: grouped by value as it streams.
  const called = sqlite
    .prepare(`SELECT value, count(*) AS units, sum(false_pos) AS falsePos FROM metric_flag_items INDEXED BY metric_flag_items_cell
      WHERE dim = ? AND ${w.sql} GROUP BY value`)
    .all(dim, ...w.params) as { value: string; units: number; falsePos: number }[];
  const out = new Map<string, FlagCallTotals>();
  const row = (value: string) => out.get(value) ?? out.set(value, { value, units: 0, falsePos: 0, perFlag: 0, perFlagFalsePos: 0 }).get(value)!;
  for (const r of called) {
    const o = row(r.value);
    o.units += r.units;
    o.falsePos += r.falsePos;
    o.perFlag += r.units;
    o.perFlagFalsePos += r.falsePos;
  }
  for (const r of reviewed) {
    const units = r.violation + r.dismiss - (r.calls ?? 0);
    if (units <= 0) continue;
    const o = row(r.key[0]!);
    o.units += units;
    o.falsePos += r.dismiss - (r.callsDismiss ?? 0);
  }
  return [...out.values()]
    .filter((r) => r.units > 0)
    .sort((a, b) => b.units - a.units || a.value.localeCompare(b.value))
    .slice(0, limit);
}

/** Time-to-first-decision histogram buckets: upper bounds in ms (the last bucket is open-ended). */
export const TTD_BOUNDS_MS = [300_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 43_200_000, 86_400_000, 172_800_000, 259_200_000, 604_800_000];
export const SLA_MS = [3_600_000, 14_400_000, 86_400_000, 259_200_000];

/** Histogram of time to first decision per priority; metric_ttd is keyed by route, model, version and deployment only. */
export function ttdHistogram(sqlite: Database.Database, f: MetricFilter): { priority: number; bucket: number; n: number; breached: number }[] {
  const parts = ['day BETWEEN ? AND ?'];
  const params: unknown[] = [dayNumber(f.from), dayNumber(f.to)];
  for (const col of ['route', 'model', 'version', 'deployment'] as const) {
    if (f[col] !== undefined) {
      parts.push(`${col} = ?`);
      params.push(f[col]);
    }
  }
  type Bucket = { priority: number; bucket: number; n: number; breached: number };
  const out = new Map<string, Bucket>();
  for (const r of withPending<Bucket>(sqlite, 'metric_ttd', (from) => `SELECT priority, bucket, sum(n) AS n, sum(breached) AS breached FROM ${from} WHERE ${parts.join(' AND ')} GROUP BY priority, bucket`, params)) {
    const o = out.get(`${r.priority}/${r.bucket}`);
    if (!o) out.set(`${r.priority}/${r.bucket}`, { ...r });
    else {
      o.n += r.n;
      o.breached += r.breached;
    }
  }
  return [...out.values()].filter((r) => r.n > 0).sort((a, b) => a.priority - b.priority || a.bucket - b.bucket);
}

export const AGE_BOUNDS_MS = [3_600_000, 14_400_000, 86_400_000, 259_200_000, 604_800_000];

/**
 * Open items now (not limited to the time range), per priority and age bucket, with those past
 * their SLA: range counts on metric_items (state, priority, created_ms).
 */
export function backlog(sqlite: Database.Database, nowMs: number): { priority: number; ages: number[]; overdue: number; total: number }[] {
  const count = sqlite.prepare("SELECT count(*) FROM metric_items WHERE state = 'open' AND priority = ? AND created_ms > ? AND created_ms <= ?").pluck();
  const out = [];
  for (let p = 0; p < 4; p++) {
    // Bucket i holds items created in (edges[i + 1], edges[i]]: younger than 1 h, 1–4 h, ... older than 7 days.
    const edges = [1e15, ...AGE_BOUNDS_MS.map((a) => nowMs - a), -1e15];
    const ages: number[] = [];
    for (let i = 0; i + 1 < edges.length; i++) ages.push(count.get(p, edges[i + 1], edges[i]) as number);
    const overdue = count.get(p, -1e15, nowMs - SLA_MS[p]!) as number;
    out.push({ priority: p, ages, overdue, total: ages.reduce((a, b) => a + b, 0) });
  }
  return out;
}

export interface ReviewerRow {
  reviewer: string;
  decisions: number;
  timed: number;
  activeMs: number;
  days: number;
}

export function reviewerThroughput(sqlite: Database.Database, f: MetricFilter): ReviewerRow[] {
  const params: unknown[] = [dayNumber(f.from), dayNumber(f.to)];
  let extra = '';
  if (f.reviewer !== undefined) {
    extra = ' AND reviewer = ?';
    params.push(f.reviewer);
  }
  return sqlite
    .prepare(
      `SELECT reviewer, sum(decisions) AS decisions, sum(timed) AS timed, sum(active_ms) AS activeMs, count(*) AS days
       FROM metric_reviewer_daily WHERE day BETWEEN ? AND ?${extra} GROUP BY reviewer ORDER BY decisions DESC LIMIT 50`,
    )
    .all(...params) as ReviewerRow[];
}

/** Screened events in range (volumes are per model and version; other filters do not apply). */
export function screenedEvents(sqlite: Database.Database, f: MetricFilter): { screened: number; days: number } {
  const parts = ['day BETWEEN ? AND ?'];
  const params: unknown[] = [dayNumber(f.from), dayNumber(f.to)];
  if (f.model !== undefined) {
    parts.push('model = ?');
    params.push(f.model);
  }
  if (f.version !== undefined) {
    parts.push('version = ?');
    params.push(f.version);
  }
  const r = sqlite.prepare(`SELECT coalesce(sum(screened), 0) AS screened, count(DISTINCT day) AS days FROM metric_volumes WHERE ${parts.join(' AND ')}`).get(...params) as {
    screened: number;
    days: number;
  };
  return r;
}

/** Screened events per day in range, for the same model and version filters as screenedEvents. */
export function screenedByDay(sqlite: Database.Database, f: MetricFilter): Map<string, number> {
  const parts = ['day BETWEEN ? AND ?'];
  const params: unknown[] = [dayNumber(f.from), dayNumber(f.to)];
  for (const col of ['model', 'version'] as const) {
    if (f[col] !== undefined) {
      parts.push(`${col} = ?`);
      params.push(f[col]);
    }
  }
  const rows = sqlite.prepare(`SELECT day, sum(screened) AS s FROM metric_volumes WHERE ${parts.join(' AND ')} GROUP BY day`).all(...params) as { day: number; s: number }[];
  return new Map(rows.map((r) => [dayString(r.day), r.s]));
}

export interface VolumeRow {
  day: string;
  model: string;
  version: string;
  screened: number;
}

/** Adds (or replaces) screened-event counts; the caller holds the write transaction. */
export function putVolumes(sqlite: Database.Database, rows: VolumeRow[]): number {
  const put = sqlite.prepare(
    'INSERT INTO metric_volumes (day, model, version, screened) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET screened = excluded.screened',
  );
  for (const r of rows) put.run(dayNumber(r.day), r.model, r.version, r.screened);
  return rows.length;
}

/** The data's extent: first and last UTC day with items. */
export function metricDays(sqlite: Database.Database): { first: string; last: string } | null {
  // Items are never removed, so a day with items has a metric_cell_items row with n > 0
  // (migration 0023), or (before the next merge) pending rows that add items to it.
  const r = sqlite
    .prepare(
      `SELECT min(a) AS a, max(b) AS b FROM (SELECT min(day) AS a, max(day) AS b FROM metric_cell_items WHERE n > 0
       UNION ALL SELECT min(day), max(day) FROM (SELECT day FROM metric_cell_items_pending GROUP BY day HAVING sum(n) > 0))`,
    )
    .get() as { a: number | null; b: number | null };
  return r.a === null || r.b === null ? null : { first: dayString(r.a), last: dayString(r.b) };
}

// The dashboard's filter lists: metric-facets.ts.

/**
 * The verdicts in force behind the decided items of a range, each with the audit seq and leaf the
 * upkeep checked when it recorded the verdict, in audit order: the report's proof, read from the
 * covering day index (no metric_items, verdict or event row is read).
 */
export function countedVerdicts(sqlite: Database.Database, f: MetricFilter): CountedProof[] {
  const w = cellWhere({ ...f, state: ['violation', 'dismiss', 'escalate'] });
  return countedProofs(sqlite, w.sql, w.params);
}

export type NotableFlag = 'breached' | 'overturned' | 'pii' | 'halluc';
export interface NotableItem {
  id: string;
  externalId: string;
  category: string;
  version: string;
  state: string;
  priority: number;
}

/**
 * Notable items for the report, per flag: the first `limit` by priority then age. Ids only (content
 * is never in the report). One pass over the range's flagged rows (the partial index
 * metric_items_flagged), then items are read for the chosen few.
 */
export function notableItems(sqlite: Database.Database, f: MetricFilter, limit = 10): Record<NotableFlag, NotableItem[]> {
  const w = cellWhere(f);
  const ids = sqlite.prepare(
    'SELECT i.id, i.external_id AS externalId, m.category, m.version, m.state, m.priority FROM metric_items m JOIN items i ON i.seq = m.item_seq WHERE m.item_seq = ?',
  );
  // Per flag, the first few by priority then age: a top-N sort over the flagged index entries of
  // the range (the partial index covers the filter and the order), then rows for those few only.
  const pick = (flag: NotableFlag): NotableItem[] => {
    const seqs = sqlite
      .prepare(
        `SELECT item_seq FROM metric_items INDEXED BY metric_items_flagged
         WHERE ${w.sql} AND (breached = 1 OR overturned = 1 OR pii = 1 OR halluc = 1) AND ${flag} = 1
         ORDER BY priority, created_ms, item_seq LIMIT ${Math.max(0, Math.floor(limit))}`,
      )
      .pluck()
      .all(...w.params) as number[];
    return seqs.map((seq) => ids.get(seq) as NotableItem);
  };
  return { breached: pick('breached'), overturned: pick('overturned'), pii: pick('pii'), halluc: pick('halluc') };
}
