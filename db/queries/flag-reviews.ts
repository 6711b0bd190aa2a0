/** Per-flag review: how many flags the revision a verdict judges carries, to check its flag indexes. */
import type Database from 'better-sqlite3';

const statements = new WeakMap<Database.Database, Database.Statement>();

/** The number of detector flags in revision `revisionId`'s record (0 when it has none or no such revision). */
export function revisionFlagCount(sqlite: Database.Database, revisionId: string): number {
  let st = statements.get(sqlite);
  if (!st) {
    st = sqlite.prepare("SELECT coalesce(json_array_length(record, '$.flags'), 0) FROM item_revisions WHERE id = ?").pluck();
    statements.set(sqlite, st);
  }
  return (st.get(revisionId) as number | undefined) ?? 0;
}
