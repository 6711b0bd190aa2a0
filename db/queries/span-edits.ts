/** Span review: the parts of a judged revision's record a span edit is checked against. */
import type Database from 'better-sqlite3';

export interface SpanTarget {
  input?: { messages?: { content: string }[] };
  output?: { messages?: { content: string }[] };
  flags?: { spans?: { field: string; start: number; end: number }[] }[];
}

const statements = new WeakMap<Database.Database, Database.Statement>();

/** The conversations and flags of revision `revisionId` (evidence and metadata are not read), or null. */
export function spanTarget(sqlite: Database.Database, revisionId: string): SpanTarget | null {
  let st = statements.get(sqlite);
  if (!st) {
    st = sqlite
      .prepare("SELECT json_object('input', record -> '$.input', 'output', record -> '$.output', 'flags', record -> '$.flags') FROM item_revisions WHERE id = ?")
      .pluck();
    statements.set(sqlite, st);
  }
  const text = st.get(revisionId) as string | undefined;
  return text === undefined ? null : (JSON.parse(text) as SpanTarget);
}
