/**
 * Expert review in team mode (issue 13) as the UI sees it: the adjudication screen, the expert
 * pool, the lead's holds, gold accuracy and overturns. Plain types; every rule is the team
 * database's (db/team/migrations/0007_expert_review.ts). Record text is attacker-controlled.
 */
export type TeamVerdictDecision = 'violation' | 'dismiss' | 'escalate';

/** One reviewer's verdict; `reviewer` is "Reviewer N" on a blind route until it is decided. */
export interface TeamSide {
  n: number;
  reviewer: string;
  decision: TeamVerdictDecision;
  labels: string[];
  severity: string | null;
  rationale: string | null;
  decidedAt: string;
}

export interface TeamAdjudication {
  itemId: string;
  externalId: string;
  route: string;
  blind: boolean;
  token: string;
  expiresAt: string;
  /** The record as JSON text (untrusted, shown as text only). */
  record: string;
  sides: TeamSide[];
}

export interface TeamOutcome {
  status: 'accepted' | 'refused' | 'expired';
  message: string;
}

export interface TeamPoolRow {
  escalationId: string;
  itemId: string;
  extId: string;
  fromRoute: string;
  toRoute: string;
  question: string;
  askedAt: string;
  dueAt: string;
  overdue: boolean;
  held: boolean;
}

export interface TeamExpertClaim {
  escalationId: string;
  token: string;
  itemId: string;
  extId: string;
  fromRoute: string;
  toRoute: string;
  question: string;
  firstDecision: 'violation' | 'dismiss';
  firstLabels: string[];
  askedBy: string;
  dueAt: string;
  record: string;
  expiresAt: string;
}

export interface TeamHoldRow {
  holdId: string;
  itemId: string;
  extId: string;
  route: string;
  heldBy: string;
  reason: string;
  reviewBy: string;
  heldAt: string;
  overdue: boolean;
}

export interface TeamHistoryRow {
  at: string;
  kind: string;
  actor: string;
  decision: string | null;
  labels: string[] | null;
  detail: string | null;
}

export interface TeamGoldRow {
  reviewer: string;
  route: string;
  month: string;
  served: number;
  answered: number;
  correct: number;
}

export interface TeamOverturnRow {
  route: string;
  label: string;
  model: string;
  answered: number;
  overturned: number;
}

/** An item as a lead sees it, with the verdict in force (one SQL definition: verdict.in_force). */
export interface TeamLeadItem {
  itemId: string;
  extId: string;
  route: string;
  status: string;
  inForce: string | null;
  inForceKind: string | null;
  gold: boolean;
}

export interface TeamRouteSetting {
  route: string;
  /** Share of claims that serve a gold item (0..1) while one is available. */
  goldRate: number;
  expertSlaSeconds: number;
}

export interface TeamLeadView {
  routes: TeamRouteSetting[];
  holds: TeamHoldRow[];
  gold: TeamGoldRow[];
  overturns: TeamOverturnRow[];
  items: TeamLeadItem[];
  pool: TeamPoolRow[];
}
