/** Typed calls of team migration 0010 (db/team/migrations/0010_expert_gaps.ts). */
import type { Queryable } from './migrate.ts';

export interface WithdrawalRow {
  because: 'escalated' | 'held';
  byWhom: string;
  at: string;
}

/** Why my lease on an item ended without me (an escalation or a hold by someone else), or null. */
export async function leaseWithdrawal(db: Queryable, itemId: string, token: string): Promise<WithdrawalRow | null> {
  const { rows } = await db.query<WithdrawalRow>('SELECT because, by_whom AS "byWhom", at FROM verdict.lease_withdrawal($1, $2)', [itemId, token]);
  return rows[0] ?? null;
}

export interface TeamRatingRow {
  itemId: string;
  reviewer: string;
  decision: string;
  labels: string[];
  route: string;
  period: string;
}

/** Every reviewer verdict per item (leads and data roles; item, then reviewer order). Days are UTC YYYY-MM-DD, inclusive. */
export async function agreementRatings(db: Queryable, filter: { route?: string; from?: string; to?: string }): Promise<TeamRatingRow[]> {
  const { rows } = await db.query<TeamRatingRow>(
    'SELECT item_id::text AS "itemId", reviewer, decision, labels, route, period FROM verdict.agreement_ratings($1, $2::date, $3::date)',
    [filter.route ?? null, filter.from ?? null, filter.to ?? null],
  );
  return rows;
}
