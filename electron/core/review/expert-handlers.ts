/**
 * The expert-review calls of the contract (issue 13), over a local workspace: agreement,
 * adjudication, hold, reopen, gold, consult and masked-content reveals.
 */
import { adjudicationQueue, disputedCount, needsAdjudication, nextDisputed, queuePosition } from '../../../db/queries/adjudication.ts';
import { ratingPatterns, type RatingFilter } from '../../../db/queries/agreement.ts';
import { findItemSeq, getItem } from '../../../db/queries/items.ts';
import { actionsForItem, exposureByReviewer, exposureCount, goldAccuracy, goldItems, holds, latestAction, type ItemActionRow } from '../../../db/queries/item-actions.ts';
import { verdictsForItem, type HistoryVerdict } from '../../../db/queries/verdicts.ts';
import { agreementReport, type AgreementReport } from '../agreement/index.ts';
import type { EscalationRecord } from '../record/schema.ts';
import { UserError } from '../util/errors.ts';
import { nowIso } from '../util/ids.ts';
import type { Workspace } from '../workspace/open.ts';
import { ItemActions, type GoldVerdict } from './actions.ts';
import { expertSettingsSchema, type ExpertSettings } from '../../shared/expert-settings.ts';
import { blindGold } from './gold-mix.ts';
import { overturnsByModel } from '../metrics/overturns.ts';
import { EXPERT_SETTINGS_KEY, expertSettings, maskReasonOf, withMask } from './masking.ts';
import type { ReviewService, VerdictInput } from './verdicts.ts';
import type { AdjudicationSide, AdjudicationView, WellbeingView } from '../../shared/models/expert.ts';
export type { AdjudicationSide, AdjudicationView, WellbeingView };





function seqOf(ws: Workspace, itemId: string): number {
  const seq = findItemSeq(ws.sqlite, itemId);
  if (seq === undefined) throw new UserError(`no item ${itemId}`, 'not_found');
  return seq;
}

function recordOf(ws: Workspace, itemId: string) {
  const seq = findItemSeq(ws.sqlite, itemId);
  const item = seq === undefined ? undefined : getItem<EscalationRecord>(ws.sqlite, seq);
  if (!item || seq === undefined) throw new UserError(`no item ${itemId}`, 'not_found');
  const record = item.revisions.find((r) => r.revision === item.revision)?.record;
  return { seq, item, record };
}

/** A side of the conversation as the reviewers read it: each message's text (with its role when `roles`). */
function messagesText(v: unknown, roles: boolean): string {
  const messages = (v as { messages?: { role?: string; content?: unknown }[] } | null)?.messages;
  if (!Array.isArray(messages)) return typeof v === 'string' ? v : v == null ? '' : JSON.stringify(v, null, 2);
  return messages
    .map((m) => {
      const content = typeof m.content === 'string' ? m.content : JSON.stringify(m.content);
      return roles ? `${m.role ?? 'message'}: ${content}` : content;
    })
    .join('\n\n');
}

export function expertHandlers(
  ws: Workspace,
  review: ReviewService,
  reviewer: () => string,
  putSetting: (key: string, value: string) => void,
) {
  const actions = new ItemActions(ws);
  const settings = (): ExpertSettings => expertSettings(ws);
  const masked = (seq: number): string | null => maskReasonOf(ws, seq);

  const view = (itemId: string): AdjudicationView => {
    const { seq, item, record } = recordOf(ws, itemId);
    const all = verdictsForItem(ws.sqlite, seq);
    // An amended adjudication is still the adjudicator's decision, not another reviewer's side.
    const adjudication = [...all].reverse().find((v) => v.adjudicates && v.inForce) ?? null;
    // One column per reviewer: their standing decision (the newest that still stands and is not a skip or undo).
    const standing = new Map<string, HistoryVerdict>();
    const superseded = new Set(all.filter((v) => v.supersedes).map((v) => v.supersedes));
    for (const v of all)
      if (['verdict', 'amendment', 'import'].includes(v.kind) && !v.adjudicates && v.decision !== 'skip' && !superseded.has(v.id)) standing.set(v.reviewer, v);
    const blind = settings().blindRoutes.includes(item.route) && !adjudication;
    const sides = [...standing.values()].map((v, i) => {
      const { reviewer: name, ...rest } = v;
      return { reviewer: blind ? `Reviewer ${String.fromCharCode(65 + i)}` : name, verdict: rest };
    });
    return {
      itemId: item.id,
      route: item.route,
      status: item.status,
      needsAdjudication: needsAdjudication(ws.sqlite, seq),
      blind,
      // The same text the review screen diffs a correction against (renderer/verdict/VerdictPane.tsx).
      original: messagesText(record?.output, false),
      input: messagesText(record?.input, true),
      sides,
      adjudication,
      masked: masked(seq),
      disputed: disputedCount(ws.sqlite),
    };
  };

  return {
    'agreement.report': (input: RatingFilter & { resamples?: number; seed?: number }): AgreementReport => {
      return agreementReport(ratingPatterns(ws.sqlite, input), { resamples: input.resamples, seed: input.seed });
    },
    'adjudication.queue': ({ limit }: { limit: number }) => ({
      // A masked item's snippet stays masked in the list too.
      rows: withMask(ws, adjudicationQueue(ws.sqlite, limit)),
      disputed: disputedCount(ws.sqlite),
    }),
    'adjudication.next': ({ afterItemId }: { afterItemId?: string }): { itemId: string | null } => {
      const after = afterItemId ? queuePosition(ws.sqlite, afterItemId) : undefined;
      return { itemId: nextDisputed(ws.sqlite, after) ?? (after ? (nextDisputed(ws.sqlite) ?? null) : null) };
    },
    'adjudication.get': ({ itemId }: { itemId: string }): AdjudicationView => view(itemId),
    'adjudication.decide': (input: Omit<VerdictInput, 'reviewer'>): AdjudicationView => {
      review.adjudicate({ ...input, reviewer: reviewer() });
      return view(input.itemId);
    },
    'item.hold': ({ itemId, reason, reviewBy }: { itemId: string; reason: string; reviewBy: string }): ItemActionRow => actions.hold(itemId, reason, reviewBy, reviewer()),
    'item.release': ({ itemId }: { itemId: string }): ItemActionRow => actions.release(itemId, reviewer()),
    'item.reopen': ({ itemId, reason }: { itemId: string; reason: string }): ItemActionRow => actions.reopen(itemId, reason, reviewer()),
    'item.consult': ({ itemId, note }: { itemId: string; note: string }): ItemActionRow => actions.consult(itemId, note, reviewer()),
    'item.reveal': ({ itemId }: { itemId: string }): WellbeingView => {
      const seq = seqOf(ws, itemId);
      actions.reveal(itemId, reviewer(), masked(seq) ?? 'unmasked');
      return wellbeing();
    },
    'item.actions': ({ itemId }: { itemId: string }): { actions: ItemActionRow[]; masked: string | null; gold: GoldVerdict | null } => {
      const { seq, item } = recordOf(ws, itemId);
      // On a route that mixes gold in, the item view does not say it is gold (leads see it under Gold).
      if (blindGold(ws, item.route)) return { actions: actionsForItem(ws.sqlite, seq).filter((a) => a.kind !== 'gold'), masked: masked(seq), gold: null };
      const g = latestAction(ws.sqlite, seq, 'gold');
      const gold = g ? (JSON.parse(g.data) as Partial<GoldVerdict>) : null;
      return { actions: actionsForItem(ws.sqlite, seq), masked: masked(seq), gold: gold?.decision ? (gold as GoldVerdict) : null };
    },
    'holds.list': () => ({ holds: holds(ws.sqlite, nowIso()), now: nowIso() }),
    'expert.overturns': ({ route }: { route?: string }) => overturnsByModel(ws.sqlite, { route }),
    'gold.mark': ({ itemId, decision, labels }: { itemId: string } & GoldVerdict): ItemActionRow => actions.gold(itemId, { decision, labels }, reviewer()),
    'gold.unmark': ({ itemId }: { itemId: string }): ItemActionRow => actions.gold(itemId, null, reviewer()),
    'gold.list': () => ({ items: goldItems(ws.sqlite), accuracy: goldAccuracy(ws.sqlite) }),
    'expert.settings': (): ExpertSettings => settings(),
    'expert.setSettings': (input: ExpertSettings): ExpertSettings => {
      const s = expertSettingsSchema.parse(input);
      putSetting(EXPERT_SETTINGS_KEY, JSON.stringify(s));
      return s;
    },
    'wellbeing.status': (): WellbeingView => wellbeing(),
  };

  function wellbeing(): WellbeingView {
    const day = nowIso().slice(0, 10);
    const me = reviewer();
    const reveals = exposureCount(ws.sqlite, me, day);
    const { breakAfter } = settings();
    return { day, reviewer: me, reveals, breakAfter, breakDue: breakAfter > 0 && reveals >= breakAfter, byReviewer: exposureByReviewer(ws.sqlite, day) };
  }
}
