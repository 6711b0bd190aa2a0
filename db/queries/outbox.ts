/**
 * The outbox: one row per verdict, to be delivered back to the source its item came from.
 * `enqueue` runs inside the verdict's transaction; the rest is used by the syncer.
 */
import type Database from 'better-sqlite3';
import type { SourceRow } from './sources.ts';

export const OUTBOX_STATES = ['pending', 'delivered', 'failed', 'no_return_path'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** Source kinds the syncer can write back to; every other kind has no return path. */
export const RETURN_PATH_KINDS: readonly SourceRow['kind'][] = ['jsonl'];

/** One outbox row joined with what its results line needs (all of it immutable). */
export interface OutboxEntry {
  outboxSeq: number;
  verdictId: string;
  kind: 'verdict' | 'amendment' | 'undo' | 'import' | 'adjudication';
  supersedes: string | null;
  decision: string;
  labels: string;
  severity: string | null;
  correction: string | null;
  routeTo: string | null;
  /** JSON text of the per-flag calls ({accepted, flag} sorted by flag), '[]' when none. */
  flagReviews: string;
  reviewer: string;
  decidedAt: string;
  auditSeq: number;
  itemId: string;
  externalId: string;
}

export interface SyncStateRow {
  sourceId: string;
  target: string | null;
  failures: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  lastDeliveredAt: string | null;
}

const KINDS_SQL = RETURN_PATH_KINDS.map((k) => `'${k}'`).join(', ');

/** Prepared once per ReviewService: adds the outbox row for a verdict just inserted. */
export class OutboxWriter {
  private readonly insert: Database.Statement<[string, string, number]>;

  constructor(sqlite: Database.Database) {
    this.insert = sqlite.prepare(
      `INSERT INTO outbox (verdict_id, source_id, state, attempts, created_at)
       SELECT ?, s.id, CASE WHEN s.kind IN (${KINDS_SQL}) THEN 'pending' ELSE 'no_return_path' END, 0, ?
       FROM items i JOIN sources s ON s.id = i.source_id WHERE i.seq = ?`,
    );
  }

  /** Must run in the verdict's transaction. Throws if the item is gone (nothing would be sent). */
  enqueue(verdictId: string, itemSeq: number, at: string): void {
    const info = this.insert.run(verdictId, at, itemSeq);
    if (info.changes !== 1) throw new Error(`outbox: item ${itemSeq} of verdict ${verdictId} has no source`);
  }
}

export class OutboxStatements {
  private readonly due: Database.Statement<[string, number, number], OutboxEntry>;
  private readonly delivered: Database.Statement<[string, number]>;
  private readonly failed: Database.Statement<[string, number]>;
  private readonly counts: Database.Statement<[], { sourceId: string; state: OutboxState; n: number }>;
  private readonly getState: Database.Statement<[string], SyncStateRow>;
  private readonly upsertState: Database.Statement;
  private readonly resetFailed: Database.Statement<[string]>;

  constructor(private readonly sqlite: Database.Database) {
    this.due = sqlite.prepare(
      `SELECT o.seq AS outboxSeq, v.id AS verdictId, v.kind, v.supersedes, v.decision, v.labels, v.severity, v.correction,
         v.route_to AS routeTo, v.flag_reviews AS flagReviews, v.reviewer, v.decided_at AS decidedAt, v.audit_seq AS auditSeq, i.id AS itemId,
         i.external_id AS externalId
       FROM outbox o JOIN verdicts v ON v.id = o.verdict_id JOIN items i ON i.seq = v.item_seq
       WHERE o.source_id = ? AND o.state IN ('pending', 'failed') AND o.seq > ?
       ORDER BY o.seq LIMIT ?`,
    );
    this.delivered = sqlite.prepare(
      `UPDATE outbox SET state = 'delivered', delivered_at = ?, attempts = attempts + 1, last_error = NULL
       WHERE seq = ? AND state IN ('pending', 'failed')`,
    );
    this.failed = sqlite.prepare(
      `UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE seq = ? AND state IN ('pending', 'failed')`,
    );
    this.counts = sqlite.prepare('SELECT source_id AS sourceId, state, count(*) AS n FROM outbox GROUP BY source_id, state');
    this.getState = sqlite.prepare(
      `SELECT source_id AS sourceId, target, failures, next_attempt_at AS nextAttemptAt, last_attempt_at AS lastAttemptAt,
         last_error AS lastError, last_delivered_at AS lastDeliveredAt
       FROM sync_state WHERE source_id = ?`,
    );
    this.upsertState = sqlite.prepare(
      `INSERT INTO sync_state (source_id, target, failures, next_attempt_at, last_attempt_at, last_error, last_delivered_at)
       VALUES (@sourceId, @target, @failures, @nextAttemptAt, @lastAttemptAt, @lastError, @lastDeliveredAt)
       ON CONFLICT (source_id) DO UPDATE SET target = excluded.target, failures = excluded.failures,
         next_attempt_at = excluded.next_attempt_at, last_attempt_at = excluded.last_attempt_at,
         last_error = excluded.last_error, last_delivered_at = excluded.last_delivered_at`,
    );
    this.resetFailed = sqlite.prepare("UPDATE outbox SET state = 'pending' WHERE source_id = ? AND state = 'failed'");
  }

  /** Undelivered rows of a source after `afterSeq`, oldest first (uses the partial index). */
  dueEntries(sourceId: string, afterSeq: number, limit: number): OutboxEntry[] {
    return this.due.all(sourceId, afterSeq, limit);
  }

  /** Returns how many rows changed state (fewer than given if another syncer got there first). */
  markDelivered(seqs: readonly number[], at: string): number {
    let n = 0;
    for (const s of seqs) n += this.delivered.run(at, s).changes;
    return n;
  }

  markFailed(seqs: readonly number[], error: string): number {
    let n = 0;
    for (const s of seqs) n += this.failed.run(error, s).changes;
    return n;
  }

  /** failed → pending for one source; the number of rows reset. */
  resetFailedRows(sourceId: string): number {
    return this.resetFailed.run(sourceId).changes;
  }

  /** Rows per source and state. */
  countsBySource(): Map<string, Record<OutboxState, number>> {
    const out = new Map<string, Record<OutboxState, number>>();
    for (const r of this.counts.all()) {
      let c = out.get(r.sourceId);
      if (!c) out.set(r.sourceId, (c = { pending: 0, delivered: 0, failed: 0, no_return_path: 0 }));
      c[r.state] = r.n;
    }
    return out;
  }

  state(sourceId: string): SyncStateRow {
    return (
      this.getState.get(sourceId) ?? {
        sourceId,
        target: null,
        failures: 0,
        nextAttemptAt: null,
        lastAttemptAt: null,
        lastError: null,
        lastDeliveredAt: null,
      }
    );
  }

  saveState(s: SyncStateRow): void {
    this.upsertState.run(s);
  }

  /** True when the workspace has rows this source could still deliver. */
  hasDue(sourceId: string): boolean {
    return this.dueEntries(sourceId, 0, 1).length > 0;
  }
}
