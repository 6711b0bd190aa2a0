/**
 * The submit / amend / undo choreography as a dispatcher over ports (what it reads and does to
 * the screen and the core), so it runs and is tested without a browser: test/renderer/
 * dispatch.test.ts drives it with in-memory ports. The decisions themselves are pure functions
 * (planSubmit, planAmend, draftFromVerdict); actions.ts wires the real stores and calls in.
 */
import type { ApiInput, ItemView, VerdictRow } from '../../electron/shared/contract.ts';
import { currentRevisionId } from '../item/revision.ts';
import { EMPTY_DRAFT, flagReviewList, flagReviewMap, type Draft, type Severity } from './draft.ts';

export type VerdictFields = Omit<ApiInput<'verdict.amend'>, 'verdictId'>;

/** A pending "this item is decided: replace its verdict?" question. */
export interface ReplaceConfirm {
  itemId: string | null;
  verdictId: string | null;
}

export type SubmitPlan =
  /** The draft cannot go: the error stays beside it (`input`: the reviewer has something to fill in). */
  | { kind: 'refuse'; error: string; input: boolean; focus?: 'route-picker'; clearsConfirm: boolean }
  /** The item already has a verdict in force: ask before replacing it. */
  | { kind: 'confirm'; verdictId: string }
  | { kind: 'amend'; verdictId: string; fields: VerdictFields }
  | { kind: 'submit'; revisionId: string; fields: VerdictFields; keptSuggested: string[] };

export interface SubmitState {
  itemId: string;
  /** The item as the core has it now (settled: not a copy from before the last verdict). */
  view: ItemView;
  draft: Draft;
  confirm: ReplaceConfirm;
  /** The item's output as ingested: a correction equal to it is no correction. */
  original: string;
}

/** What the contract receives for a draft. */
export function verdictFields(draft: Draft, original: string): VerdictFields {
  const decision = draft.decision!;
  return {
    decision,
    // A skip decides nothing: labels the detectors suggested do not ride along with it.
    labels: decision === 'skip' ? draft.labels.filter((l) => !draft.suggested.includes(l)) : draft.labels,
    severity: draft.severity,
    correction: draft.correction !== null && draft.correction !== original ? draft.correction : null,
    rationale: draft.rationale.trim() ? draft.rationale : null,
    routeTo: decision === 'escalate' ? draft.routeTo : null,
    flagReviews: flagReviewList(draft),
    spanEdits: draft.spanEdits,
    // Escalated elsewhere, the fields of this route no longer apply.
    routeFields: decision === 'skip' ? {} : draft.routeFields,
  };
}

/**
 * What Ctrl+Enter does with a draft. On a decided item the first press asks to confirm and the
 * second (same item, same verdict in force) amends it: one keystroke never silently replaces a
 * decision. A draft loaded for amendment amends the verdict it names.
 */
export function planSubmit({ itemId, view, draft, confirm, original }: SubmitState): SubmitPlan {
  if (!draft.decision) {
    return { kind: 'refuse', error: 'Choose a decision first: V violation, F false positive, X escalate or S skip.', input: true, clearsConfirm: false };
  }
  if (draft.decision === 'escalate' && !draft.routeTo) {
    return { kind: 'refuse', error: 'Pick the route to escalate to.', input: true, focus: 'route-picker', clearsConfirm: false };
  }
  let amendId = draft.amending?.verdictId ?? null;
  if (!amendId && view.current) {
    if (confirm.itemId !== itemId || confirm.verdictId !== view.current.id) return { kind: 'confirm', verdictId: view.current.id };
    amendId = view.current.id;
  }
  const fields = verdictFields(draft, original);
  if (amendId) return { kind: 'amend', verdictId: amendId, fields };
  const revisionId = draft.revisionId ?? currentRevisionId(view);
  if (!revisionId) return { kind: 'refuse', error: 'This item has no revision to decide on.', input: false, clearsConfirm: true };
  return { kind: 'submit', revisionId, fields, keptSuggested: draft.suggested.filter((l) => fields.labels?.includes(l)) };
}

/** `a`: the verdict in force to load into the form, from the settled item. */
export function planAmend(view: ItemView | undefined): { kind: 'load'; verdict: VerdictRow } | { kind: 'notice'; notice: string } {
  const current = view?.current;
  return current ? { kind: 'load', verdict: current } : { kind: 'notice', notice: 'Nothing to amend: this item has no verdict in force.' };
}

/** Undo brings the reviewer back to the form as it was submitted, not to an empty one. */
export function draftFromVerdict(v: VerdictRow): Draft | null {
  if (v.decision === 'retracted') return null;
  return {
    ...EMPTY_DRAFT,
    decision: v.decision,
    labels: [...v.labels],
    severity: (v.severity as Severity | null) ?? null,
    correction: v.correction,
    rationale: v.rationale ?? '',
    routeTo: v.routeTo,
    revisionId: v.revisionId,
    flagReviews: flagReviewMap(v.flagReviews),
    spanEdits: [...v.spanEdits],
    routeFields: { ...v.routeFields },
    // An undone amendment comes back as an amendment of the verdict it replaced.
    amending: v.kind === 'amendment' && v.supersedes ? { verdictId: v.supersedes, decidedAt: v.decidedAt } : null,
  };
}

export function decisionLabel(decision: string): string {
  return (
    ({ violation: 'violation', dismiss: 'false positive', escalate: 'escalation', skip: 'skip', retracted: 'retraction' } as Record<string, string>)[decision] ??
    decision
  );
}

export type SavedEvent =
  | { kind: 'amendment'; itemId: string }
  | { kind: 'verdict'; itemId: string; decision: VerdictFields['decision'] }
  | { kind: 'undo'; itemId: string };

/** Everything the dispatcher reads from and does to the screen and the core. */
export interface VerdictPorts {
  selectedId(): string | null;
  anchorIndex(): number;
  select(itemId: string, index?: number): void;
  /** The next queue item after the one on screen (prefetched), if any. */
  nextItem(): { id: string; index: number } | null;
  prefetchAfter(itemId: string): void;
  indexOf(itemId: string): number;
  /** The item as the core has it now (item/queries.ts settledItem). */
  settledItem(itemId: string): Promise<ItemView | undefined>;
  itemChanged(itemId: string): void;
  refreshItem(itemId: string): void;
  draftOf(itemId: string): Draft;
  setDraft(itemId: string, draft: Draft): void;
  loadForAmend(itemId: string, verdict: VerdictRow): void;
  clearDraft(itemId: string): void;
  setError(itemId: string, error: string | null, kind?: 'input'): void;
  originalOutput(itemId: string): string;
  confirm(): ReplaceConfirm;
  setConfirm(c: ReplaceConfirm): void;
  setSaving(saving: boolean, clearNotice: boolean): void;
  notice(text: string): void;
  focus(target: 'item-pane' | 'route-picker' | 'replace-confirm-ok'): void;
  saved(event: SavedEvent): void;
  submit(input: ApiInput<'verdict.submit'>): Promise<unknown>;
  amend(input: ApiInput<'verdict.amend'>): Promise<unknown>;
  undo(): Promise<{ undone: VerdictRow } | null>;
  errorMessage(err: unknown): string;
}

export interface VerdictDispatcher {
  submit(): Promise<void>;
  undo(): Promise<void>;
  amendInForce(): Promise<void>;
  cancelReplace(): boolean;
}

export function createVerdictDispatcher(p: VerdictPorts): VerdictDispatcher {
  /** Items whose verdict is on its way to the core, and the chain undo waits on. */
  const pending = new Set<string>();
  let inflight: Promise<unknown> = Promise.resolve();

  const track = <T>(itemId: string, work: Promise<T>): Promise<T> => {
    pending.add(itemId);
    p.setSaving(true, true);
    inflight = inflight.then(() => work.catch(() => undefined));
    return work.finally(() => {
      pending.delete(itemId);
      p.setSaving(pending.size > 0, false);
    });
  };

  const cancelReplace = (): boolean => {
    if (!p.confirm().itemId) return false;
    p.setConfirm({ itemId: null, verdictId: null });
    return true;
  };

  async function amend(itemId: string, verdictId: string, fields: VerdictFields): Promise<void> {
    try {
      await track(itemId, p.amend({ verdictId, ...fields }));
      p.clearDraft(itemId);
      p.refreshItem(itemId);
      p.notice('Amendment recorded.');
      p.saved({ kind: 'amendment', itemId });
      p.focus('item-pane');
    } catch (err) {
      p.setError(itemId, p.errorMessage(err));
    }
  }

  async function submitNew(itemId: string, plan: Extract<SubmitPlan, { kind: 'submit' }>): Promise<void> {
    // The next item goes on screen at once (it is prefetched) while the core records the verdict;
    // should the core refuse it, the reviewer is brought back to the item with the draft intact.
    const anchor = p.anchorIndex();
    const next = p.nextItem();
    if (next) {
      p.select(next.id, next.index);
      p.prefetchAfter(next.id);
      p.focus('item-pane');
    }
    try {
      await track(itemId, p.submit({ itemId, revisionId: plan.revisionId, ...plan.fields }));
      p.clearDraft(itemId);
      p.itemChanged(itemId);
      const kept = plan.keptSuggested;
      p.notice(`Recorded: ${decisionLabel(plan.fields.decision)}${kept.length ? `, with suggested ${kept.join(', ')}` : ''}. Z to undo.`);
      p.saved({ kind: 'verdict', itemId, decision: plan.fields.decision });
    } catch (err) {
      const index = p.indexOf(itemId);
      p.select(itemId, index >= 0 ? index : anchor);
      p.setError(itemId, p.errorMessage(err));
      p.focus('item-pane');
    }
  }

  return {
    cancelReplace,

    async submit() {
      const itemId = p.selectedId();
      if (!itemId || pending.has(itemId)) return;
      // A copy from before the reviewer's last verdict here would hide the verdict in force.
      const view = await p.settledItem(itemId);
      if (!view || p.selectedId() !== itemId || pending.has(itemId)) return;
      const plan = planSubmit({ itemId, view, draft: p.draftOf(itemId), confirm: p.confirm(), original: p.originalOutput(itemId) });
      switch (plan.kind) {
        case 'refuse':
          if (plan.clearsConfirm) p.setConfirm({ itemId: null, verdictId: null });
          p.setError(itemId, plan.error, plan.input ? 'input' : undefined);
          if (plan.focus) p.focus(plan.focus);
          return;
        case 'confirm':
          p.setConfirm({ itemId, verdictId: plan.verdictId });
          p.focus('replace-confirm-ok');
          return;
        case 'amend':
          p.setConfirm({ itemId: null, verdictId: null });
          return amend(itemId, plan.verdictId, plan.fields);
        case 'submit':
          p.setConfirm({ itemId: null, verdictId: null });
          return submitNew(itemId, plan);
      }
    },

    async undo() {
      // Undo acts on the last verdict the core has: let the ones on their way land first.
      await inflight;
      if (pending.size > 0) return;
      p.setSaving(true, true);
      try {
        const r = await p.undo();
        if (!r) {
          p.notice('Nothing to undo.');
          return;
        }
        const itemId = r.undone.itemId;
        const draft = draftFromVerdict(r.undone);
        if (draft) {
          p.setDraft(itemId, draft);
          p.setError(itemId, null);
        }
        p.refreshItem(itemId);
        const index = p.indexOf(itemId);
        p.select(itemId, index >= 0 ? index : undefined);
        p.notice(`Undid your ${decisionLabel(r.undone.decision)} verdict.`);
        p.saved({ kind: 'undo', itemId });
        p.focus('item-pane');
      } catch (err) {
        p.notice(`Undo failed: ${p.errorMessage(err)}`);
      } finally {
        p.setSaving(false, false);
      }
    },

    async amendInForce() {
      const id = p.selectedId();
      if (!id) return;
      // The cached copy may predate the verdict just recorded on this item (k back to it).
      const view = await p.settledItem(id);
      if (p.selectedId() !== id) return;
      const plan = planAmend(view);
      if (plan.kind === 'notice') {
        p.notice(plan.notice);
        return;
      }
      p.loadForAmend(id, plan.verdict);
      cancelReplace();
    },
  };
}
