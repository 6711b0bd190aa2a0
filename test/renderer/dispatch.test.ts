/**
 * The renderer's submit / amend / undo choreography (renderer/verdict/dispatch.ts), run without a
 * browser: pure plans, then the dispatcher over in-memory ports that record what it did to the
 * screen and which calls reached the core.
 */
import { describe, expect, it } from 'vitest';
import type { ApiInput, ItemView, VerdictRow } from '../../electron/shared/contract.ts';
import { createVerdictDispatcher, draftFromVerdict, planAmend, planSubmit, type ReplaceConfirm, type SavedEvent, type VerdictPorts } from '../../renderer/verdict/dispatch.ts';
import { EMPTY_DRAFT, type Draft } from '../../renderer/verdict/draft.ts';

const NO_CONFIRM: ReplaceConfirm = { itemId: null, verdictId: null };

function verdict(id: string, itemId: string, patch: Partial<VerdictRow> = {}): VerdictRow {
  return {
    seq: 1, id, itemId, itemSeq: 1, revisionId: `${itemId}-rev1`, kind: 'verdict', supersedes: null, reviewer: 'ana',
    decision: 'violation', routeTo: null, labels: ['S1'], severity: 'high', correction: null, rationale: 'why',
    decidedAt: '2026-12-01T00:00:00Z', auditSeq: 1, flagReviews: [{ flag: 0, accepted: false }], spanEdits: [], routeFields: {},
    ...patch,
  };
}

function view(itemId: string, current: VerdictRow | null = null): ItemView {
  // Only what the choreography reads: the revisions and the verdict in force.
  return { item: { id: itemId, revision: 1, revisions: [{ id: `${itemId}-rev1`, revision: 1 }], record: { output: { messages: [] } } }, current } as unknown as ItemView;
}

const violation: Draft = { ...EMPTY_DRAFT, decision: 'violation', labels: ['S1'], severity: 'high' };

/** A deferred answer from the core, settled by the test. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** In-memory screen: a queue of items, the selection, drafts, errors, notices; the core's answers are set per test. */
function desk(items: string[], views: Record<string, ItemView>, settled?: (id: string) => Promise<ItemView | undefined>) {
  const s = {
    selected: items[0] as string | null,
    index: 0,
    drafts: {} as Record<string, Draft>,
    errors: {} as Record<string, string | null>,
    notices: [] as string[],
    confirm: NO_CONFIRM,
    saving: false,
    focused: [] as string[],
    saved: [] as SavedEvent[],
    calls: [] as { method: string; input: unknown }[],
    refreshed: [] as string[],
    submitAnswer: null as Promise<unknown> | null,
    undoAnswer: null as { undone: VerdictRow } | null,
    views,
  };
  const ports: VerdictPorts = {
    selectedId: () => s.selected,
    anchorIndex: () => s.index,
    select: (id, index) => {
      s.selected = id;
      if (index !== undefined) s.index = index;
    },
    nextItem: () => {
      const i = items.indexOf(s.selected!);
      return i >= 0 && i + 1 < items.length ? { id: items[i + 1]!, index: i + 1 } : null;
    },
    prefetchAfter: () => {},
    indexOf: (id) => items.indexOf(id),
    settledItem: settled ?? (async (id) => s.views[id]),
    itemChanged: (id) => s.refreshed.push(id),
    refreshItem: (id) => s.refreshed.push(id),
    draftOf: (id) => s.drafts[id] ?? EMPTY_DRAFT,
    setDraft: (id, d) => (s.drafts[id] = d),
    loadForAmend: (id, v) => (s.drafts[id] = { ...draftFromVerdict(v)!, amending: { verdictId: v.id, decidedAt: v.decidedAt } }),
    clearDraft: (id) => delete s.drafts[id],
    setError: (id, e) => (s.errors[id] = e),
    originalOutput: () => '',
    confirm: () => s.confirm,
    setConfirm: (c) => (s.confirm = c),
    setSaving: (saving) => (s.saving = saving),
    notice: (t) => s.notices.push(t),
    focus: (t) => s.focused.push(t),
    saved: (e) => s.saved.push(e),
    submit: (input: ApiInput<'verdict.submit'>) => {
      s.calls.push({ method: 'verdict.submit', input });
      return s.submitAnswer ?? Promise.resolve(verdict('new', input.itemId));
    },
    amend: (input: ApiInput<'verdict.amend'>) => {
      s.calls.push({ method: 'verdict.amend', input });
      return Promise.resolve(verdict('amended', 'x'));
    },
    undo: async () => {
      s.calls.push({ method: 'verdict.undo', input: {} });
      return s.undoAnswer;
    },
    errorMessage: (err) => (err as Error).message,
  };
  return { s, d: createVerdictDispatcher(ports) };
}

describe('verdict plans (pure)', () => {
  it('refuses a draft without a decision, and an escalation without a route, as input to fill in', () => {
    const base = { itemId: 'a', view: view('a'), confirm: NO_CONFIRM, original: '' };
    expect(planSubmit({ ...base, draft: EMPTY_DRAFT })).toMatchObject({ kind: 'refuse', input: true });
    expect(planSubmit({ ...base, draft: { ...EMPTY_DRAFT, decision: 'escalate' } })).toMatchObject({ kind: 'refuse', input: true, focus: 'route-picker' });
  });

  it('a new verdict names the revision the draft was started on; a skip drops the labels only suggested', () => {
    const plan = planSubmit({
      itemId: 'a',
      view: view('a'),
      draft: { ...EMPTY_DRAFT, decision: 'skip', labels: ['S1', 'S2'], suggested: ['S2'], revisionId: 'pinned', correction: 'same', rationale: '  ' },
      confirm: NO_CONFIRM,
      original: 'same',
    });
    expect(plan).toMatchObject({ kind: 'submit', revisionId: 'pinned', fields: { decision: 'skip', labels: ['S1'], correction: null, rationale: null, routeFields: {} } });
  });

  it('submit on a decided item asks to confirm, then (same verdict in force) amends it', () => {
    const v = verdict('v1', 'a');
    const first = planSubmit({ itemId: 'a', view: view('a', v), draft: violation, confirm: NO_CONFIRM, original: '' });
    expect(first).toEqual({ kind: 'confirm', verdictId: 'v1' });
    const second = planSubmit({ itemId: 'a', view: view('a', v), draft: violation, confirm: { itemId: 'a', verdictId: 'v1' }, original: '' });
    expect(second).toMatchObject({ kind: 'amend', verdictId: 'v1' });
    // A confirmation given for another verdict (the one in force changed meanwhile) asks again.
    const moved = planSubmit({ itemId: 'a', view: view('a', verdict('v2', 'a')), draft: violation, confirm: { itemId: 'a', verdictId: 'v1' }, original: '' });
    expect(moved).toEqual({ kind: 'confirm', verdictId: 'v2' });
  });

  it('undo restores the draft as it was submitted; an undone amendment comes back as one', () => {
    expect(draftFromVerdict(verdict('v1', 'a', { correction: 'fixed', routeFields: { k: 'v' } }))).toMatchObject({
      decision: 'violation', labels: ['S1'], severity: 'high', correction: 'fixed', rationale: 'why', revisionId: 'a-rev1', flagReviews: { 0: false }, routeFields: { k: 'v' }, amending: null,
    });
    expect(draftFromVerdict(verdict('v2', 'a', { kind: 'amendment', supersedes: 'v1' }))?.amending).toEqual({ verdictId: 'v1', decidedAt: '2026-12-01T00:00:00Z' });
    expect(draftFromVerdict(verdict('r', 'a', { decision: 'retracted' }))).toBeNull();
  });

  it('amend without a verdict in force says so', () => {
    expect(planAmend(view('a'))).toMatchObject({ kind: 'notice' });
    expect(planAmend(view('a', verdict('v1', 'a')))).toMatchObject({ kind: 'load', verdict: { id: 'v1' } });
  });
});

describe('verdict dispatcher', () => {
  it('submit records the verdict, moves on at once and clears the draft', async () => {
    const { s, d } = desk(['a', 'b'], { a: view('a'), b: view('b') });
    s.drafts.a = violation;
    await d.submit();
    expect(s.calls).toEqual([{ method: 'verdict.submit', input: expect.objectContaining({ itemId: 'a', revisionId: 'a-rev1', decision: 'violation' }) }]);
    expect(s.selected).toBe('b');
    expect(s.drafts.a).toBeUndefined();
    expect(s.saved).toEqual([{ kind: 'verdict', itemId: 'a', decision: 'violation' }]);
    expect(s.saving).toBe(false);
  });

  it('submit on a decided item asks to confirm, and the second submit amends the verdict in force', async () => {
    const { s, d } = desk(['a', 'b'], { a: view('a', verdict('v1', 'a')), b: view('b') });
    s.drafts.a = violation;
    await d.submit();
    expect(s.calls).toEqual([]);
    expect(s.confirm).toEqual({ itemId: 'a', verdictId: 'v1' });
    expect(s.focused).toEqual(['replace-confirm-ok']);
    await d.submit();
    expect(s.calls).toEqual([{ method: 'verdict.amend', input: expect.objectContaining({ verdictId: 'v1', decision: 'violation' }) }]);
    expect(s.confirm).toEqual(NO_CONFIRM);
    expect(s.selected).toBe('a');
    expect(s.notices).toContain('Amendment recorded.');
    // Esc instead of the second press: nothing is recorded.
    const other = desk(['a'], { a: view('a', verdict('v1', 'a')) });
    other.s.drafts.a = violation;
    await other.d.submit();
    expect(other.d.cancelReplace()).toBe(true);
    expect(other.s.confirm).toEqual(NO_CONFIRM);
    expect(other.s.calls).toEqual([]);
  });

  it('a refused submit brings the reviewer back to the item with the draft intact', async () => {
    const { s, d } = desk(['a', 'b'], { a: view('a'), b: view('b') });
    s.drafts.a = { ...violation, rationale: 'typed with care' };
    const answer = deferred<unknown>();
    s.submitAnswer = answer.promise;
    const done = d.submit();
    // The next item is on screen while the core records the verdict.
    await Promise.resolve();
    await Promise.resolve();
    expect(s.selected).toBe('b');
    answer.reject(new Error('the item changed since you opened it (revision 2): look again'));
    await done;
    expect(s.selected).toBe('a');
    expect(s.index).toBe(0);
    expect(s.drafts.a).toEqual({ ...violation, rationale: 'typed with care' });
    expect(s.errors.a).toMatch(/changed since you opened it/);
    expect(s.saved).toEqual([]);
  });

  it('undo restores the undone verdict as the draft and goes back to its item', async () => {
    const { s, d } = desk(['a', 'b'], { a: view('a'), b: view('b') });
    s.selected = 'b';
    s.index = 1;
    s.undoAnswer = { undone: verdict('v1', 'a', { rationale: 'as submitted' }) };
    await d.undo();
    expect(s.selected).toBe('a');
    expect(s.index).toBe(0);
    expect(s.drafts.a).toMatchObject({ decision: 'violation', labels: ['S1'], rationale: 'as submitted', revisionId: 'a-rev1' });
    expect(s.refreshed).toContain('a');
    expect(s.notices).toEqual(['Undid your violation verdict.']);
    s.undoAnswer = null;
    await d.undo();
    expect(s.notices.at(-1)).toBe('Nothing to undo.');
  });

  it('undo waits for a verdict still on its way, then undoes that one', async () => {
    const { s, d } = desk(['a', 'b'], { a: view('a'), b: view('b') });
    s.drafts.a = violation;
    const answer = deferred<unknown>();
    s.submitAnswer = answer.promise;
    const submitted = d.submit();
    await Promise.resolve();
    await Promise.resolve();
    const undone = d.undo();
    await Promise.resolve();
    expect(s.calls.map((c) => c.method)).toEqual(['verdict.submit']);
    s.undoAnswer = { undone: verdict('new', 'a') };
    answer.resolve(verdict('new', 'a'));
    await submitted;
    await undone;
    expect(s.calls.map((c) => c.method)).toEqual(['verdict.submit', 'verdict.undo']);
  });

  it('amend and submit use the settled item, not a stale cached copy from before the last verdict', async () => {
    // The cache still holds "a" as it was before the verdict just recorded; the core has v1.
    const { s, d } = desk(['a'], { a: view('a') });
    s.views = { a: view('a', verdict('v1', 'a')) };
    await d.amendInForce();
    expect(s.drafts.a?.amending).toEqual({ verdictId: 'v1', decidedAt: '2026-12-01T00:00:00Z' });
    expect(s.notices).toEqual([]);
    // Submit likewise sees the verdict in force and asks before replacing it.
    const fresh = desk(['a'], { a: view('a', verdict('v1', 'a')) });
    fresh.s.drafts.a = violation;
    await fresh.d.submit();
    expect(fresh.s.confirm).toEqual({ itemId: 'a', verdictId: 'v1' });
    expect(fresh.s.calls).toEqual([]);
  });

  it('nothing happens when the reviewer moved on before the settled item arrived', async () => {
    const arrival = deferred<ItemView | undefined>();
    const { s, d } = desk(['a', 'b'], {}, () => arrival.promise);
    s.drafts.a = violation;
    const amending = d.amendInForce();
    const submitting = d.submit();
    s.selected = 'b';
    arrival.resolve(view('a', verdict('v1', 'a')));
    await amending;
    await submitting;
    expect(s.drafts.a).toEqual(violation);
    expect([s.notices, s.calls, s.confirm]).toEqual([[], [], NO_CONFIRM]);
  });
});
