/**
 * How much the metric tables lag the item and verdict logs (issue 14): items and verdicts not yet
 * counted, from the fold marks in `meta` against the logs' tops. It is read from the database, not
 * kept in memory, so it also sees what another process wrote (the CLI into the same workspace)
 * and what was left uncounted before the app restarted. Four b-tree lookups.
 */
import type Database from 'better-sqlite3';

export interface PendingFold {
  items: number;
  verdicts: number;
}

const SQL = `SELECT coalesce((SELECT max(seq) FROM items), 0) - coalesce((SELECT CAST(value AS integer) FROM meta WHERE key = 'metrics_folded_seq'), 0),
  coalesce((SELECT max(seq) FROM verdicts), 0) - coalesce((SELECT CAST(value AS integer) FROM meta WHERE key = 'metrics_folded_verdict_seq'), 0)`;

const prepared = new WeakMap<Database.Database, Database.Statement>();

/** Items and verdicts the next catch-up would count (seq ranges, as the fold counts them). */
export function pendingFold(sqlite: Database.Database): PendingFold {
  let st = prepared.get(sqlite);
  if (!st) prepared.set(sqlite, (st = sqlite.prepare(SQL).raw()));
  const [items, verdicts] = st.get() as [number, number];
  return { items: Math.max(0, items), verdicts: Math.max(0, verdicts) };
}
