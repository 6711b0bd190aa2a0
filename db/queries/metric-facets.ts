/**
 * The dashboard's filter lists (issue 14): the distinct non-empty values of each cube dimension,
 * and the reviewers. A DISTINCT over the cube for each of seven columns read every cube row seven
 * times, each into a temp b-tree for the DISTINCT (about 250 ms at 1M items, 146k cube rows).
 * Instead each list comes from a walk of an index in key order that jumps from one distinct key
 * prefix to the next (a "loose index scan": a few seeks per distinct prefix), so the cost follows
 * the number of distinct values, not of rows:
 *  - route, category, policy, detector: the primary key prefix (day, route, category, policy,
 *    detector) of metric_cell_items (every cell with items, migration 0023), about 1,200
 *    prefixes at 1M items;
 *  - model, version, deployment: the prefix (model, version, deployment) of its index
 *    metric_cell_items_model, a few dozen.
 * Values whose counts went back to zero stay listed, as before (cube rows are never removed).
 * Cells not merged yet (metric_cell_items_pending: at most a merge's worth of rows) are read
 * with a plain DISTINCT and added.
 */
import type Database from 'better-sqlite3';

export type FacetDim = 'route' | 'policy' | 'detector' | 'category' | 'model' | 'version' | 'deployment' | 'reviewer';

/** At most this many values per list (as before). */
const LIMIT = 200;

/**
 * Every distinct value of `cols` (a prefix of an index's key, in key order) in `table`, a seek or
 * a few per distinct prefix. `using` names the index SQLite must walk (none: the primary key). The
 * next prefix after (a, b, c) is the first row with a = ? AND b = ? AND c > ?, else a = ? AND
 * b > ?, else a > ?: equalities then one range, which SQLite seeks exactly (a row-value
 * comparison (a, b, c) > (?, ?, ?) was read row by row through the prefix: 3-4× slower at 1M).
 */
function distinctPrefixes(sqlite: Database.Database, table: string, cols: string[], using?: string): unknown[][] {
  const list = cols.join(', ');
  const from = using ? `${table} INDEXED BY ${using}` : table;
  const first = sqlite.prepare(`SELECT ${list} FROM ${from} ORDER BY ${list} LIMIT 1`).raw();
  // after[k]: the first row whose first k columns equal the current row's and whose next one is greater.
  const after = cols.map((c, k) => {
    const eq = cols.slice(0, k).map((e) => `${e} = ? AND `).join('');
    return sqlite.prepare(`SELECT ${list} FROM ${from} WHERE ${eq}${c} > ? ORDER BY ${list} LIMIT 1`).raw();
  });
  const out: unknown[][] = [];
  let row = first.get() as unknown[] | undefined;
  while (row) {
    out.push(row);
    let next: unknown[] | undefined;
    for (let k = cols.length - 1; k >= 0 && !next; k--) next = after[k]!.get(...row.slice(0, k + 1)) as unknown[] | undefined;
    row = next;
  }
  return out;
}

/** The distinct non-empty values of one indexed column (its index leads with it), sorted, at most 200. */
export function distinctValues(sqlite: Database.Database, table: string, col: string, index: string): string[] {
  return sortedValues(distinctPrefixes(sqlite, table, [col], index), 0);
}

const sortedValues = (rows: unknown[][], at: number): string[] =>
  [...new Set(rows.map((r) => String(r[at])).filter((v) => v !== ''))].sort().slice(0, LIMIT);

export function metricFacets(sqlite: Database.Database): Record<FacetDim, string[]> {
  // Every cell with items is a metric_cell_items row (migration 0023; the cube's cells are those with decided items).
  const cube = distinctPrefixes(sqlite, 'metric_cell_items', ['day', 'route', 'category', 'policy', 'detector']);
  const models = distinctPrefixes(sqlite, 'metric_cell_items', ['model', 'version', 'deployment'], 'metric_cell_items_model');
  const pending = sqlite
    .prepare('SELECT DISTINCT route, category, policy, detector, model, version, deployment FROM metric_cell_items_pending')
    .raw()
    .all() as unknown[][];
  const listed = (rows: unknown[][], at: number, pendingAt: number) => sortedValues([...rows.map((r) => [r[at]]), ...pending.map((r) => [r[pendingAt]])], 0);
  return {
    route: listed(cube, 1, 0),
    category: listed(cube, 2, 1),
    policy: listed(cube, 3, 2),
    detector: listed(cube, 4, 3),
    model: listed(models, 0, 4),
    version: listed(models, 1, 5),
    deployment: listed(models, 2, 6),
    // metric_reviewer_daily is small (a row per reviewer and day).
    reviewer: sqlite.prepare("SELECT DISTINCT reviewer FROM metric_reviewer_daily WHERE reviewer <> '' ORDER BY 1 LIMIT 200").pluck().all() as string[],
  };
}
