/**
 * Item actions (migration 0010): hold, release, reopen, gold, consult, reveal. Rows are
 * append-only; the current hold or gold of an item is its newest row of that kind.
 */
import type Database from 'better-sqlite3';
import { reviewerDecisionWhere } from './adjudication.ts';

export const ACTION_KINDS = ['hold', 'release', 'reopen', 'gold', 'consult', 'reveal'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export interface ItemActionRow {
  seq: number;
  id: string;
  itemSeq: number;
  kind: ActionKind;
  reason: string | null;
  dueAt: string | null;
  /** Canonical JSON text (keys sorted): for gold {decision, labels}; for hold {from}. */
  data: string;
  actor: string;
  at: string;
  auditSeq: number;
}

const COLS = 'seq, id, item_seq AS itemSeq, kind, reason, due_at AS dueAt, data, actor, at, audit_seq AS auditSeq';

export function insertItemAction(sqlite: Database.Database, a: Omit<ItemActionRow, 'seq'>): number {
  return Number(
    sqlite
      .prepare('INSERT INTO item_actions (id, item_seq, kind, reason, due_at, data, actor, at, audit_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(a.id, a.itemSeq, a.kind, a.reason, a.dueAt, a.data, a.actor, a.at, a.auditSeq).lastInsertRowid,
  );
}

/** Every action on an item, oldest first (reveals included: they are part of its record). */
export function actionsForItem(sqlite: Database.Database, itemSeq: number): ItemActionRow[] {
  return sqlite.prepare(`SELECT ${COLS} FROM item_actions WHERE item_seq = ? ORDER BY seq`).all(itemSeq) as ItemActionRow[];
}

export function latestAction(sqlite: Database.Database, itemSeq: number, kind: ActionKind): ItemActionRow | undefined {
  return sqlite.prepare(`SELECT ${COLS} FROM item_actions WHERE item_seq = ? AND kind = ? ORDER BY seq DESC LIMIT 1`).get(itemSeq, kind) as
    | ItemActionRow
    | undefined;
}

/** A boolean SQL expression: item `item` is a gold item (its newest gold row names a decision). */
export function goldItemSql(item: string): string {
  return `coalesce((SELECT json_extract(g.data, '$.decision') IS NOT NULL FROM item_actions g
    WHERE g.item_seq = ${item} AND g.kind = 'gold' ORDER BY g.seq DESC LIMIT 1), 0)`;
}

export interface HoldRow {
  itemId: string;
  route: string;
  snippet: string;
  reason: string;
  reviewBy: string;
  heldBy: string;
  heldAt: string;
  overdue: boolean;
}

/** Items on hold, most overdue first; `now` is an ISO instant (overdue: review-by before it). */
export function holds(sqlite: Database.Database, now: string): HoldRow[] {
  return (
    sqlite
      .prepare(
        `SELECT i.id AS itemId, i.route, i.snippet, a.reason, a.due_at AS reviewBy, a.actor AS heldBy, a.at AS heldAt, a.due_at < ? AS overdue
         FROM items i JOIN item_actions a ON a.seq = (SELECT max(b.seq) FROM item_actions b WHERE b.item_seq = i.seq AND b.kind = 'hold')
         WHERE i.status = 'on_hold' ORDER BY a.due_at, i.seq`,
      )
      .all(now) as (Omit<HoldRow, 'overdue'> & { overdue: number })[]
  ).map((r) => ({ ...r, overdue: r.overdue === 1 }));
}

export interface GoldItemRow {
  itemId: string;
  route: string;
  snippet: string;
  decision: string;
  labels: string[];
  markedBy: string;
  markedAt: string;
}

const CURRENT_GOLD = `SELECT g.item_seq, g.data, g.actor, g.at FROM item_actions g
  WHERE g.kind = 'gold' AND g.seq = (SELECT max(h.seq) FROM item_actions h WHERE h.item_seq = g.item_seq AND h.kind = 'gold')
    AND json_extract(g.data, '$.decision') IS NOT NULL`;

export function goldItems(sqlite: Database.Database): GoldItemRow[] {
  return (
    sqlite
      .prepare(
        `SELECT i.id AS itemId, i.route, i.snippet, json_extract(g.data, '$.decision') AS decision, json_extract(g.data, '$.labels') AS labels,
           g.actor AS markedBy, g.at AS markedAt
         FROM (${CURRENT_GOLD}) g JOIN items i ON i.seq = g.item_seq ORDER BY g.at DESC`,
      )
      .all() as (Omit<GoldItemRow, 'labels'> & { labels: string })[]
  ).map((r) => ({ ...r, labels: JSON.parse(r.labels) as string[] }));
}

export interface GoldAccuracyRow {
  reviewer: string;
  /** The month of the reviewer's verdicts (YYYY-MM). */
  period: string;
  items: number;
  /** Decision equal to gold. */
  correct: number;
  /** Decision and labels equal to gold. */
  exact: number;
}

/** Each reviewer's standing decisions on gold items against the gold verdict, per month. */
export function goldAccuracy(sqlite: Database.Database): GoldAccuracyRow[] {
  return sqlite
    .prepare(
      `SELECT x.reviewer, substr(x.decided_at, 1, 7) AS period, count(*) AS items,
         sum(x.decision = json_extract(g.data, '$.decision')) AS correct,
         sum(x.decision = json_extract(g.data, '$.decision') AND x.labels = json_extract(g.data, '$.labels')) AS exact
       FROM (${CURRENT_GOLD}) g JOIN verdicts x ON x.item_seq = g.item_seq AND ${reviewerDecisionWhere('x')}
       GROUP BY x.reviewer, period ORDER BY x.reviewer, period`,
    )
    .all() as GoldAccuracyRow[];
}

/** Masked-content reveals per reviewer on one UTC day (YYYY-MM-DD). */
export function exposureCount(sqlite: Database.Database, reviewer: string, day: string): number {
  return sqlite
    .prepare("SELECT count(*) FROM item_actions WHERE kind = 'reveal' AND actor = ? AND at >= ? AND at < ?")
    .pluck()
    .get(reviewer, `${day}T00:00:00.000Z`, `${day}T99`) as number;
}

export function exposureByReviewer(sqlite: Database.Database, day: string): { reviewer: string; reveals: number }[] {
  return sqlite
    .prepare("SELECT actor AS reviewer, count(*) AS reveals FROM item_actions WHERE kind = 'reveal' AND at >= ? AND at < ? GROUP BY actor ORDER BY actor")
    .all(`${day}T00:00:00.000Z`, `${day}T99`) as { reviewer: string; reveals: number }[];
}
