/**
 * What the desktop needs from a team database session. `session.ts` adapts the team core's
 * `connectTeam` (electron/core/team/api.ts) to it. A method that throws means the database was
 * not reached (offline); a refusal by the fencing rules is a result, never a throw.
 */
import type { TeamRouteCount } from '../../shared/models/team.ts';
import type { TeamExpertApi } from '../team/api.ts';

export interface TeamLease {
  itemId: string;
  /** The fencing token: a submit is accepted only from the holder of the current one. */
  token: string;
  route: string;
  /** The item's record as JSON text (untrusted). */
  record: string;
  expiresAt: string;
}

/** `expired`: the lease ran out before the submit (the item went back to the queue). */
export type Refusal = { ok: false; code: string; reason: string; expired?: boolean };

export interface TeamPort {
  whoami(): Promise<{ user: string; role: string; routes: string[] }>;
  routeCounts(): Promise<TeamRouteCount[]>;
  claimBatch(count: number): Promise<TeamLease[]>;
  heartbeat(itemId: string, token: string): Promise<{ ok: true; expiresAt: string } | Refusal>;
  submit(itemId: string, token: string, verdict: TeamVerdict): Promise<{ ok: true } | Refusal>;
  /**
   * "Save and next": the verdict (with its correction) and my next lease in one round trip and one
   * transaction (team migration 0009). `next` is null when nothing is left to claim.
   */
  saveAndNext(itemId: string, token: string, verdict: TeamVerdict): Promise<{ outcome: { ok: true } | Refusal; next: TeamLease | null }>;
  release(itemId: string, token: string): Promise<void>;
  /** Calls `onChange` on every queue notification (LISTEN/NOTIFY). */
  listen(onChange: () => void): Promise<void>;
  /** Adjudication, expert pool, hold, reopen and gold (team migration 0007). */
  expert: TeamExpertApi;
  close(): Promise<void>;
}

export interface TeamVerdict {
  decision: 'violation' | 'dismiss' | 'escalate' | 'skip';
  labels: string[];
  severity: string | null;
  correction: string | null;
  rationale: string | null;
  routeTo: string | null;
  /** When the reviewer decided (locally; may be well before the push). */
  decidedAt: string;
  /** This verdict's own id, so a push retried after a lost reply is recognised. */
  clientId: string;
}

export type ConnectPort = (connectionString: string) => Promise<TeamPort>;
