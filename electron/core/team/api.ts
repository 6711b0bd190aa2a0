/**
 * The team-mode API: what the app (connect screen, queue, lease countdown, offline batch) and
 * the CLI code against. A TeamSession is one person's connection to a team database; every
 * rule (routes, leases, fencing, exactly-N, blind review) is enforced by PostgreSQL itself
 * (db/team/), so this layer only types and transports it.
 *
 * Stable surface (teamapp codes against it): change only by adding.
 */

import type { TeamAgreementFilter } from './agreement.ts';
import type { AgreementOptions, AgreementReport } from '../agreement/index.ts';
import type {
  AdjudicationClaimRow,
  ConsultNoteRow,
  EscalateArgs,
  ExpertAnswer,
  ExpertClaimRow,
  ExpertPoolRow,
  GoldAccuracyRow,
  HistoryRow,
  HoldRow,
  ItemVerdictRow,
  LeadItemRow,
  RouteSettingRow,
  Outcome,
  OverturnRow,
  VerdictArgs,
} from '../../../db/team/expert.ts';

export type {
  AdjudicationClaimRow,
  ConsultNoteRow,
  EscalateArgs,
  ExpertAnswer,
  ExpertClaimRow,
  ExpertPoolRow,
  GoldAccuracyRow,
  HistoryRow,
  HoldRow,
  ItemVerdictRow,
  LeadItemRow,
  RouteSettingRow,
  Outcome,
  OverturnRow,
  VerdictArgs,
};

export const TEAM_ROLES = ['reviewer', 'expert', 'adjudicator', 'lead', 'data'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export const TEAM_DECISIONS = ['violation', 'dismiss', 'escalate'] as const;
export type TeamDecision = (typeof TEAM_DECISIONS)[number];

/** Who the connection is: the PostgreSQL login role, its Verdict role and the routes it may see. */
export interface TeamIdentity {
  user: string;
  role: TeamRole | 'admin';
  routes: string[];
}

/** Per-route queue figures the connected user may see. */
export interface RouteCount {
  route: string;
  requiredReviews: number;
  leaseSeconds: number;
  blind: boolean;
  /** Items still open (not decided, not waiting for adjudication). */
  open: number;
  /** Open items this user could claim now (needs a review, not by them, a free slot). */
  claimable: number;
  /** Live leases on the route (anyone's). */
  leased: number;
  decided: number;
  adjudication: number;
}

/** The item as claimed: the escalation record exactly as ingested (attacker-controlled text). */
export interface TeamItem {
  id: string;
  externalId: string;
  route: string;
  /** 0 critical … 3 low. */
  priority: number;
  createdAt: string;
  revision: number;
  contentSha256: string;
  record: Record<string, unknown>;
}

/** A claim on one item. `token` is the fencing token (a PostgreSQL bigint, as a decimal string). */
export interface Lease {
  itemId: string;
  route: string;
  token: string;
  /** ISO 8601, server clock. */
  expiresAt: string;
  /** Server time when the lease was issued or last extended: a client computes its clock skew from it. */
  serverNow: string;
  item: TeamItem;
}

export interface TeamVerdictInput {
  decision: TeamDecision;
  labels?: string[];
  severity?: string | null;
  rationale?: string | null;
  /** The client's own id for the verdict, so a retried push after a lost reply is recognised. */
  clientId?: string;
  /**
   * The reviewer's corrected reply (as a local verdict's correction): recorded and audited with
   * the verdict in the same transaction (verdict.correct, team migration 0009).
   */
  correction?: string | null;
}

/**
 * accepted: stored (the reply says whether the item is now decided or waits for adjudication).
 * expired: the lease ran out before the submit (the item went back to the queue; keep the
 *          verdict locally and show it as not accepted).
 * refused: no such lease, not yours, already submitted by you, or superseded (fencing).
 */
export interface SubmitResult {
  status: 'accepted' | 'refused' | 'expired';
  message: string;
  /**
   * With expired: `reassigned` when another reviewer claimed the item after this lease ran out
   * (the verdict can no longer count), else `lease_expired` (the item went back to the queue).
   * With refused: `withdrawn` when someone else escalated or held the item while this lease lived.
   */
  code?: 'lease_expired' | 'reassigned' | 'withdrawn';
  /** With accepted: the item's status after this verdict. */
  itemStatus?: 'open' | 'decided' | 'adjudication';
}

export interface HeartbeatResult {
  ok: boolean;
  /** With ok: the new expiry. */
  expiresAt?: string;
  message: string;
  /** Without ok: `withdrawn` when someone else escalated or held the item (migration 0010). */
  code?: 'withdrawn';
}

/**
 * What a LISTEN/NOTIFY change says: which route moved (re-read routeCounts). Sent by an ingest
 * ('ingested') and by the audit sequencer ('changed': leases, verdicts or statuses of the route
 * changed in the last fraction of a second); itemId is '' for both. Claims and submits do not
 * notify one by one: NOTIFY serializes commits server-wide.
 */
export interface QueueChange {
  route: string;
  itemId: string;
  kind: 'ingested' | 'changed' | 'claimed' | 'released' | 'expired' | 'submitted' | 'decided' | 'adjudication';
}

export interface TeamSession {
  readonly url: string;
  whoami(): Promise<TeamIdentity>;
  routeCounts(): Promise<RouteCount[]>;
  /** The highest-priority, oldest item of my routes that still needs a review from me, or null. */
  claimNext(route?: string): Promise<Lease | null>;
  /** Up to n leases at once (for offline work); all expire with their route's lease time. */
  claimBatch(n: number, route?: string): Promise<Lease[]>;
  heartbeat(lease: Pick<Lease, 'itemId' | 'token'>): Promise<HeartbeatResult>;
  submit(lease: Pick<Lease, 'itemId' | 'token'>, verdict: TeamVerdictInput): Promise<SubmitResult>;
  /**
   * "Save and next": submit, then claim my next item (of `route`, or of all my routes), in one
   * round trip and one transaction. `next` is null when nothing is left to claim.
   */
  submitAndClaimNext(lease: Pick<Lease, 'itemId' | 'token'>, verdict: TeamVerdictInput, route?: string): Promise<{ result: SubmitResult; next: Lease | null }>;
  /**
   * The app's "save and next" (team migration 0009): submit with the verdict's correction, then
   * claim my next item through claim_mixed (gold items keep their rate), in one round trip and
   * one transaction. `next` is null when nothing is left to claim.
   */
  saveAndNext(lease: Pick<Lease, 'itemId' | 'token'>, verdict: TeamVerdictInput, route?: string): Promise<{ result: SubmitResult; next: Lease | null }>;
  /** Gives the item back before the lease runs out. False when the lease was no longer live. */
  release(lease: Pick<Lease, 'itemId' | 'token'>): Promise<boolean>;
  /** Like claimNext, with gold items mixed in at the route's gold rate (indistinguishable). */
  claimMixed(route?: string): Promise<Lease | null>;
  /** Adjudication, expert pool, hold, reopen and gold (migration 0007). */
  readonly expert: TeamExpertApi;
  /** Live queue updates (LISTEN verdict_queue); returns an unsubscribe function. */
  listen(onChange: (change: QueueChange) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** The expert-review calls; every rule is in db/team/migrations/0007_expert_review.ts. */
export interface TeamExpertApi {
  claimAdjudication(route?: string): Promise<AdjudicationClaimRow | null>;
  itemVerdicts(itemId: string): Promise<ItemVerdictRow[]>;
  decideAdjudication(itemId: string, token: string, v: VerdictArgs): Promise<Outcome>;
  escalate(lease: Pick<Lease, 'itemId' | 'token'>, a: EscalateArgs): Promise<string>;
  expertPool(): Promise<ExpertPoolRow[]>;
  claimExpert(route?: string): Promise<ExpertClaimRow | null>;
  answerExpert(escalationId: string, token: string, a: ExpertAnswer): Promise<Outcome & { overturned: boolean | null }>;
  consultNotes(itemId: string): Promise<ConsultNoteRow[]>;
  overturns(): Promise<OverturnRow[]>;
  hold(itemId: string, token: string | null, reason: string, reviewBy: string): Promise<string>;
  releaseHold(itemId: string): Promise<string>;
  holds(): Promise<HoldRow[]>;
  reopen(itemId: string, reason: string): Promise<void>;
  history(itemId: string): Promise<HistoryRow[]>;
  markGold(itemId: string, decision: TeamDecision, labels: string[]): Promise<void>;
  goldAccuracy(): Promise<GoldAccuracyRow[]>;
  setRoute(route: string, goldRate: number | null, slaSeconds: number | null): Promise<void>;
  leadItems(limit: number): Promise<LeadItemRow[]>;
  routeSettings(): Promise<RouteSettingRow[]>;
  /** Agreement statistics over the team's reviewer verdicts (leads and data roles; migration 0010). */
  agreement(filter: TeamAgreementFilter, options?: AgreementOptions): Promise<AgreementReport>;
}

export interface ConnectOptions {
  /** Overrides the password in the URL (the app passes the one from the keychain). */
  password?: string;
  /** Pool size (default 2: one for calls, one spare; LISTEN takes its own connection). */
  max?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
  /**
   * How long a call waits for the server's answer before it fails as unreachable (default 3 s;
   * every queue call takes milliseconds). Without it a silently dropped network (no reset: a
   * pulled cable, a lost Wi-Fi) leaves a call waiting on TCP retransmission for minutes.
   */
  callTimeoutMs?: number;
  /** How long opening a new connection may take (default 3 s). */
  connectTimeoutMs?: number;
}

export { connectTeam } from './session.ts';
