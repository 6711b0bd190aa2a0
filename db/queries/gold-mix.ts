/**
 * The reads behind mixing gold items into the desk's queue (electron/core/review/gold-mix.ts):
 * the gold items a list would hold, and the regular item at a given rank of a route's queue,
 * where a gold item is shown next.
 */
import type Database from 'better-sqlite3';
import { goldItemSql } from './item-actions.ts';
import { QUEUE_COLS, type ItemStatus, type QueueRow } from './items.ts';

/** Current gold items (their newest gold row names a decision) with one of `statuses`, as queue rows. */
export function goldQueueRows(sqlite: Database.Database, statuses: readonly ItemStatus[]): QueueRow[] {
  if (statuses.length === 0) return [];
  return sqlite
    .prepare(
      `SELECT ${QUEUE_COLS} FROM items WHERE seq IN (SELECT DISTINCT g.item_seq FROM item_actions g WHERE g.kind = 'gold')
         AND ${goldItemSql('items.seq')} AND status IN (${statuses.map(() => '?').join(', ')})`,
    )
    .all(...statuses) as QueueRow[];
}

/**
 * The seq of the item at 0-based `rank` in queue order (skipped last, then priority, age) among
 * `route`'s items with one of `statuses` that are not in `gold`, or undefined past the end.
 */
export function regularAtRank(sqlite: Database.Database, route: string, statuses: readonly ItemStatus[], gold: readonly number[], rank: number): number | undefined {
  return sqlite
    .prepare(
      `SELECT seq FROM items WHERE status IN (${statuses.map(() => '?').join(', ')}) AND route = ?
         AND seq NOT IN (SELECT value FROM json_each(?))
       ORDER BY (status = 'skipped'), priority, created_ms, seq LIMIT 1 OFFSET ?`,
    )
    .pluck()
    .get(...statuses, route, JSON.stringify(gold), rank) as number | undefined;
}
