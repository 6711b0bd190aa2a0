/**
 * Verdicts with a correction, and the app's "save and next" (team migration 0009): each one SQL
 * function that calls verdict.submit (unchanged) and then verdict.correct in the same transaction.
 */
import type { Queryable } from './migrate.ts';
import type { ClaimRow, SubmitArgs, SubmitRow } from './queue.ts';

export type CorrectedArgs = SubmitArgs & { correction: string | null };

function values(itemId: string, token: string, v: CorrectedArgs): unknown[] {
  return [itemId, token, v.decision, JSON.stringify(v.labels), v.severity, v.rationale, v.clientId, v.correction];
}

/** Submit, and record the correction with the verdict when it is accepted. */
export async function submitCorrected(db: Queryable, itemId: string, token: string, v: CorrectedArgs): Promise<SubmitRow> {
  const { rows } = await db.query<SubmitRow>(
    'SELECT status, message, item_status AS "itemStatus" FROM verdict.submit_corrected($1, $2, $3, $4, $5, $6, $7, $8)',
    values(itemId, token, v),
  );
  return rows[0]!;
}

const CLAIM_COLUMNS = `token::text AS "token", item_id::text AS "itemId", ext_id AS "extId", route, priority, created_at AS "createdAt",
  revision, content_sha256 AS "contentSha256", record_text AS "recordText", expires_at AS "expiresAt", server_now AS "serverNow"`;

/**
 * The app's "save and next": submit (with the correction) and claim my next item through
 * claim_mixed (gold items keep their rate), in one round trip and one transaction.
 */
export async function submitNextMixed(
  db: Queryable,
  itemId: string,
  token: string,
  v: CorrectedArgs,
  route: string | null,
): Promise<{ submit: SubmitRow; next: ClaimRow | null }> {
  const { rows } = await db.query<SubmitRow & Omit<ClaimRow, 'token'> & { token: string | null }>({
    name: 'verdict_submit_next_mixed',
    text: `SELECT status, message, item_status AS "itemStatus", ${CLAIM_COLUMNS}
      FROM verdict.submit_next_mixed($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    values: [...values(itemId, token, v), route],
  });
  const { status, message, itemStatus, ...claim } = rows[0]!;
  return { submit: { status, message, itemStatus }, next: claim.token === null ? null : (claim as ClaimRow) };
}
