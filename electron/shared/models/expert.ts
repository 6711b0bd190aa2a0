/**
 * Expert review (issue 13) as UI and backend see it: agreement, adjudication, item actions
 * (hold, reopen, gold, consult, reveal) and wellbeing settings. Plain types and one zod schema.
 */
import { z } from 'zod';
import type { HistoryVerdict, VerdictRow } from './review.ts';

/** One figure: the point estimate, its bootstrap interval and the evidence behind it. */
export interface Figure {
  /** null when undefined (fewer than two pairable units, or no variation at all). */
  value: number | null;
  /** 95 % percentile bootstrap interval over units; null when it cannot be formed. */
  ci: [number, number] | null;
  /** Units (items) with at least two ratings: the ones the figure rests on. */
  items: number;
  /** Ratings in those units. */
  ratings: number;
}

export interface AgreementReport {
  method: {
    alpha: 'Krippendorff nominal (missing data allowed)';
    kappa: "Cohen per reviewer pair; Fleiss per route (varying raters per item)";
    interval: string;
    resampling: string;
    resamples: number;
    seed: number;
  };
  items: number;
  ratings: number;
  reviewers: number;
  decisions: string[];
  overall: { alpha: Figure; fleiss: Figure };
  byRoute: { route: string; alpha: Figure; fleiss: Figure }[];
  byLabel: { label: string; alpha: Figure; prevalence: number }[];
  byPair: { a: string; b: string; kappa: Figure; observed: number | null }[];
  byReviewer: { reviewer: string; items: number; agreement: number | null }[];
  byPeriod: { period: string; alpha: Figure }[];
}

export interface AdjudicationQueueRow {
  id: string;
  seq: number;
  route: string;
  priority: number;
  createdAt: string;
  snippet: string;
  reviewers: number;
}

export const ACTION_KINDS = ['hold', 'release', 'reopen', 'gold', 'consult', 'reveal'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export interface ItemActionRow {
  seq: number;
  id: string;
  itemSeq: number;
  kind: ActionKind;
  reason: string | null;
  dueAt: string | null;
  /** Canonical JSON text (keys sorted): for gold {decision, labels}; for hold {from}. */
  data: string;
  actor: string;
  at: string;
  auditSeq: number;
}

export interface HoldRow {
  itemId: string;
  route: string;
  snippet: string;
  reason: string;
  reviewBy: string;
  heldBy: string;
  heldAt: string;
  overdue: boolean;
}

export interface GoldItemRow {
  itemId: string;
  route: string;
  snippet: string;
  decision: string;
  labels: string[];
  markedBy: string;
  markedAt: string;
}

export interface GoldAccuracyRow {
  reviewer: string;
  /** The month of the reviewer's verdicts (YYYY-MM). */
  period: string;
  items: number;
  /** Decision equal to gold. */
  correct: number;
  /** Decision and labels equal to gold. */
  exact: number;
}

export interface AdjudicationSide {
  /** The reviewer's name, or "Reviewer A", "Reviewer B"... on a blind route before the decision. */
  reviewer: string;
  verdict: Omit<HistoryVerdict, 'reviewer'>;
}

export interface AdjudicationView {
  itemId: string;
  route: string;
  status: string;
  needsAdjudication: boolean;
  blind: boolean;
  /** The model output the corrections are diffed against. */
  original: string;
  input: string;
  sides: AdjudicationSide[];
  adjudication: VerdictRow | null;
  /** The item opens masked for this reason (null: not masked). */
  masked: string | null;
  /** Items waiting for adjudication. */
  disputed: number;
}

export interface WellbeingView {
  day: string;
  reviewer: string;
  reveals: number;
  breakAfter: number;
  breakDue: boolean;
  byReviewer: { reviewer: string; reveals: number }[];
}

export interface GoldVerdict {
  decision: 'violation' | 'dismiss' | 'escalate';
  labels: string[];
}

export const expertSettingsSchema = z
  .object({
    /** Routes where the adjudicator sees "Reviewer A/B" until they decide. */
    blindRoutes: z.array(z.string().min(1).max(64)).max(200).default([]),
    /** Content on these routes opens masked. */
    maskedRoutes: z.array(z.string().min(1).max(64)).max(200).default([]),
    /** Content whose flags or verdict labels include one of these opens masked. */
    maskedLabels: z.array(z.string().min(1).max(64)).max(200).default(['S1', 'S4', 'S11']),
    /** Remind the reviewer to take a break after this many reveals in a day (0: never). */
    breakAfter: z.number().int().min(0).max(10_000).default(20),
    /**
     * Per route, the share of the desk's queue that is gold items (0 to 1), mixed in where a
     * reviewer cannot tell them from the rest; on such routes the item view hides gold marks.
     */
    goldRates: z.record(z.string().min(1).max(64), z.number().min(0).max(1)).default({}),
  })
  .strict();

export type ExpertSettings = z.infer<typeof expertSettingsSchema>;

/** Overturned first decisions (by an expert amendment or an adjudication) among reviewed items, with a Wilson 95% interval. */
export interface OverturnFigure {
  reviewed: number;
  overturned: number;
  rate: number | null;
  lo: number | null;
  hi: number | null;
}

export interface OverturnReport {
  /** The days the oversight cube covers (null when nothing is recorded). */
  from: string | null;
  to: string | null;
  rows: (OverturnFigure & { model: string; version: string })[];
  total: OverturnFigure;
}
