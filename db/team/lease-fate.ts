/** What became of one of my leases (team migration 0006 `verdict.lease_fate`). */
import type { Queryable } from './migrate.ts';

/** Null when the lease is not the caller's (or does not exist). */
export async function leaseFate(db: Queryable, itemId: string, token: string): Promise<{ reassigned: boolean; expiresAt: string } | null> {
  const { rows } = await db.query<{ reassigned: boolean; expiresAt: string }>('SELECT reassigned, expires_at AS "expiresAt" FROM verdict.lease_fate($1, $2)', [itemId, token]);
  return rows[0] ?? null;
}
