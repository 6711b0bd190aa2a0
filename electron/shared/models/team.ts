/**
 * Team mode as the UI sees it (issue 12). Plain types: no Node, no Electron. The password
 * never appears here: the renderer sends it once in `team.connect` and never receives it back.
 */
import type { EscalationRecord } from './record.ts';

/** Where the password of the saved connection is kept. */
export type PasswordKeeping =
  /** Desktop: encrypted with the OS keychain (Electron safeStorage); survives restarts. */
  | 'keychain'
  /** Browser mode: only in the server process's memory, for this session. */
  | 'memory'
  /** Nothing kept: the next connect asks for it. */
  | 'none';

/** One claimed item on this desktop and what became of it. */
export type TeamRowState = 'claimed' | 'pending' | 'accepted' | 'refused' | 'expired' | 'released';

export interface TeamBatchView {
  seq: number;
  /** The team database's item id. */
  itemId: string;
  /** The producer's id for the escalation (the record's `id`). */
  externalId: string;
  route: string;
  /** A one-line preview of the item (plain text, never HTML). */
  snippet: string;
  claimedAt: string;
  expiresAt: string;
  state: TeamRowState;
  /** The decision given here (once decided). */
  decision: string | null;
  /** The corrected reply given with the decision (null: none). */
  correction: string | null;
  decidedAt: string | null;
  /** Why the team database refused or expired it: e.g. 'lease_expired', 'reassigned'. */
  reasonCode: string | null;
  /** The team database's reason for a refusal or an expiry, in words. */
  reason: string | null;
  resolvedAt: string | null;
}

export interface TeamRouteCount {
  route: string;
  /** Items of this route I could claim now (they still need a review from me). */
  waiting: number;
  /** Items of this route leased right now (to anyone). */
  leased: number;
  /** Items not yet decided. */
  open: number;
  /** Reviews per item this route asks for (N). */
  reviewsPerItem: number;
  leaseSeconds: number;
}

export interface TeamStatus {
  /** The saved connection: the URL never carries a password. */
  url: string | null;
  user: string | null;
  passwordKept: PasswordKeeping;
  /** Connected to the team database right now. */
  online: boolean;
  /** The last connection problem, in one line. */
  error: string | null;
  whoami: { user: string; role: string; routes: string[] } | null;
  routes: TeamRouteCount[];
  batch: TeamBatchView[];
  /** The server process's clock, so countdowns do not depend on the browser's. */
  now: string;
}

export interface TeamItemView {
  row: TeamBatchView;
  record: EscalationRecord;
  now: string;
}

export interface TeamChange {
  reason: 'connection' | 'queue' | 'lease' | 'outcome';
  itemId?: string;
}
