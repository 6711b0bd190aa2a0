/**
 * What an adjudicator, a lead or a reviewer does to an item besides deciding it: hold (with a
 * reason and a review-by time), release, reopen (with a reason), mark gold (the known-correct
 * verdict), add a consult note, reveal masked content. Each is one transaction: the
 * item_actions row, its audit event and the item's new status; reasons and notes enter the log
 * by SHA-256 only, as rationales do. audit/replay.ts compares each row with its event.
 */
import { insertItemAction, latestAction, type ActionKind, type ItemActionRow } from '../../../db/queries/item-actions.ts';
import { ReviewStatements, type ReviewItem } from '../../../db/queries/review.ts';
import type { ItemStatus } from '../../../db/queries/items.ts';
import { canonicalJson, sha256Hex } from '../audit/canonical.ts';
import { UserError } from '../util/errors.ts';
import { newId, nowIso } from '../util/ids.ts';
import { loneSurrogateError, loneSurrogatePath } from '../util/text.ts';
import type { Workspace } from '../workspace/open.ts';
import { writeTransaction } from '../workspace/write-lock.ts';
import type { GoldVerdict } from '../../shared/models/expert.ts';
export type { GoldVerdict };

/** The audit event type of each action. */
export const ACTION_EVENTS: Record<ActionKind, string> = {
  hold: 'item.held',
  release: 'item.released',
  reopen: 'item.reopened',
  gold: 'item.gold',
  consult: 'item.consulted',
  reveal: 'item.revealed',
};


export class ItemActions {
  private readonly stmts;

  constructor(private readonly ws: Workspace) {
    this.stmts = new ReviewStatements(ws.sqlite);
  }

  private item(itemId: string): ReviewItem {
    const row = this.stmts.item(itemId);
    if (!row) throw new UserError(`no item ${itemId}`, 'not_found');
    return row;
  }

  /** Writes the row, its event and the status change (when `to` differs) in the caller's transaction. */
  private record(
    item: ReviewItem,
    kind: ActionKind,
    actor: string,
    fields: { reason?: string | null; dueAt?: string | null; data?: Record<string, unknown>; to?: ItemStatus },
  ): ItemActionRow {
    const lone = loneSurrogatePath({ reason: fields.reason, actor });
    if (lone) throw new UserError(loneSurrogateError(lone), 'invalid_text');
    const at = nowIso();
    const data = fields.data ?? {};
    const row: Omit<ItemActionRow, 'seq'> = {
      id: newId(),
      itemSeq: item.seq,
      kind,
      reason: fields.reason ?? null,
      dueAt: fields.dueAt ?? null,
      data: canonicalJson(data),
      actor,
      at,
      auditSeq: this.ws.audit.head().size,
    };
    const seq = insertItemAction(this.ws.sqlite, row);
    const to = fields.to && fields.to !== item.status ? fields.to : null;
    const event = this.ws.audit.append(
      ACTION_EVENTS[kind],
      {
        action_id: row.id,
        item_id: item.id,
        kind,
        reason_sha256: row.reason == null ? null : sha256Hex(row.reason),
        due_at: row.dueAt,
        data,
        status: to ? { from: item.status, to } : null,
      },
      { actor, subject: item.id, at },
    );
    if (event.seq !== row.auditSeq) throw new Error(`audit seq ${event.seq} differs from the predicted ${row.auditSeq}`);
    if (to) this.stmts.setStatus(item.seq, to);
    return { ...row, seq };
  }

  private tx<T>(fn: () => T): T {
    return writeTransaction(this.ws.sqlite, this.ws.path, fn);
  }

  hold(itemId: string, reason: string, reviewBy: string, actor: string): ItemActionRow {
    if (!reason.trim()) throw new UserError('a hold needs a reason');
    if (Number.isNaN(Date.parse(reviewBy))) throw new UserError('a hold needs a review-by time (an ISO date-time)');
    return this.tx(() => {
      const item = this.item(itemId);
      if (item.status === 'on_hold') throw new UserError('this item is already on hold; release it first', 'conflict');
      return this.record(item, 'hold', actor, { reason, dueAt: new Date(reviewBy).toISOString(), data: { from: item.status }, to: 'on_hold' });
    });
  }

  /** Ends a hold: the item returns to the status it had when it was held. */
  release(itemId: string, actor: string, reason?: string): ItemActionRow {
    return this.tx(() => {
      const item = this.item(itemId);
      if (item.status !== 'on_hold') throw new UserError('this item is not on hold', 'conflict');
      const hold = latestAction(this.ws.sqlite, item.seq, 'hold');
      const from = hold ? (JSON.parse(hold.data) as { from?: ItemStatus }).from : undefined;
      return this.record(item, 'release', actor, { reason: reason ?? null, to: from ?? 'in_review' });
    });
  }

  /** A decided item goes back to review; the verdict in force stays until a new decision. */
  reopen(itemId: string, reason: string, actor: string): ItemActionRow {
    if (!reason.trim()) throw new UserError('a reopen needs a reason: the history shows why the decision changed');
    return this.tx(() => {
      const item = this.item(itemId);
      if (item.status !== 'decided' && item.status !== 'escalated')
        throw new UserError(`only a decided or escalated item can be reopened; this one is ${item.status.replace('_', ' ')}`, 'conflict');
      return this.record(item, 'reopen', actor, { reason, to: 'in_review' });
    });
  }

  /** Marks (or with `null`, unmarks) the item's known-correct verdict. */
  gold(itemId: string, verdict: GoldVerdict | null, actor: string): ItemActionRow {
    return this.tx(() => {
      const item = this.item(itemId);
      const data = verdict ? { decision: verdict.decision, labels: [...new Set(verdict.labels)].sort() } : {};
      return this.record(item, 'gold', actor, { data });
    });
  }

  consult(itemId: string, note: string, actor: string): ItemActionRow {
    if (!note.trim()) throw new UserError('a consult note cannot be empty');
    return this.tx(() => this.record(this.item(itemId), 'consult', actor, { reason: note }));
  }

  /** Recorded, never refused: the reviewer decides when to look. */
  reveal(itemId: string, actor: string, why: string): ItemActionRow {
    return this.tx(() => this.record(this.item(itemId), 'reveal', actor, { data: { masked_by: why } }));
  }
}
