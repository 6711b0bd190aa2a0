/**
 * The queue calls: each one SQL function of db/team/migrations (0002, 0005), typed. The hot ones
 * are named statements: the server parses and plans them once per connection.
 */
import type { Queryable } from './migrate.ts';

export interface ClaimRow {
  token: string;
  itemId: string;
  extId: string;
  route: string;
  priority: number;
  createdAt: string;
  revision: number;
  contentSha256: string;
  recordText: string;
  expiresAt: string;
  serverNow: string;
}

const CLAIM_COLUMNS = `token::text AS "token", item_id::text AS "itemId", ext_id AS "extId", route, priority, created_at AS "createdAt",
  revision, content_sha256 AS "contentSha256", record_text AS "recordText", expires_at AS "expiresAt", server_now AS "serverNow"`;

export async function claimItems(db: Queryable, n: number, route: string | null): Promise<ClaimRow[]> {
  const { rows } = await db.query<ClaimRow>({ name: 'verdict_claim', text: `SELECT ${CLAIM_COLUMNS} FROM verdict.claim($1, $2)`, values: [route, n] });
  return rows;
}

export async function heartbeatLease(db: Queryable, itemId: string, token: string): Promise<{ ok: boolean; expiresAt: string | null; message: string }> {
  const { rows } = await db.query<{ ok: boolean; expiresAt: string | null; message: string }>(
    'SELECT ok, expires_at AS "expiresAt", message FROM verdict.heartbeat($1, $2)',
    [itemId, token],
  );
  return rows[0]!;
}

export interface SubmitArgs {
  decision: string;
  labels: string[];
  severity: string | null;
  rationale: string | null;
  clientId: string | null;
}

export interface SubmitRow {
  status: 'accepted' | 'refused' | 'expired';
  message: string;
  itemStatus: string | null;
}

export async function submitVerdict(db: Queryable, itemId: string, token: string, v: SubmitArgs): Promise<SubmitRow> {
  const { rows } = await db.query<SubmitRow>({
    name: 'verdict_submit',
    text: 'SELECT status, message, item_status AS "itemStatus" FROM verdict.submit($1, $2, $3, $4, $5, $6, $7)',
    values: [itemId, token, v.decision, JSON.stringify(v.labels), v.severity, v.rationale, v.clientId],
  });
  return rows[0]!;
}

/**
 * "Save and next" (verdict.submit_next, migration 0005): the submit's outcome and my next lease
 * (null when nothing is left), in one round trip and one transaction.
 */
export async function submitAndClaimNext(
  db: Queryable,
  itemId: string,
  token: string,
  v: SubmitArgs,
  route: string | null,
): Promise<{ submit: SubmitRow; next: ClaimRow | null }> {
  const { rows } = await db.query<SubmitRow & Omit<ClaimRow, 'token'> & { token: string | null }>({
    name: 'verdict_submit_next',
    text: `SELECT status, message, item_status AS "itemStatus", ${CLAIM_COLUMNS}
      FROM verdict.submit_next($1, $2, $3, $4, $5, $6, $7, $8)`,
    values: [itemId, token, v.decision, JSON.stringify(v.labels), v.severity, v.rationale, v.clientId, route],
  });
  const r = rows[0]!;
  const { status, message, itemStatus, ...claim } = r;
  return { submit: { status, message, itemStatus }, next: claim.token === null ? null : (claim as ClaimRow) };
}

export async function releaseLease(db: Queryable, itemId: string, token: string): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>('SELECT verdict.release($1, $2) AS ok', [itemId, token]);
  return rows[0]!.ok;
}

export async function whoami(db: Queryable): Promise<{ user: string; role: string | null; routes: string[] }> {
  const { rows } = await db.query<{ user: string; role: string | null; routes: string[] }>('SELECT username AS "user", role, routes FROM verdict.whoami()');
  return rows[0]!;
}

export interface RouteCountRow {
  route: string;
  requiredReviews: number;
  leaseSeconds: number;
  blind: boolean;
  open: number;
  claimable: number;
  leased: number;
  decided: number;
  adjudication: number;
}

export async function routeCounts(db: Queryable): Promise<RouteCountRow[]> {
  const { rows } = await db.query<RouteCountRow>(
    `SELECT route, required_reviews AS "requiredReviews", lease_seconds AS "leaseSeconds", blind, open::int, claimable::int,
       leased::int, decided::int, adjudication::int FROM verdict.route_counts()`,
  );
  return rows;
}

/** Runs the sequencer once: the new tree size, or -1 when another session is sequencing. */
export async function integrateAudit(db: Queryable, max = 10000): Promise<number> {
  const { rows } = await db.query<{ size: string }>('SELECT verdict.integrate($1)::text AS size', [max]);
  return Number(rows[0]!.size);
}

/** Sequences every queued leaf (waiting out a concurrent sequencer). */
export async function integrateAll(db: Queryable): Promise<number> {
  for (let idle = 0; ; ) {
    const size = await integrateAudit(db);
    const pending = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM verdict.audit_pending');
    if (size >= 0 && pending.rows[0]!.n === '0') return size;
    if (size < 0) {
      if (++idle > 2000) throw new Error('the audit sequencer stayed busy for too long');
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
