/**
 * Agreement statistics over a team's verdicts (issue 13): the ratings come from the team
 * database (verdict.agreement_ratings, leads and data roles only) and go through the same
 * report as a local workspace's (electron/core/agreement), so the same verdicts give the same figures.
 */
import { agreementReport, type AgreementOptions, type AgreementReport, type Rating } from '../agreement/index.ts';
import { agreementRatings } from '../../../db/team/expert-gaps.ts';
import type { Queryable } from '../../../db/team/migrate.ts';

export interface TeamAgreementFilter {
  route?: string;
  /** UTC days, YYYY-MM-DD, inclusive. */
  from?: string;
  to?: string;
}

export async function teamAgreement(db: Queryable, filter: TeamAgreementFilter, options: AgreementOptions = {}): Promise<AgreementReport> {
  const rows = await agreementRatings(db, filter);
  const ratings: Rating[] = rows.map((r) => ({
    item: Number(r.itemId),
    reviewer: r.reviewer,
    decision: r.decision,
    labels: r.labels,
    route: r.route,
    period: r.period,
  }));
  return agreementReport(ratings, options);
}
