/**
 * The metric cube as sums per cell and state, open items included: what a GROUP BY over
 * metric_items by cell and state gives, and how the cube kept them before migration 0023. Since
 * 0023 a cell's items are its metric_cell_items row (n, traced) and its open items those less its
 * decided rows in the cube (the cube's 'open' rows keep n = traced = 0 and the open items' other sums).
 */
import type Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';

/** The reviewer with the most decisions: the reviewer scope the migration tests compare panels over. */
export function busiestReviewer(s: Database.Database): string {
  return s.prepare('SELECT reviewer FROM metric_reviewer_daily GROUP BY reviewer ORDER BY sum(decisions) DESC LIMIT 1').pluck().get() as string;
}

export const CUBE_CELL = 'day, route, category, policy, detector, model, version, deployment';
const SUMS = ['n', 'traced', 'decided', 'breached', 'overturned', 'overlap', 'agreed', 'halluc', 'pii', 'ttd_ms', 'calls'];

/** The cube's rows per cell and state, from `cube` and `cells` (the tables, or UNION ALLs with their pending rows). */
export function cubeStatesSql(cube = 'metric_cube', cells = 'metric_cell_items'): string {
  const sums = SUMS.map((c) => `sum(${c}) AS ${c}`).join(', ');
  const fromCells = SUMS.map((c) => (c === 'n' || c === 'traced' ? c : `0 AS ${c}`)).join(', ');
  const fromCube = SUMS.map((c) => (c === 'n' || c === 'traced' ? `-${c} AS ${c}` : `CASE WHEN state = 'open' THEN ${c} ELSE 0 END AS ${c}`)).join(', ');
  return `SELECT ${CUBE_CELL}, state, ${sums} FROM ${cube} WHERE state <> 'open' GROUP BY ${CUBE_CELL}, state
    UNION ALL SELECT ${CUBE_CELL}, 'open' AS state, ${sums} FROM (SELECT ${CUBE_CELL}, ${fromCells} FROM ${cells}
      UNION ALL SELECT ${CUBE_CELL}, ${fromCube} FROM ${cube}) GROUP BY ${CUBE_CELL}`;
}

/** The cube and the cells' items, each with its pending rows. */
export const CUBE_WITH_PENDING = `(SELECT ${CUBE_CELL}, state, ${SUMS.join(', ')} FROM metric_cube UNION ALL SELECT ${CUBE_CELL}, state, ${SUMS.join(', ')} FROM metric_cube_pending)`;
export const CELLS_WITH_PENDING = `(SELECT ${CUBE_CELL}, n, traced FROM metric_cell_items UNION ALL SELECT ${CUBE_CELL}, n, traced FROM metric_cell_items_pending)`;

/**
 * Back to the cube before 0023 (for tests that roll a workspace back further: drizzle applies only
 * migrations after the last one applied): pending rows merged, each cell's open items back in its
 * cube 'open' row, metric_cell_items and its pending table gone, 0023's journal row removed.
 */
export function rollback0023(raw: Database.Database): void {
  rollback0025(raw);
  const set = SUMS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ');
  const merge = (table: string) =>
    `INSERT INTO metric_cube (${CUBE_CELL}, state, ${SUMS.join(', ')}) SELECT * FROM (SELECT ${CUBE_CELL}, state, ${SUMS.map((c) => `sum(${c})`).join(', ')}
      FROM ${table} GROUP BY ${CUBE_CELL}, state) WHERE true ON CONFLICT DO UPDATE SET ${set}`;
  raw.exec(`${merge('metric_cube_pending')}; DELETE FROM metric_cube_pending;
    CREATE TEMP TABLE open_cells AS SELECT * FROM (${cubeStatesSql('metric_cube', CELLS_WITH_PENDING)}) WHERE state = 'open';
    DELETE FROM metric_cube WHERE state = 'open';
    ${merge('open_cells')}; DROP TABLE open_cells;
    DELETE FROM metric_cube WHERE state = 'open' AND ${SUMS.map((c) => `${c} = 0`).join(' AND ')};
    DROP TABLE metric_cell_items; DROP TABLE metric_cell_items_pending;
    DELETE FROM __drizzle_migrations WHERE created_at = 1797955200000;`);
}

/** 0015's metric_item_verdicts (three correlated subqueries per item), from its migration file. */
export function view0015(): string {
  const sql = readFileSync(new URL('../../db/migrations/0015_ratings_index_amended_adjudication.sql', import.meta.url), 'utf8');
  return sql.split('--> statement-breakpoint').find((st) => st.includes('CREATE VIEW `metric_item_verdicts`'))!.trim();
}

/**
 * Back to the outcome view before 0025 (0015's metric_item_verdicts) and 0025's journal row removed,
 * so that a rollback to an earlier version re-applies it (drizzle applies only migrations after the
 * last one applied). A no-op on a workspace without 0025.
 */
export function rollback0025(raw: Database.Database): void {
  if (!raw.prepare('SELECT 1 FROM __drizzle_migrations WHERE created_at = 1798128000000').get()) return;
  raw.exec(`DROP VIEW metric_item_verdicts; ${view0015()}; DELETE FROM __drizzle_migrations WHERE created_at = 1798128000000;`);
}
