/** The queue calls: each one SQL function of db/team/migrations/0002_functions.ts, typed. */
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

export async function claimItems(db: Queryable, n: number, route: string | null): Promise<ClaimRow[]> {
  const { rows } = await db.query<ClaimRow>(
    `SELECT token::text AS "token", item_id::text AS "itemId", ext_id AS "extId", route, priority, created_at AS "createdAt",
       revision, content_sha256 AS "contentSha256", record_text AS "recordText", expires_at AS "expiresAt", server_now AS "serverNow"
     FROM verdict.claim($1, $2)`,
    [route, n],
  );
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

export async function submitVerdict(
  db: Queryable,
  itemId: string,
  token: string,
  v: SubmitArgs,
): Promise<{ status: 'accepted' | 'refused' | 'expired'; message: string; itemStatus: string | null }> {
  const { rows } = await db.query<{ status: 'accepted' | 'refused' | 'expired'; message: string; itemStatus: string | null }>(
    'SELECT status, message, item_status AS "itemStatus" FROM verdict.submit($1, $2, $3, $4, $5, $6, $7)',
    [itemId, token, v.decision, JSON.stringify(v.labels), v.severity, v.rationale, v.clientId],
  );
  return rows[0]!;
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
    const pending = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM verdict.audit_leaves WHERE seq IS NULL');
    if (size >= 0 && pending.rows[0]!.n === '0') return size;
    if (size < 0) {
      if (++idle > 2000) throw new Error('the audit sequencer stayed busy for too long');
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
