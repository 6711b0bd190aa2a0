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
import { seededDraft, useDrafts, type Decision, type Draft, type Severity } from './draft.ts';
import { createVerdictDispatcher } from './dispatch.ts';
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
  return dispatcher.cancelReplace();
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
  void dispatcher.amendInForce();
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

/** The submit / amend / undo choreography (dispatch.ts) over the real stores, queue and core calls. */
const dispatcher = createVerdictDispatcher({
  selectedId: () => useUi.getState().selectedId,
  anchorIndex: () => useUi.getState().anchorIndex,
  select: (itemId, index) => useUi.getState().select(itemId, index),
  nextItem: () => nextAfterCurrent(),
  prefetchAfter,
  indexOf: (itemId) => queueStore.indexOf(itemId),
  settledItem,
  itemChanged,
  refreshItem,
  draftOf,
  setDraft: (itemId, draft) => useDrafts.getState().update(itemId, draft),
  loadForAmend: (itemId, verdict) => useDrafts.getState().loadForAmend(itemId, verdict),
  clearDraft: (itemId) => useDrafts.getState().clear(itemId),
  setError: (itemId, error, kind) => useDrafts.getState().setError(itemId, error, kind),
  originalOutput,
  confirm: () => useReplaceConfirm.getState(),
  setConfirm: (c) => useReplaceConfirm.setState(c),
  setSaving: (saving, clearNotice) => useSaving.setState(clearNotice ? { saving, notice: null } : { saving }),
  notice: setNotice,
  focus: (target) => {
    if (target === 'item-pane') focusItemPane();
    else if (target === 'route-picker') focusById('route-picker', true);
    else requestAnimationFrame(() => focusById('replace-confirm-ok'));
  },
  saved: (event) => emitAppEvent('verdict:verdict-saved', event),
  submit: submitVerdict,
  amend: amendVerdict,
  undo: undoVerdict,
  errorMessage,
});

export function submitCurrent(): Promise<void> {
  return dispatcher.submit();
}

export function undoLast(): Promise<void> {
  return dispatcher.undo();
}

function dismissKeepsLabels(itemId: string): boolean {
  const route = peekItem(itemId)?.item.route;
  return route !== undefined && taxonomyRoutePolicy(route)?.dismissMayCarryLabels === true;
}
