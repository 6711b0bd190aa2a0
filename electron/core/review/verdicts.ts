/**
 * Recording reviewer decisions. Each write is one transaction holding the verdict row, the
 * item's new status, the audit event and the outbox row that sends the verdict back to its
 * source (electron/core/sync); corrections and rationales enter the audit log by sha256 only.
 */
import { createHash } from 'node:crypto';
import { OutboxWriter } from '../../../db/queries/outbox.ts';
import {
  currentVerdict,
  getVerdict,
  insertVerdict,
  isSuperseded,
  lastVerdictBy,
  type Decision,
  type FlagReview,
  type SpanEdit,
  type VerdictKind,
  type VerdictRow,
} from '../../../db/queries/verdicts.ts';
import { revisionCount, type ItemStatus } from '../../../db/queries/items.ts';
import { ReviewStatements, type ReviewItem } from '../../../db/queries/review.ts';
import { revisionFlagCount } from '../../../db/queries/flag-reviews.ts';
import { needsAdjudication } from '../../../db/queries/adjudication.ts';
import { recordRating } from '../../../db/queries/agreement.ts';
import { spanTarget } from '../../../db/queries/span-edits.ts';
import { checkSpanEdits } from './span-edits.ts';
import { newId, nowIso } from '../util/ids.ts';
import { coherenceProblem } from './coherence.ts';
import { DEFAULT_TAXONOMY, type Taxonomy } from './taxonomy.ts';
import { checkRouteFields, routeLabelProblem } from './route-fields.ts';
import { UserError } from '../util/errors.ts';
import { loneSurrogateError, loneSurrogatePath } from '../util/text.ts';
import type { Workspace } from '../workspace/open.ts';
import { writeTransaction } from '../workspace/write-lock.ts';

export interface VerdictInput {
  itemId: string;
  /** The revision the reviewer looked at; a stale one is refused so no one decides on old content. */
  revisionId?: string;
  decision: Decision;
  labels?: string[];
  severity?: string | null;
  correction?: string | null;
  rationale?: string | null;
  routeTo?: string | null;
  /** Accept or reject of each detector flag, by its index in the judged revision's flags. */
  flagReviews?: FlagReview[];
  /** Spans the reviewer added, moved or rejected, in code points of the judged revision's messages. */
  spanEdits?: SpanEdit[];
  /** The item route's structured fields by id (taxonomy routes.<route>.fields); empty values are dropped. */
  routeFields?: Record<string, string>;
  reviewer: string;
  decidedAt?: string;
}

const sha = (s: string | null | undefined) => (s == null ? null : createHash('sha256').update(s).digest('hex'));

function statusFor(decision: Decision | 'retracted', previous: ItemStatus): ItemStatus {
  switch (decision) {
    case 'violation':
    case 'dismiss':
      return 'decided';
    case 'escalate':
      return 'escalated';
    case 'skip':
      // Out of the way, not in review: the queue puts skipped items after the unskipped ones.
      // A conflict (a new revision to look at) stays one, so a skip does not hide it.
      return previous === 'conflict' ? 'conflict' : 'skipped';
    default:
      return previous === 'conflict' ? 'conflict' : 'in_review';
  }
}

type ItemRef = ReviewItem;

const EVENT_VERB: Record<VerdictKind, string> = {
  verdict: 'recorded',
  amendment: 'amended',
  undo: 'undone',
  import: 'imported',
  adjudication: 'adjudicated',
};

export class ReviewService {
  private readonly outbox;
  private readonly stmts;

  constructor(private readonly ws: Workspace) {
    this.stmts = new ReviewStatements(ws.sqlite);
    this.outbox = new OutboxWriter(ws.sqlite);
  }

  private loadItem(itemId: string): ItemRef {
    const row = this.stmts.item(itemId);
    if (!row) throw new UserError(`no item ${itemId}`, 'not_found');
    return row;
  }

  /** Refuses an incoherent verdict (see coherence.ts); the route is the item's own. */
  private checkCoherence(item: ItemRef, input: { decision: Decision | 'retracted'; labels?: string[]; severity?: string | null; routeFields?: Record<string, string> }): void {
    const taxonomy = this.taxonomy();
    const problem = coherenceProblem({ decision: input.decision, labels: input.labels ?? [], severity: input.severity }, item.route, taxonomy);
    if (problem) throw new UserError(problem, 'incoherent_verdict');
    const off = routeLabelProblem(input.labels ?? [], item.route, taxonomy);
    if (off) throw new UserError(off, 'invalid_label');
  }

  private parsedTaxonomy: { raw: string; taxonomy: Taxonomy } | null = null;

  /** The workspace taxonomy, parsed again only when its text changed (each verdict asks up to three times). */
  private taxonomy(): Taxonomy {
    const raw = this.stmts.taxonomyJson();
    if (!raw) return DEFAULT_TAXONOMY;
    if (this.parsedTaxonomy?.raw !== raw) this.parsedTaxonomy = { raw, taxonomy: JSON.parse(raw) as Taxonomy };
    return this.parsedTaxonomy.taxonomy;
  }

  /** One call per flag, each flag of the judged revision: sorted by index, so row and event read the same. */
  private flagReviews(revisionId: string, reviews: FlagReview[] | undefined): FlagReview[] {
    if (!reviews || reviews.length === 0) return [];
    const count = revisionFlagCount(this.ws.sqlite, revisionId);
    const seen = new Set<number>();
    for (const r of reviews) {
      if (!Number.isInteger(r.flag) || r.flag < 0 || r.flag >= count)
        throw new UserError(`flag ${r.flag + 1} does not exist: this revision has ${count} flag${count === 1 ? '' : 's'}`, 'invalid_flag_review');
      if (seen.has(r.flag)) throw new UserError(`flag ${r.flag + 1} is accepted or rejected twice; give one call per flag`, 'invalid_flag_review');
      seen.add(r.flag);
    }
    // Keys in canonical (RFC 8785) order, as the audit event stores them: audit verify compares the texts.
    return [...reviews].sort((a, b) => a.flag - b.flag).map((r) => ({ accepted: r.accepted, flag: r.flag }));
  }

  private write(
    kind: VerdictKind,
    item: ItemRef,
    input: Omit<VerdictInput, 'itemId' | 'decision'> & { decision: Decision | 'retracted' },
    supersedes: string | null,
    nextStatus: ItemStatus,
  ): VerdictRow {
    const lone = loneSurrogatePath({ labels: input.labels ?? [], severity: input.severity, correction: input.correction, rationale: input.rationale, route_to: input.routeTo, reviewer: input.reviewer, span_labels: (input.spanEdits ?? []).map((e) => (e.op === 'add' ? e.label : '')), route_fields: input.routeFields ?? {} });
    if (lone) throw new UserError(loneSurrogateError(lone), 'invalid_text');
    const id = newId();
    const decidedAt = input.decidedAt ?? nowIso();
    const labels = [...new Set(input.labels ?? [])].sort();
    const flagReviews = this.flagReviews(input.revisionId ?? item.revisionId, input.flagReviews);
    const routeFields = input.decision === 'retracted' ? {} : checkRouteFields(input.routeFields, item.route, this.taxonomy());
    const spanEdits = input.spanEdits?.length ? checkSpanEdits(spanTarget(this.ws.sqlite, input.revisionId ?? item.revisionId), input.spanEdits) : [];
    const row: Omit<VerdictRow, 'seq' | 'itemId'> = {
      id,
      itemSeq: item.seq,
      revisionId: input.revisionId ?? item.revisionId,
      kind,
      supersedes,
      reviewer: input.reviewer,
      decision: input.decision,
      routeTo: input.routeTo ?? null,
      labels,
      severity: input.severity ?? null,
      correction: input.correction ?? null,
      rationale: input.rationale ?? null,
      decidedAt,
      // The event is appended right after the row, in this transaction: its seq is the log's size now.
      auditSeq: this.ws.audit.head().size,
      flagReviews,
      spanEdits,
      routeFields,
    };
    const seq = insertVerdict(this.ws.sqlite, row);
    // The item's ratings summary for the agreement statistics, in the same transaction.
    recordRating(this.ws.sqlite, { item: item.seq, route: item.route, kind, supersedes, reviewer: input.reviewer, decision: input.decision, labels: JSON.stringify(labels), at: decidedAt });
    // With the row in place, the one SQL definition says whether reviewers now disagree; the
    // status the event records is the one the item gets.
    const status = kind !== 'adjudication' && needsAdjudication(this.ws.sqlite, item.seq) ? 'disputed' : nextStatus;
    const event = this.ws.audit.append(
      `verdict.${EVENT_VERB[kind]}`,
      {
        verdict_id: id,
        item_id: item.id,
        revision_id: row.revisionId,
        decision: input.decision,
        labels,
        severity: row.severity,
        route_to: row.routeTo,
        correction_sha256: sha(input.correction),
        rationale_sha256: sha(input.rationale),
        supersedes,
        status: { from: item.status, to: status },
        flag_reviews: flagReviews,
        span_edits: spanEdits,
        route_fields: routeFields,
      },
      { actor: input.reviewer, subject: item.id, at: decidedAt },
    );
    if (event.seq !== row.auditSeq) throw new Error(`audit seq ${event.seq} differs from the predicted ${row.auditSeq}`);
    // Same transaction: the verdict and its delivery back to the source commit or vanish together.
    this.outbox.enqueue(id, item.seq, nowIso());
    if (status !== item.status) this.stmts.setStatus(item.seq, status);
    if (input.decision === 'escalate' && input.routeTo && input.routeTo !== item.route) this.stmts.setRoute(item.seq, input.routeTo);
    return { ...row, seq, itemId: item.id };
  }

  submit(input: VerdictInput, kind: 'verdict' | 'import' = 'verdict'): VerdictRow {
    return writeTransaction(this.ws.sqlite, this.ws.path, () => {
      const item = this.loadItem(input.itemId);
      if (input.revisionId && input.revisionId !== item.revisionId && kind === 'verdict') {
        throw new UserError('this item changed while you were reviewing it: a new revision arrived; reopen it to see the difference', 'stale_revision');
      }
      if (input.decision === 'escalate' && !input.routeTo) throw new UserError('an escalation needs a route to send the item to');
      this.checkCoherence(item, input);
      return this.write(kind, item, input, null, statusFor(input.decision, item.status));
    });
  }

  /**
   * The adjudicator's decision on a disputed item: a verdict of kind `adjudication`, in force
   * over the reviewers' (db/queries/in-force.ts), which stay in the record.
   */
  adjudicate(input: VerdictInput): VerdictRow {
    return writeTransaction(this.ws.sqlite, this.ws.path, () => {
      const item = this.loadItem(input.itemId);
      if (!needsAdjudication(this.ws.sqlite, item.seq))
        throw new UserError('this item does not need adjudication: its reviewers agree, or it was already adjudicated', 'conflict');
      if (input.decision === 'skip') throw new UserError('an adjudication decides: choose violation, dismiss or escalate');
      if (input.decision === 'escalate' && !input.routeTo) throw new UserError('an escalation needs a route to send the item to');
      this.checkCoherence(item, input);
      return this.write('adjudication', item, { ...input, revisionId: item.revisionId }, null, statusFor(input.decision, item.status));
    });
  }

  /** Replaces a past verdict with a corrected one; the original stays in the history. */
  amend(verdictId: string, input: Omit<VerdictInput, 'itemId'>): VerdictRow {
    return writeTransaction(this.ws.sqlite, this.ws.path, () => {
      const target = getVerdict(this.ws.sqlite, verdictId);
      if (!target) throw new UserError(`no verdict ${verdictId}`, 'not_found');
      if (target.kind === 'undo') throw new UserError('an undo cannot be amended; record a new verdict instead');
      // Superseded by a row that still stands (an undone amendment puts its target back in force).
      if (isSuperseded(this.ws.sqlite, verdictId)) throw new UserError('this verdict was already amended or undone; amend the latest one', 'conflict');
      const item = this.loadItem(target.itemId);
      if (input.decision === 'escalate' && !input.routeTo) throw new UserError('an escalation needs a route to send the item to');
      this.checkCoherence(item, input);
      return this.write('amendment', item, { ...input, revisionId: target.revisionId }, verdictId, statusFor(input.decision, item.status));
    });
  }

  /** Retracts the reviewer's most recent verdict still in force; the item returns to where it was. */
  undo(reviewer: string): { undone: VerdictRow; undo: VerdictRow } | null {
    return writeTransaction(this.ws.sqlite, this.ws.path, () => {
      const last = lastVerdictBy(this.ws.sqlite, reviewer);
      if (!last) return null;
      const item = this.loadItem(last.itemId);
      // The item goes back to what the verdict before it said, or to the queue.
      const before = currentVerdict(this.ws.sqlite, item.seq, last.id);
      const revisions = revisionCount(this.ws.sqlite, item.seq);
      const status: ItemStatus = before ? statusFor(before.decision, item.status) : revisions > 1 ? 'conflict' : 'new';
      const undo = this.write('undo', item, { decision: 'retracted', reviewer, revisionId: last.revisionId, labels: [] }, last.id, status);
      return { undone: last, undo };
    });
  }
}
