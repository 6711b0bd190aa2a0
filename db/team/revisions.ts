/** What `audit verify --team` reads of team migration 0009: superseded record texts and corrections. */
import type { Queryable } from './migrate.ts';

export interface RevisionRow {
  itemId: string;
  revision: number;
  contentSha256: string;
  /** sha256 of the stored text, recomputed now. */
  textSha256: string;
}

export interface CorrectionRow {
  verdictId: string;
  itemId: string;
  reviewer: string;
  /** sha256 of the stored correction text, computed now. */
  correctionSha256: string;
  correctedAt: string;
}

/** Both empty on a database not yet at version 9 (nothing to check there). */
export async function revisionsSnapshot(db: Queryable): Promise<{ revisions: RevisionRow[]; corrections: CorrectionRow[] }> {
  const at9 = await db.query<{ ok: boolean }>(`SELECT to_regclass('verdict.verdict_corrections') IS NOT NULL AS ok`);
  if (!at9.rows[0]!.ok) return { revisions: [], corrections: [] };
  const revisions = await db.query<RevisionRow>(
    `SELECT item_id::text AS "itemId", revision, content_sha256 AS "contentSha256",
       encode(sha256(convert_to(record_text, 'UTF8')), 'hex') AS "textSha256" FROM verdict.item_revisions ORDER BY item_id, revision`,
  );
  const corrections = await db.query<CorrectionRow>(
    `SELECT verdict_id::text AS "verdictId", item_id::text AS "itemId", reviewer::text,
       encode(sha256(convert_to(correction, 'UTF8')), 'hex') AS "correctionSha256", verdict.ts_text(corrected_at) AS "correctedAt"
     FROM verdict.verdict_corrections ORDER BY verdict_id`,
  );
  return { revisions: revisions.rows, corrections: corrections.rows };
}
