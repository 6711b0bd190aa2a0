/**
 * Replays the team audit log and compares it with the tables, as the local replay does: every
 * lease, verdict and status must follow from an event, and the events must obey the rules
 * (never more than N holders and verdicts on an item, never the same reviewer twice, a verdict
 * only on its holder's live, unexpired lease, the status the verdicts imply).
 */
import type { TeamItemState, TeamLeaseState, TeamVerdictState } from '../../../db/team/audit.ts';
import type { ExpertSnapshot } from '../../../db/team/expert.ts';
import { EXPERT_EVENTS, ExpertReplay } from './replay-expert.ts';
import { RevisionReplay } from './replay-revisions.ts';
import type { CorrectionRow, RevisionRow } from '../../../db/team/revisions.ts';

export interface TeamEvent {
  type: string;
  at: string;
  actor: string;
  subject: string | null;
  data: Record<string, unknown>;
}

interface ItemReplay {
  route: string;
  status: string;
  n: number;
  revision: number;
  sha: string;
  live: Map<string, { reviewer: string; expiresAt: string }>;
  verdicts: Map<string, string>;
  goldCopy?: boolean;
}

interface LeaseReplay {
  itemId: string;
  reviewer: string;
  state: string;
  expiresAt: string;
}

type VerdictReplay = Omit<TeamVerdictState, 'id'>;

/** An item's status change (an 'item.status' event or a verdict's item_status): what its verdicts imply. */
function statusChange(it: ItemReplay, id: string, from: string, to: string, where: string): string | null {
  if (it.status !== from) return `${where}: item ${id} status from ${from} but it was ${it.status}`;
  const decisions = [...it.verdicts.values()];
  if (decisions.length < it.n) return `${where}: item ${id} became ${to} with ${decisions.length} of ${it.n} verdicts`;
  const want = decisions.every((x) => x === decisions[0]) ? 'decided' : 'adjudication';
  if (to !== want) return `${where}: item ${id} became ${to}; its verdicts make it ${want}`;
  it.status = want;
  return null;
}

export class TeamReplay {
  private items = new Map<string, ItemReplay>();
  private leases = new Map<string, LeaseReplay>();
  private verdicts = new Map<string, VerdictReplay>();
  private expert = new ExpertReplay();
  private revisions = new RevisionReplay();
  /** The largest number of simultaneous holders seen on one N = 1 item (1 when all is well). */
  events = 0;

  /** Applies one event; returns the reason when it breaks a rule. */
  apply(e: TeamEvent, where: string): string | null {
    this.events++;
    const d = e.data;
    const s = (k: string) => String(d[k]);
    const id = e.subject ?? '';
    this.revisions.observe(e.type, id, d);
    if (e.type === 'verdict.corrected') return this.revisions.correct(id, d, e.actor, this.verdicts.get(s('verdict')), where);
    if (EXPERT_EVENTS.has(e.type)) return this.expert.apply(e, id, where, this.items, this.leases);
    switch (e.type) {
      // An export reads; it changes nothing the replay tracks (its files are checked by export verify).
      case 'route.set':
      case 'member.set':
      case 'export.created':
        return null;
      case 'item.ingested':
        if (this.items.has(id)) return `${where}: item ${id} ingested twice`;
        this.items.set(id, { route: s('route'), status: 'open', n: Number(d.required_reviews), revision: 1, sha: s('content_sha256'), live: new Map(), verdicts: new Map() });
        return null;
      case 'item.revised': {
        const it = this.items.get(id);
        if (!it) return `${where}: revision of unknown item ${id}`;
        it.revision = Number(d.revision);
        it.sha = s('content_sha256');
        return null;
      }
      case 'lease.claimed': {
        const it = this.items.get(id);
        if (!it) return `${where}: lease on unknown item ${id}`;
        const token = s('token');
        const reviewer = s('reviewer');
        if (this.leases.has(token)) return `${where}: fencing token ${token} issued twice`;
        if (it.status !== 'open') return `${where}: item ${id} leased while ${it.status}`;
        if (it.verdicts.has(reviewer)) return `${where}: item ${id} leased to ${reviewer}, who already reviewed it`;
        for (const l of it.live.values()) if (l.reviewer === reviewer) return `${where}: ${reviewer} holds two leases on item ${id}`;
        if (it.live.size + it.verdicts.size >= it.n)
          return `${where}: item ${id} leased to ${reviewer} while ${it.live.size} lease(s) and ${it.verdicts.size} verdict(s) already filled its ${it.n} review(s)`;
        it.live.set(token, { reviewer, expiresAt: s('expires_at') });
        this.leases.set(token, { itemId: id, reviewer, state: 'live', expiresAt: s('expires_at') });
        return null;
      }
      case 'lease.extended':
      case 'lease.expired':
      case 'lease.released': {
        const token = s('token');
        const l = this.leases.get(token);
        const it = this.items.get(id);
        if (!l || !it || l.itemId !== id || l.state !== 'live') return `${where}: ${e.type} for lease ${token} on item ${id}, which is not live`;
        if (e.type === 'lease.extended') {
          l.expiresAt = s('expires_at');
          it.live.get(token)!.expiresAt = l.expiresAt;
        } else {
          l.state = e.type === 'lease.expired' ? 'expired' : 'released';
          it.live.delete(token);
        }
        return null;
      }
      case 'verdict.submitted': {
        const token = s('token');
        const l = this.leases.get(token);
        const it = this.items.get(id);
        if (!l || !it || l.itemId !== id || l.state !== 'live') return `${where}: verdict on item ${id} without a live lease ${token}`;
        if (l.reviewer !== s('reviewer')) return `${where}: verdict on item ${id} by ${s('reviewer')} on ${l.reviewer}'s lease`;
        if (s('decided_at') > l.expiresAt) return `${where}: verdict on item ${id} accepted after its lease expired (${l.expiresAt})`;
        l.state = 'submitted';
        it.live.delete(token);
        it.verdicts.set(l.reviewer, s('decision'));
        this.verdicts.set(s('id'), {
          itemId: id,
          reviewer: l.reviewer,
          token,
          decision: s('decision'),
          labels: d.labels,
          severity: (d.severity ?? null) as string | null,
          rationale: (d.rationale ?? null) as string | null,
          clientId: (d.client_id ?? null) as string | null,
          revision: Number(d.revision),
          decidedAt: s('decided_at'),
        });
        // Since team migration 0008 the verdict that completes the reviews carries the status change.
        const change = d.item_status as { from?: unknown; to?: unknown } | undefined;
        return change === undefined ? null : statusChange(it, id, String(change.from), String(change.to), where);
      }
      case 'item.status': {
        const it = this.items.get(id);
        if (!it) return `${where}: status of unknown item ${id}`;
        return statusChange(it, id, s('from'), s('to'), where);
      }
      default:
        return `${where}: unknown event type ${e.type}`;
    }
  }

  /** Compares the replayed state with the tables; the first difference, or null. */
  compare(items: TeamItemState[], leases: TeamLeaseState[], verdicts: TeamVerdictState[]): string | null {
    if (items.length !== this.items.size) return `the items table has ${items.length} rows; the log made ${this.items.size}`;
    for (const row of items) {
      const it = this.items.get(row.id);
      if (!it) return `item ${row.id} has no ingest event`;
      if (row.recordSha256 !== row.contentSha256) return `item ${row.id}: its record was edited (content hash mismatch)`;
      if (row.contentSha256 !== it.sha || row.revision !== it.revision) return `item ${row.id}: record or revision differs from the log`;
      if (row.status !== it.status) return `item ${row.id}: status ${row.status} in the table, ${it.status} by the log`;
      if (row.requiredReviews !== it.n || row.route !== it.route) return `item ${row.id}: route or required reviews differ from the log`;
      // A gold copy's only slot is its served reviewer's, and it never comes back (migration 0010).
      const slots = it.goldCopy ? 0 : it.n - it.live.size - it.verdicts.size;
      if (row.openSlots !== slots) return `item ${row.id}: ${row.openSlots} open slots in the table, ${slots} by the log`;
      if (it.status === 'open' && it.verdicts.size >= it.n) return `item ${row.id}: ${it.verdicts.size} verdicts but still open`;
    }
    if (leases.length !== this.leases.size) return `the leases table has ${leases.length} rows; the log made ${this.leases.size}`;
    for (const row of leases) {
      const l = this.leases.get(row.token);
      if (!l) return `lease ${row.token} has no claim event`;
      if (l.itemId !== row.itemId || l.reviewer !== row.reviewer || l.state !== row.state || l.expiresAt !== row.expiresAt)
        return `lease ${row.token} differs from the log (item, holder, state or expiry)`;
    }
    if (verdicts.length !== this.verdicts.size) return `the verdicts table has ${verdicts.length} rows; the log made ${this.verdicts.size}`;
    for (const row of verdicts) {
      const v = this.verdicts.get(row.id);
      if (!v) return `verdict ${row.id} has no audit event`;
      const same =
        v.itemId === row.itemId &&
        v.reviewer === row.reviewer &&
        v.token === row.token &&
        v.decision === row.decision &&
        JSON.stringify(v.labels) === JSON.stringify(row.labels) &&
        v.severity === row.severity &&
        v.rationale === row.rationale &&
        v.clientId === row.clientId &&
        v.revision === row.revision &&
        v.decidedAt === row.decidedAt;
      if (!same) return `verdict ${row.id} on item ${row.itemId} differs from its audit event (edited without an event)`;
    }
    return null;
  }

  /** Compares the kept revision texts and the corrections (team migration 0009) with the log. */
  compareRevisions(t: { revisions: RevisionRow[]; corrections: CorrectionRow[] }): string | null {
    return this.revisions.compare(t);
  }

  /** Compares the expert-review tables (adjudication, escalations, holds, gold) with the log. */
  compareExpert(t: ExpertSnapshot): string | null {
    return this.expert.compare(t);
  }
}
