/**
 * The results line a source receives for each verdict (documented in README-format.md). The
 * line is built from immutable rows, so every re-delivery of a verdict is byte-identical.
 */
import type { OutboxEntry } from '../../../db/queries/outbox.ts';

export interface ResultLine {
  /** The source's own id for the item (the record's `id`). */
  item_id: string;
  /** Verdict's id for the item (UUIDv7). */
  verdict_item_id: string;
  /** Idempotency key: a consumer keeps the first line it sees for each verdict_id. */
  verdict_id: string;
  kind: 'verdict' | 'amendment' | 'undo' | 'import' | 'adjudication';
  supersedes: string | null;
  decision: 'violation' | 'dismiss' | 'escalate' | 'skip' | 'retracted';
  labels: string[];
  severity: string | null;
  correction: string | null;
  route_to: string | null;
  /** The reviewer's accept/reject of each detector flag (index in the judged revision's flags), so an import elsewhere keeps them. */
  flag_reviews: { accepted: boolean; flag: number }[];
  reviewer: string;
  decided_at: string;
  /** The verdict's event in the workspace audit log (RFC 6962 leaf index). */
  audit_leaf_index: number;
}

export function resultLine(e: OutboxEntry): ResultLine {
  return {
    item_id: e.externalId,
    verdict_item_id: e.itemId,
    verdict_id: e.verdictId,
    kind: e.kind,
    supersedes: e.supersedes,
    decision: e.decision as ResultLine['decision'],
    labels: JSON.parse(e.labels) as string[],
    severity: e.severity,
    correction: e.correction,
    route_to: e.routeTo,
    flag_reviews: JSON.parse(e.flagReviews) as ResultLine['flag_reviews'],
    reviewer: e.reviewer,
    decided_at: e.decidedAt,
    audit_leaf_index: e.auditSeq,
  };
}

/** One JSONL line, newline included. */
export function encodeResultLine(e: OutboxEntry): string {
  return `${JSON.stringify(resultLine(e))}\n`;
}
