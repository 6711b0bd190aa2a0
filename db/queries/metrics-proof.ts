/**
 * The audit proof the metric upkeep records with each item's verdict in force (migration 0013),
 * and the report's reads of it. The upkeep re-hashes the verdict's audit event once, when it
 * records the verdict; the report then proves a range's counted verdicts from two indexes
 * (metric_items_day and audit_events_leaf) without reading an event body.
 */
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';

const LEAF_PREFIX = Buffer.from([0]);

/** The SQL function the upkeep calls (registered on every connection where the workspace is opened). */
export const AUDIT_LEAF_FN = 'verdict_audit_leaf';

/**
 * The event's leaf hash if its body hashes to it (RFC 6962 leaf: sha256(0x00 || body)) and names
 * the verdict (canonical JSON: `"verdict_id":"<id>"` appears exactly so); '' otherwise.
 */
export function auditLeafOf(body: unknown, leaf: unknown, verdictId: unknown): string {
  if (body === null || body === undefined || typeof leaf !== 'string' || typeof verdictId !== 'string') return '';
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(String(body), 'utf8');
  if (createHash('sha256').update(LEAF_PREFIX).update(bytes).digest('hex') !== leaf) return '';
  return bytes.includes(`"verdict_id":${JSON.stringify(verdictId)}`, 0, 'utf8') ? leaf : '';
}

export function registerAuditLeafFunction(sqlite: Database.Database): void {
  sqlite.function(AUDIT_LEAF_FN, { deterministic: true }, auditLeafOf);
}

/**
 * `audit_seq, audit_leaf` of verdict row `v` (audit_leaf '' when its event is missing or does not
 * check out), for a query that has the verdict's row already.
 */
export function proofOfRowSql(v: string): string {
  return `${v}.audit_seq, coalesce((SELECT ${AUDIT_LEAF_FN}(CAST(a.body AS BLOB), a.leaf_hash, ${v}.id) FROM audit_events a WHERE a.seq = ${v}.audit_seq), '')`;
}

export interface CountedProof {
  auditSeq: number | null;
  /** The leaf the upkeep checked ('' when the event did not check out then; null before it looked). */
  leaf: string | null;
  verdictSeq: number;
}

/**
 * The proof rows of a range's counted verdicts (decided items' verdicts in force), in audit order,
 * from the covering index alone. `where`/`params` are the range's metric_items predicate.
 */
export function countedProofs(sqlite: Database.Database, where: string, params: unknown[]): CountedProof[] {
  const rows = sqlite
    .prepare(
      `SELECT audit_seq AS auditSeq, audit_leaf AS leaf, verdict_seq AS verdictSeq FROM metric_items INDEXED BY metric_items_day
       WHERE ${where} AND verdict_seq IS NOT NULL`,
    )
    .raw()
    .all(...params) as [number | null, string | null, number][];
  const out = rows.map(([auditSeq, leaf, verdictSeq]) => ({ auditSeq, leaf, verdictSeq }));
  // Sorting here is cheaper than a temp b-tree; rows without an audit seq sort first.
  return out.sort((a, b) => (a.auditSeq ?? -1) - (b.auditSeq ?? -1));
}

/** Stored leaf hashes with seq in [from, to], in log order, from the (seq, leaf_hash) index (no body read). */
export function auditLeafHashesBetween(sqlite: Database.Database, from: number, to: number): IterableIterator<[number, string]> {
  return sqlite
    .prepare('SELECT seq, leaf_hash FROM audit_events INDEXED BY audit_events_leaf WHERE seq BETWEEN ? AND ? ORDER BY seq')
    .raw()
    .iterate(from, to) as IterableIterator<[number, string]>;
}

/** One event's body as bytes and its stored leaf hash (the report's sampled re-hash). */
export function auditEventBody(sqlite: Database.Database): (seq: number) => { body: Buffer; leafHash: string } | undefined {
  const get = sqlite.prepare('SELECT CAST(body AS BLOB) AS body, leaf_hash AS leafHash FROM audit_events WHERE seq = ?');
  return (seq) => get.get(seq) as { body: Buffer; leafHash: string } | undefined;
}

/** Verdict ids by seq (the few the report names as not proven). */
export function verdictIdOf(sqlite: Database.Database): (seq: number) => string {
  const get = sqlite.prepare('SELECT id FROM verdicts WHERE seq = ?').pluck();
  return (seq) => (get.get(seq) as string | undefined) ?? `verdict #${seq}`;
}

/** Brings the proof columns of rows decided before migration 0013 up to date, `chunk` items per step. */
export function backfillProofs(sqlite: Database.Database, chunk: number): void {
  const mark = (key: string) => Number(sqlite.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) ?? 0);
  const to = mark('metrics_proof_backfill_to');
  if (mark('metrics_proof_backfill_at') >= to) return;
  const fill = sqlite.prepare(
    `UPDATE metric_items SET (audit_seq, audit_leaf) = (SELECT ${proofOfRowSql('v')} FROM verdicts v WHERE v.seq = metric_items.verdict_seq)
     WHERE item_seq > ? AND item_seq <= ? AND verdict_seq IS NOT NULL AND audit_leaf IS NULL`,
  );
  const save = sqlite.prepare("INSERT INTO meta (key, value) VALUES ('metrics_proof_backfill_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  const step = sqlite.transaction((from: number): number => {
    const next = Math.min(to, from + chunk);
    fill.run(from, next);
    save.run(String(next));
    return next;
  });
  for (let at = mark('metrics_proof_backfill_at'); at < to; ) at = step.immediate(at);
}
