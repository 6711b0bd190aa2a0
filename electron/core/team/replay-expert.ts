/**
 * The expert-review part of the team replay (migration 0007): adjudication leases and decisions,
 * escalations with their expert leases and answers, holds, reopens and gold. Each event must
 * follow the rules (status moves only from what it was, a decision only on its holder's live
 * lease), and compare() proves the tables hold nothing the log does not.
 */
import type { ExpertSnapshot } from '../../../db/team/expert.ts';

/** What the expert replay needs of the main replay's per-item state. */
export interface ReplayItem {
  status: string;
  live: Map<string, { reviewer: string; expiresAt: string }>;
  /** A gold copy: its one slot is the served reviewer's, never given back (migrations 0007, 0010). */
  goldCopy?: boolean;
}

export interface ReplayLease {
  itemId: string;
  reviewer: string;
  state: string;
  expiresAt: string;
}

interface Event {
  type: string;
  actor: string;
  data: Record<string, unknown>;
}

type Row<K extends keyof ExpertSnapshot> = ExpertSnapshot[K][number];

const sameLabels = (a: unknown, b: unknown) =>
  JSON.stringify([...((a as string[] | null) ?? [])].sort()) === JSON.stringify([...((b as string[] | null) ?? [])].sort());

export const EXPERT_EVENTS = new Set([
  'route.expert',
  'adjudication.claimed',
  'adjudication.expired',
  'adjudication.decided',
  'item.escalated',
  'expert.claimed',
  'expert.expired',
  'expert.answered',
  'item.held',
  'item.hold_released',
  'item.reopened',
  'gold.marked',
  'gold.served',
  'lease.withdrawn',
  'gold.copy_closed',
]);

export class ExpertReplay {
  private adjLeases = new Map<string, Row<'adjudicationLeases'>>();
  private adjudications = new Map<string, Omit<Row<'adjudications'>, 'id'>>();
  private escalations = new Map<string, Row<'escalations'> & { firstDecision: string; firstLabels: unknown }>();
  private holds = new Map<string, Row<'holds'>>();
  private gold = new Map<string, Row<'gold'>>();
  private serves = new Map<string, Row<'serves'>>();

  apply(e: Event, id: string, where: string, items: Map<string, ReplayItem>, leases: Map<string, ReplayLease>): string | null {
    const d = e.data;
    const s = (k: string) => String(d[k]);
    const it = items.get(id);
    if (e.type === 'route.expert') return null;
    if (!it) return `${where}: ${e.type} on unknown item ${id}`;
    const move = (): string | null => {
      if (it.status !== s('from')) return `${where}: ${e.type} moves item ${id} from ${s('from')} but it was ${it.status}`;
      it.status = s('to');
      return null;
    };
    const endLease = (): string | null => {
      if (d.token === null || d.token === undefined) return e.actor && e.type === 'item.held' ? null : `${where}: ${e.type} without a lease`;
      const l = leases.get(s('token'));
      if (!l || l.itemId !== id || l.state !== 'live' || l.reviewer !== e.actor) return `${where}: ${e.type} on item ${id} without ${e.actor}'s live lease ${s('token')}`;
      l.state = 'released';
      it.live.delete(s('token'));
      return null;
    };
    switch (e.type) {
      case 'adjudication.claimed':
      case 'adjudication.expired':
      case 'adjudication.decided':
        return this.adjudication(e, id, where, it, move);
      case 'item.escalated': {
        if (s('from') !== 'open' || s('to') !== 'expert') return `${where}: escalation moves item ${id} ${s('from')} -> ${s('to')}`;
        const bad = endLease() ?? move();
        if (bad) return bad;
        this.escalations.set(s('escalation'), {
          id: s('escalation'), itemId: id, toRoute: s('to_route'), state: 'waiting', holder: null, token: null,
          answerKind: null, decision: null, labels: null, note: null, overturned: null,
          firstDecision: s('first_decision'), firstLabels: d.first_labels,
        });
        return null;
      }
      case 'expert.claimed':
      case 'expert.expired':
      case 'expert.answered':
        return this.expert(e, id, where, move);
      case 'item.held': {
        if (!['open', 'adjudication'].includes(s('from')) || s('to') !== 'on_hold') return `${where}: hold moves item ${id} ${s('from')} -> ${s('to')}`;
        const bad = endLease() ?? move();
        if (bad) return bad;
        this.holds.set(s('hold'), { id: s('hold'), itemId: id, reason: s('reason'), reviewBy: s('review_by'), released: false });
        return null;
      }
      case 'item.hold_released': {
        const h = this.holds.get(s('hold'));
        if (!h || h.itemId !== id || h.released) return `${where}: release of hold ${s('hold')}, which is not open`;
        h.released = true;
        return move();
      }
      case 'item.reopened':
        if (s('from') !== 'decided' || s('to') !== 'adjudication') return `${where}: reopen moves item ${id} ${s('from')} -> ${s('to')}`;
        return move();
      case 'gold.marked':
        if (it.status !== 'decided' || it.goldCopy) return `${where}: item ${id} marked gold while ${it.status}`;
        this.gold.set(id, { itemId: id, decision: s('decision'), labels: d.labels });
        return null;
      case 'lease.withdrawn': {
        // Migration 0010: an escalation or hold ends every other reviewer's live lease on the item.
        const l = leases.get(s('token'));
        const want = s('because') === 'item.escalated' ? 'expert' : s('because') === 'item.held' ? 'on_hold' : null;
        if (!l || l.itemId !== id || l.state !== 'live' || l.reviewer !== s('reviewer')) return `${where}: lease ${s('token')} withdrawn on item ${id}, but it is not ${s('reviewer')}'s live lease there`;
        if (!want || it.status !== want) return `${where}: lease ${s('token')} withdrawn because of ${s('because')} while item ${id} is ${it.status}`;
        l.state = 'released';
        it.live.delete(s('token'));
        return null;
      }
      case 'gold.copy_closed':
        // Migration 0010 closed the slot an expired copy lease had given back (before the fix).
        return it.goldCopy ? null : `${where}: item ${id} closed as a gold copy, but it is not one`;
      case 'gold.served':
        if (!this.gold.has(s('gold'))) return `${where}: copy ${id} served from ${s('gold')}, which is not gold`;
        it.goldCopy = true;
        this.serves.set(id, { copyItemId: id, goldItemId: s('gold'), reviewer: s('reviewer') });
        return null;
      default:
        return `${where}: unknown event type ${e.type}`;
    }
  }

  /** The adjudication events: one live adjudication lease per item, a decision only under it. */
  private adjudication(e: Event, id: string, where: string, it: ReplayItem, move: () => string | null): string | null {
    const d = e.data;
    const s = (k: string) => String(d[k]);
    switch (e.type) {
      case 'adjudication.claimed': {
        if (it.status !== 'adjudication') return `${where}: adjudication lease on item ${id} while ${it.status}`;
        for (const l of this.adjLeases.values()) if (l.itemId === id && l.state === 'live') return `${where}: two live adjudication leases on item ${id}`;
        this.adjLeases.set(s('token'), { token: s('token'), itemId: id, adjudicator: s('adjudicator'), state: 'live', expiresAt: s('expires_at') });
        return null;
      }
      case 'adjudication.expired': {
        const l = this.adjLeases.get(s('token'));
        if (!l || l.state !== 'live') return `${where}: adjudication lease ${s('token')} expired but was not live`;
        l.state = 'expired';
        return null;
      }
      case 'adjudication.decided': {
        const l = this.adjLeases.get(s('token'));
        if (!l || l.itemId !== id || l.state !== 'live' || l.adjudicator !== s('adjudicator')) return `${where}: adjudication of item ${id} without a live lease ${s('token')}`;
        if (s('decided_at') > l.expiresAt) return `${where}: adjudication of item ${id} after its lease expired`;
        if (s('from') !== 'adjudication' || s('to') !== 'decided') return `${where}: adjudication moves item ${id} ${s('from')} -> ${s('to')}`;
        l.state = 'decided';
        this.adjudications.set(s('id'), {
          itemId: id,
          adjudicator: s('adjudicator'),
          token: s('token'),
          decision: s('decision'),
          labels: d.labels,
          severity: (d.severity ?? null) as string | null,
          rationale: (d.rationale ?? null) as string | null,
          decidedAt: s('decided_at'),
        });
        return move();
      }
      default:
        return `${where}: unknown event type ${e.type}`;
    }
  }

  /** An expert's lease on an escalation and the answer given under it (with the overturn it implies). */
  private expert(e: Event, id: string, where: string, move: () => string | null): string | null {
    const d = e.data;
    const s = (k: string) => String(d[k]);
    switch (e.type) {
      case 'expert.claimed':
      case 'expert.expired': {
        const x = this.escalations.get(s('escalation'));
        if (!x || x.itemId !== id || x.state !== 'waiting') return `${where}: ${e.type} on escalation ${s('escalation')}, which is not waiting`;
        if (e.type === 'expert.expired') {
          if (x.token !== s('token')) return `${where}: expert lease ${s('token')} expired but escalation ${x.id} is held by ${x.token}`;
          x.holder = null;
          return null;
        }
        x.holder = s('expert');
        x.token = s('token');
        return null;
      }
      case 'expert.answered': {
        const x = this.escalations.get(s('escalation'));
        if (!x || x.itemId !== id || x.state !== 'waiting' || x.holder !== s('expert') || x.token !== s('token'))
          return `${where}: answer to escalation ${s('escalation')} without ${s('expert')}'s lease ${s('token')}`;
        const verdict = s('kind') === 'verdict';
        if (s('to') !== (verdict ? 'decided' : 'open')) return `${where}: an expert ${s('kind')} moves item ${id} to ${s('to')}`;
        const over = verdict ? s('decision') !== x.firstDecision || !sameLabels(d.labels, x.firstLabels) : null;
        if ((d.overturned ?? null) !== over) return `${where}: escalation ${x.id} recorded overturned=${String(d.overturned)}; the verdicts say ${String(over)}`;
        Object.assign(x, {
          state: 'answered',
          answerKind: s('kind'),
          decision: (d.decision ?? null) as string | null,
          labels: d.labels ?? null,
          note: (d.note ?? null) as string | null,
          overturned: over,
        });
        return move();
      }
      default:
        return `${where}: unknown event type ${e.type}`;
    }
  }

  /** The first row of the expert tables that differs from the log, or null. */
  compare(t: ExpertSnapshot): string | null {
    const count = (name: string, rows: unknown[], m: Map<string, unknown>) =>
      rows.length === m.size ? null : `the ${name} table has ${rows.length} rows; the log made ${m.size}`;
    const bad =
      count('adjudications', t.adjudications, this.adjudications) ??
      count('adjudication_leases', t.adjudicationLeases, this.adjLeases) ??
      count('escalations', t.escalations, this.escalations) ??
      count('holds', t.holds, this.holds) ??
      count('gold_items', t.gold, this.gold) ??
      count('gold_serves', t.serves, this.serves);
    if (bad) return bad;
    for (const r of t.adjudications) {
      const a = this.adjudications.get(r.id);
      const same = a && a.itemId === r.itemId && a.adjudicator === r.adjudicator && a.token === r.token && a.decision === r.decision &&
        JSON.stringify(a.labels) === JSON.stringify(r.labels) && a.severity === r.severity && a.rationale === r.rationale && a.decidedAt === r.decidedAt;
      if (!same) return `adjudication ${r.id} on item ${r.itemId} differs from its audit event (edited without an event)`;
    }
    for (const r of t.adjudicationLeases) {
      const l = this.adjLeases.get(r.token);
      if (!l || l.itemId !== r.itemId || l.adjudicator !== r.adjudicator || l.state !== r.state || l.expiresAt !== r.expiresAt)
        return `adjudication lease ${r.token} differs from the log`;
    }
    for (const r of t.escalations) {
      const x = this.escalations.get(r.id);
      const same = x && x.itemId === r.itemId && x.toRoute === r.toRoute && x.state === r.state && x.answerKind === r.answerKind &&
        x.decision === r.decision && sameLabels(x.labels, r.labels) && x.note === r.note && x.overturned === r.overturned &&
        (x.state === 'answered' || (x.holder === r.holder && x.token === r.token));
      if (!same) return `escalation ${r.id} on item ${r.itemId} differs from the log (answer, overturn or holder edited without an event)`;
    }
    for (const r of t.holds) {
      const h = this.holds.get(r.id);
      if (!h || h.itemId !== r.itemId || h.reason !== r.reason || h.reviewBy !== r.reviewBy || h.released !== r.released) return `hold ${r.id} differs from the log`;
    }
    for (const r of t.gold) {
      const g = this.gold.get(r.itemId);
      if (!g || g.decision !== r.decision || !sameLabels(g.labels, r.labels)) return `gold item ${r.itemId}: its known verdict differs from the log`;
    }
    for (const r of t.serves) {
      const v = this.serves.get(r.copyItemId);
      if (!v || v.goldItemId !== r.goldItemId || v.reviewer !== r.reviewer) return `gold copy ${r.copyItemId} differs from the log`;
    }
    return null;
  }
}
