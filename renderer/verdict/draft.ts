/**
 * Draft verdicts, one per item, kept until they are submitted: switching items, an error or a
 * stale revision never loses what the reviewer typed.
 */
import { create } from 'zustand';
import type { SpanEdit, VerdictRow } from '../../electron/shared/contract.ts';

export type Decision = 'violation' | 'dismiss' | 'escalate' | 'skip';
export type Severity = 'low' | 'medium' | 'high' | 'critical';

export interface Draft {
  decision: Decision | null;
  labels: string[];
  severity: Severity | null;
  /** null = unchanged from the original output. */
  correction: string | null;
  rationale: string;
  routeTo: string | null;
  /** Set when the form amends a past verdict instead of recording a new one. */
  amending: { verdictId: string; decidedAt: string } | null;
  showDiff: boolean;
  /** The revision on screen when the reviewer started this draft: the verdict is about it. */
  revisionId: string | null;
  /** Per-flag calls by flag index: true = the detector was right, false = a false positive. */
  flagReviews: Record<number, boolean>;
  /** The flag `y` / `b` act on. */
  flagCursor: number;
  /** Labels preselected from the detectors' flags that the reviewer has not touched yet (shown as suggestions). */
  suggested: string[];
  /** Spans added, moved or rejected (code points of the judged revision's messages). */
  spanEdits: SpanEdit[];
  /** Text picked in a message (by mouse, or found by typing) waiting for a label to become a span. */
  spanPick: SpanPick | null;
  /** The route's structured fields by id (taxonomy routes.<route>.fields). */
  routeFields: Record<string, string>;
}

export interface SpanPick {
  field: string;
  start: number;
  end: number;
}

export const EMPTY_DRAFT: Draft = {
  decision: null,
  labels: [],
  severity: null,
  correction: null,
  rationale: '',
  routeTo: null,
  amending: null,
  showDiff: false,
  revisionId: null,
  flagReviews: {},
  flagCursor: 0,
  suggested: [],
  spanEdits: [],
  spanPick: null,
  routeFields: {},
};

/** A new draft for an item whose flags suggest labels: preselected, and marked as suggestions. */
export function seededDraft(suggested: string[]): Draft {
  return suggested.length === 0 ? EMPTY_DRAFT : { ...EMPTY_DRAFT, labels: [...suggested], suggested: [...suggested] };
}

/** The draft's flag calls as the contract takes them. */
export function flagReviewList(d: Draft): { flag: number; accepted: boolean }[] {
  return Object.entries(d.flagReviews).map(([flag, accepted]) => ({ flag: Number(flag), accepted }));
}

/** A verdict's flag calls back into a draft. */
export function flagReviewMap(list: { flag: number; accepted: boolean }[]): Record<number, boolean> {
  return Object.fromEntries(list.map((r) => [r.flag, r.accepted]));
}

interface DraftState {
  drafts: Record<string, Draft>;
  /** Inline errors per item (kept beside the draft, cleared on the next edit or success). */
  errors: Record<string, string>;
  /** 'input': the form is incomplete (nothing to reload); 'core': the core refused the verdict. */
  errorKinds: Record<string, 'input' | 'core'>;
  update(itemId: string, patch: Partial<Draft>): void;
  toggleLabel(itemId: string, label: string): void;
  loadForAmend(itemId: string, v: VerdictRow): void;
  clear(itemId: string): void;
  setError(itemId: string, message: string | null, kind?: 'input' | 'core'): void;
}

const withDraft = (s: DraftState, id: string) => s.drafts[id] ?? EMPTY_DRAFT;

export const useDrafts = create<DraftState>()((set) => ({
  drafts: {},
  errors: {},
  errorKinds: {},
  update: (itemId, patch) => set((s) => ({ drafts: { ...s.drafts, [itemId]: { ...withDraft(s, itemId), ...patch } } })),
  toggleLabel: (itemId, label) =>
    set((s) => {
      const d = withDraft(s, itemId);
      const labels = d.labels.includes(label) ? d.labels.filter((l) => l !== label) : [...d.labels, label];
      // Touching a suggested label makes it the reviewer's call either way.
      const suggested = d.suggested.filter((l) => l !== label);
      return { drafts: { ...s.drafts, [itemId]: { ...d, labels, suggested } } };
    }),
  loadForAmend: (itemId, v) =>
    set((s) => ({
      drafts: {
        ...s.drafts,
        [itemId]: {
          decision: v.decision === 'retracted' ? null : v.decision,
          labels: [...v.labels],
          severity: (v.severity as Severity | null) ?? null,
          correction: v.correction,
          rationale: v.rationale ?? '',
          routeTo: v.routeTo,
          amending: { verdictId: v.id, decidedAt: v.decidedAt },
          showDiff: false,
          revisionId: v.revisionId,
          flagReviews: flagReviewMap(v.flagReviews),
          flagCursor: 0,
          suggested: [],
          spanEdits: [...v.spanEdits],
          spanPick: null,
          routeFields: { ...v.routeFields },
        },
      },
      errors: { ...s.errors, [itemId]: '' },
    })),
  clear: (itemId) =>
    set((s) => {
      const drafts = { ...s.drafts };
      delete drafts[itemId];
      const errors = { ...s.errors };
      delete errors[itemId];
      return { drafts, errors };
    }),
  setError: (itemId, message, kind = 'core') =>
    set((s) => ({ errors: { ...s.errors, [itemId]: message ?? '' }, errorKinds: { ...s.errorKinds, [itemId]: kind } })),
}));

export function useDraft(itemId: string | null, suggested: string[] = []): Draft {
  const stored = useDrafts((s) => (itemId ? s.drafts[itemId] : undefined));
  return stored ?? seededDraft(suggested);
}
