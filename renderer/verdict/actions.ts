/**
 * Recording decisions: submit (or amend), then move on; undo and go back. Errors stay inline
 * beside the draft, which is only cleared once the core has accepted it.
 */
import { create } from 'zustand';
import { emitAppEvent } from '../lib/appEvents.ts';
import { errorMessage } from '../lib/format.ts';
import { currentRevisionId, itemChanged, peekItem, refreshItem, settledItem } from '../item/queries.ts';
import { nextAfterCurrent, prefetchAfter } from '../queue/navigation.ts';
import { queueStore } from '../queue/store.ts';
import { focusById, focusItemPane } from '../shell/shortcuts.ts';
import { useUi } from '../state/ui.ts';
import type { VerdictRow } from '../../electron/shared/contract.ts';
import { EMPTY_DRAFT, flagReviewList, flagReviewMap, seededDraft, useDrafts, type Decision, type Draft, type Severity } from './draft.ts';
import { amendVerdict, submitVerdict, undoVerdict } from './queries.ts';
import { taxonomyLabelIds, taxonomyRoutePolicy } from './taxonomy.ts';

/** Whether a save is in flight (the buttons show it; a second Ctrl+Enter is ignored). */
export const useSaving = create<{ saving: boolean; notice: string | null }>()(() => ({ saving: false, notice: null }));

/**
 * A decided item asked to be decided again: the reviewer confirms (Ctrl+Enter again, or the
 * button) and the new decision is recorded as an amendment of the verdict in force, or cancels
 * with Esc. One keystroke never silently replaces a decision.
 */
export const useReplaceConfirm = create<{ itemId: string | null; verdictId: string | null }>()(() => ({ itemId: null, verdictId: null }));

/** Cancels a pending replace confirmation; true if there was one. */
export function cancelReplace(): boolean {
  if (!useReplaceConfirm.getState().itemId) return false;
  useReplaceConfirm.setState({ itemId: null, verdictId: null });
  return true;
}

function setNotice(notice: string | null) {
  useSaving.setState({ notice });
}

export function originalOutput(itemId: string): string {
  const view = peekItem(itemId);
  return (view?.item.record.output?.messages ?? []).map((m) => m.content).join('\n\n');
}

/** The item's draft; before the first edit, the one the form shows: the flags' suggested labels preselected. */
export function draftOf(itemId: string): Draft {
  const view = peekItem(itemId);
  return useDrafts.getState().drafts[itemId] ?? seededDraft(view && !view.current ? view.suggestedLabels.map((s) => s.label) : []);
}

/** Edits a draft, pinning it to the revision on screen when it starts. */
export function editDraft(itemId: string, patch: Partial<Draft>): void {
  const drafts = useDrafts.getState();
  const current = drafts.drafts[itemId];
  const view = peekItem(itemId);
  const revisionId = current?.revisionId ?? (view ? currentRevisionId(view) : null);
  drafts.update(itemId, { ...(current ? {} : draftOf(itemId)), ...patch, revisionId });
  if (drafts.errors[itemId]) drafts.setError(itemId, null);
}

export function toggleLabel(itemId: string, label: string): void {
  editDraft(itemId, {});
  useDrafts.getState().toggleLabel(itemId, label);
}

/** After a stale-revision refusal: the reviewer has looked at the new content; decide on it. */
export function adoptCurrentRevision(itemId: string): void {
  const view = peekItem(itemId);
  if (!view) return;
  useDrafts.getState().update(itemId, { revisionId: currentRevisionId(view) });
  useDrafts.getState().setError(itemId, null);
}

export function chooseDecision(decision: Decision): void {
  const id = useUi.getState().selectedId;
  if (!id) return;
  const before = draftOf(id);
  // A false positive carries no labels or severity (the core's coherence rule); the form drops
  // them as the decision is chosen, and says so, rather than failing at submit.
  if (decision === 'dismiss' && (before.labels.length > 0 || before.severity) && !dismissKeepsLabels(id)) {
    const onlySuggested = !before.severity && before.labels.every((l) => before.suggested.includes(l));
    editDraft(id, { decision, labels: [], severity: null, suggested: [] });
    setNotice(onlySuggested ? 'Suggested labels dropped: a false positive carries none.' : 'Labels and severity cleared: a false positive carries none.');
  } else {
    editDraft(id, { decision });
  }
  if (decision === 'escalate') {
    // Let the route picker mount, then put the reviewer in it.
    requestAnimationFrame(() => focusById('route-picker', true));
  }
}

const SEVERITY_STEPS: (Severity | null)[] = [null, 'low', 'medium', 'high', 'critical'];

/** `h` / Shift+H: severity one step up / down (none → low → … → critical → none). */
export function stepSeverity(step: 1 | -1): void {
  const id = useUi.getState().selectedId;
  if (!id) return;
  const current = (draftOf(id)).severity;
  const i = SEVERITY_STEPS.indexOf(current);
  editDraft(id, { severity: SEVERITY_STEPS[(i + step + SEVERITY_STEPS.length) % SEVERITY_STEPS.length]! });
}

/** `a`: load the verdict in force into the form as an amendment (History's Amend button). */
export function amendInForce(): void {
  const id = useUi.getState().selectedId;
  if (!id) return;
  // The cached copy may predate the verdict just recorded on this item (k back to it).
  void settledItem(id).then((view) => {
    if (useUi.getState().selectedId !== id) return;
    const current = view?.current;
    if (!current) {
      setNotice('Nothing to amend: this item has no verdict in force.');
      return;
    }
    useDrafts.getState().loadForAmend(id, current);
    cancelReplace();
  });
}

/** The item's n-th reference answer becomes the corrected output (`u`, or its button). */
export function applyReferenceAnswer(itemId: string | null = useUi.getState().selectedId, n = 0): void {
  if (!itemId) return;
  const refs = (peekItem(itemId)?.item.record.evidence ?? []).filter((e) => e.kind === 'reference_response' && e.content);
  const ref = refs[n];
  if (!ref?.content) {
    setNotice('This item has no reference answer.');
    return;
  }
  editDraft(itemId, { correction: ref.content, showDiff: true });
  setNotice('Reference answer copied into the corrected output (diff shown).');
}

/**
 * `y` / `b`: the detector behind the current flag was right / wrong. The cursor then moves to the
 * next flag without a call, so a reviewer goes through the flags with one key each. Pressing the
 * same call again clears it.
 */
export function reviewFlag(accepted: boolean, index?: number): void {
  const id = useUi.getState().selectedId;
  const count = id ? (peekItem(id)?.item.record.flags.length ?? 0) : 0;
  if (!id) return;
  if (count === 0) {
    setNotice('This item has no flags to accept or reject.');
    return;
  }
  const d = draftOf(id);
  const at = Math.min(index ?? d.flagCursor, count - 1);
  const flagReviews = { ...d.flagReviews };
  if (flagReviews[at] === accepted) delete flagReviews[at];
  else flagReviews[at] = accepted;
  let next = at;
  for (let step = 1; step <= count; step++) {
    const j = (at + step) % count;
    if (!(j in flagReviews)) {
      next = j;
      break;
    }
  }
  editDraft(id, { flagReviews, flagCursor: index === undefined ? next : at });
}

/** `l`: the flag cursor to the next flag (wrapping). */
export function moveFlagCursor(step: 1 | -1): void {
  const id = useUi.getState().selectedId;
  const count = id ? (peekItem(id)?.item.record.flags.length ?? 0) : 0;
  if (!id || count === 0) return;
  const d = draftOf(id);
  editDraft(id, { flagCursor: (Math.min(d.flagCursor, count - 1) + step + count) % count });
}

export function toggleLabelByIndex(index: number): void {
  const id = useUi.getState().selectedId;
  // The labels of the item's route, in the order its chips show them.
  const label = (id ? peekItem(id)?.routeTaxonomy.labels.map((l) => l.id) : taxonomyLabelIds())?.[index];
  if (!id || !label) return;
  toggleLabel(id, label);
}

/** Items whose verdict is on its way to the core, and the chain undo waits on. */
const pending = new Set<string>();
let inflight: Promise<unknown> = Promise.resolve();

function track<T>(itemId: string, work: Promise<T>): Promise<T> {
  pending.add(itemId);
  useSaving.setState({ saving: true, notice: null });
  inflight = inflight.then(() => work.catch(() => undefined));
  return work.finally(() => {
    pending.delete(itemId);
    useSaving.setState({ saving: pending.size > 0 });
  });
}

export async function submitCurrent(): Promise<void> {
  const itemId = useUi.getState().selectedId;
  if (!itemId || pending.has(itemId)) return;
  // A copy from before the reviewer's last verdict here would hide the verdict in force.
  const view = await settledItem(itemId);
  if (!view || useUi.getState().selectedId !== itemId || pending.has(itemId)) return;
  const drafts = useDrafts.getState();
  const draft = draftOf(itemId);
  if (!draft.decision) {
    drafts.setError(itemId, 'Choose a decision first: V violation, F false positive, X escalate or S skip.', 'input');
    return;
  }
  if (draft.decision === 'escalate' && !draft.routeTo) {
    drafts.setError(itemId, 'Pick the route to escalate to.', 'input');
    focusById('route-picker', true);
    return;
  }
  const original = originalOutput(itemId);
  const confirm = useReplaceConfirm.getState();
  let amendId = draft.amending?.verdictId ?? null;
  if (!amendId && view.current) {
    if (confirm.itemId !== itemId || confirm.verdictId !== view.current.id) {
      useReplaceConfirm.setState({ itemId, verdictId: view.current.id });
      requestAnimationFrame(() => focusById('replace-confirm-ok'));
      return;
    }
    amendId = view.current.id;
  }
  useReplaceConfirm.setState({ itemId: null, verdictId: null });
  const fields = {
    decision: draft.decision,
    // A skip decides nothing: labels the detectors suggested do not ride along with it.
    labels: draft.decision === 'skip' ? draft.labels.filter((l) => !draft.suggested.includes(l)) : draft.labels,
    severity: draft.severity,
    correction: draft.correction !== null && draft.correction !== original ? draft.correction : null,
    rationale: draft.rationale.trim() ? draft.rationale : null,
    routeTo: draft.decision === 'escalate' ? draft.routeTo : null,
    flagReviews: flagReviewList(draft),
    spanEdits: draft.spanEdits,
    // Escalated elsewhere, the fields of this route no longer apply.
    routeFields: draft.decision === 'skip' ? {} : draft.routeFields,
  };
  if (amendId) {
    try {
      await track(itemId, amendVerdict({ verdictId: amendId, ...fields }));
      drafts.clear(itemId);
      refreshItem(itemId);
      setNotice('Amendment recorded.');
      emitAppEvent('verdict:verdict-saved', { kind: 'amendment', itemId });
      focusItemPane();
    } catch (err) {
      useDrafts.getState().setError(itemId, errorMessage(err));
    }
    return;
  }
  const revisionId = draft.revisionId ?? currentRevisionId(view);
  if (!revisionId) {
    drafts.setError(itemId, 'This item has no revision to decide on.');
    return;
  }
  // The next item goes on screen at once (it is prefetched) while the core records the verdict;
  // should the core refuse it, the reviewer is brought back to the item with the draft intact.
  const { anchorIndex } = useUi.getState();
  const next = nextAfterCurrent();
  if (next) {
    useUi.getState().select(next.id, next.index);
    prefetchAfter(next.id);
    focusItemPane();
  }
  try {
    await track(itemId, submitVerdict({ itemId, revisionId, ...fields }));
    drafts.clear(itemId);
    itemChanged(itemId);
    const kept = draft.suggested.filter((l) => fields.labels.includes(l));
    setNotice(`Recorded: ${labelOf(fields.decision)}${kept.length ? `, with suggested ${kept.join(', ')}` : ''}. Z to undo.`);
    emitAppEvent('verdict:verdict-saved', { kind: 'verdict', itemId, decision: fields.decision });
  } catch (err) {
    const index = queueStore.indexOf(itemId);
    useUi.getState().select(itemId, index >= 0 ? index : anchorIndex);
    useDrafts.getState().setError(itemId, errorMessage(err));
    focusItemPane();
  }
}

export async function undoLast(): Promise<void> {
  // Undo acts on the last verdict the core has: let the ones on their way land first.
  await inflight;
  if (pending.size > 0) return;
  useSaving.setState({ saving: true, notice: null });
  try {
    const r = await undoVerdict();
    if (!r) {
      setNotice('Nothing to undo.');
      return;
    }
    const itemId = r.undone.itemId;
    restoreDraft(r.undone);
    refreshItem(itemId);
    const index = queueStore.indexOf(itemId);
    useUi.getState().select(itemId, index >= 0 ? index : undefined);
    setNotice(`Undid your ${labelOf(r.undone.decision)} verdict.`);
    emitAppEvent('verdict:verdict-saved', { kind: 'undo', itemId });
    focusItemPane();
  } catch (err) {
    setNotice(`Undo failed: ${errorMessage(err)}`);
  } finally {
    useSaving.setState({ saving: false });
  }
}

/** Undo brings the reviewer back to the form as it was submitted, not to an empty one. */
function restoreDraft(v: VerdictRow): void {
  if (v.decision === 'retracted') return;
  const d = useDrafts.getState();
  d.update(v.itemId, {
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
  });
  d.setError(v.itemId, null);
}

function dismissKeepsLabels(itemId: string): boolean {
  const route = peekItem(itemId)?.item.route;
  return route !== undefined && taxonomyRoutePolicy(route)?.dismissMayCarryLabels === true;
}

function labelOf(decision: string): string {
  return (
    { violation: 'violation', dismiss: 'false positive', escalate: 'escalation', skip: 'skip', retracted: 'retraction' } as Record<string, string>
  )[decision] ?? decision;
}
