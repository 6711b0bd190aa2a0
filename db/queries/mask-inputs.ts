/**
 * What decides whether an item opens masked (electron/core/review/masking.ts): its route, the
 * detector categories of its current revision's flags, and every label its verdicts gave.
 * Read for a page of items at once, so the queue list costs one query, not one per row.
 */
import type Database from 'better-sqlite3';

export interface MaskInputs {
  route: string;
  labels: string[];
}

/** Per item seq: its route and the flag categories and verdict labels it carries. */
export function maskInputs(sqlite: Database.Database, seqs: readonly number[]): Map<number, MaskInputs> {
  const out = new Map<number, MaskInputs>();
  if (seqs.length === 0) return out;
  const list = JSON.stringify(seqs);
  const rows = sqlite
    .prepare(
      `WITH page(seq) AS (SELECT value FROM json_each(?))
       SELECT i.seq, i.route, NULL FROM items i JOIN page p ON p.seq = i.seq
       UNION ALL
       SELECT r.item_seq, NULL, json_extract(f.value, '$.category') FROM page p
         JOIN items i ON i.seq = p.seq JOIN item_revisions r ON r.item_seq = i.seq AND r.revision = i.revision, json_each(r.record, '$.flags') f
       UNION ALL
       SELECT v.item_seq, NULL, l.value FROM page p JOIN verdicts v ON v.item_seq = p.seq, json_each(v.labels) l`,
    )
    .raw()
    .all(list) as [number, string | null, string | null][];
  for (const [seq, route] of rows) if (route !== null) out.set(seq, { route, labels: [] });
  for (const [seq, , label] of rows) if (typeof label === 'string' && label) out.get(seq)?.labels.push(label);
  return out;
}
