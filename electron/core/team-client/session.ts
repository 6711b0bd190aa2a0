/**
 * Adapts the team core's session (electron/core/team/api.ts, owned by the `team` branch) to the
 * port the desktop client needs. A thrown error is "unreachable"; every answer of the fencing
 * rules (accepted, refused, expired) comes back as data with its reason in words.
 */
import { connectTeam, type Lease, type SubmitResult, type TeamSession, type TeamVerdictInput } from '../team/api.ts';
import type { ConnectPort, Refusal, TeamLease, TeamPort, TeamVerdict } from './port.ts';

/** The lease message tells whether someone else holds the item now; the UI shows "reassigned". */
const REASSIGNED = /reassign|another|someone else|held by|superseded/i;

function lease(l: Lease): TeamLease {
  return { itemId: l.itemId, token: l.token, route: l.route, record: JSON.stringify(l.item.record), expiresAt: l.expiresAt };
}

function refusal(code: string, message: string): Refusal {
  return { ok: false, code: REASSIGNED.test(message) ? 'reassigned' : code, reason: message };
}

const SKIP_REFUSED: Refusal = { ok: false, code: 'refused', reason: 'a team item cannot be skipped: give it back instead' };

function verdictInput(v: TeamVerdict): TeamVerdictInput {
  const decision = v.decision as TeamVerdictInput['decision'];
  return { decision, labels: v.labels, severity: v.severity, rationale: v.rationale, clientId: v.clientId, correction: v.correction };
}

function outcome(r: SubmitResult): { ok: true } | Refusal {
  if (r.status === 'accepted') return { ok: true };
  if (r.status === 'expired') return { ok: false, code: r.code ?? 'lease_expired', reason: r.message, expired: true };
  return r.code === 'withdrawn' ? { ok: false, code: 'withdrawn', reason: r.message } : refusal('refused', r.message);
}

export function sessionPort(s: TeamSession): TeamPort {
  let unlisten: (() => Promise<void>) | null = null;
  return {
    whoami: () => s.whoami(),
    routeCounts: async () =>
      (await s.routeCounts()).map((r) => ({ route: r.route, waiting: r.claimable, leased: r.leased, open: r.open, reviewsPerItem: r.requiredReviews, leaseSeconds: r.leaseSeconds })),
    // One claim at a time through claim_mixed, so gold items are mixed in at the route's rate
    // (a batch is at most 50 claims, each one round trip).
    claimBatch: async (n) => {
      const out: TeamLease[] = [];
      for (let i = 0; i < n; i++) {
        const l = await s.claimMixed();
        if (!l) break;
        out.push(lease(l));
      }
      return out;
    },
    expert: s.expert,
    heartbeat: async (itemId, token) => {
      const r = await s.heartbeat({ itemId, token });
      if (r.ok && r.expiresAt) return { ok: true, expiresAt: r.expiresAt };
      return r.code === 'withdrawn' ? { ok: false, code: 'withdrawn', reason: r.message } : refusal('lease_lost', r.message);
    },
    submit: async (itemId, token, v) => {
      if (v.decision === 'skip') return SKIP_REFUSED;
      return outcome(await s.submit({ itemId, token }, verdictInput(v)));
    },
    saveAndNext: async (itemId, token, v) => {
      if (v.decision === 'skip') return { outcome: SKIP_REFUSED, next: null };
      const r = await s.saveAndNext({ itemId, token }, verdictInput(v));
      return { outcome: outcome(r.result), next: r.next ? lease(r.next) : null };
    },
    release: async (itemId, token) => {
      await s.release({ itemId, token });
    },
    listen: async (onChange) => {
      unlisten = await s.listen(() => onChange());
    },
    close: async () => {
      await unlisten?.().catch(() => undefined);
      await s.close();
    },
  };
}

export const connectSession: ConnectPort = async (url) => sessionPort(await connectTeam(url, { applicationName: 'verdict-desktop' }));
