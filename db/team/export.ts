/**
 * Reads behind an export from the team database: the same row tuples, filters and PII checks
 * as db/queries/export.ts, over `verdict.in_force` (migration 0006, the one definition of the
 * verdict in force on a team item). All reads run inside one REPEATABLE READ snapshot opened
 * by {@link beginExportSnapshot}. Gold items never enter the selection.
 */
import type pg from 'pg';
import type { ExportFilterSql, ExportRowRaw } from '../queries/export.ts';
import type { Queryable } from './migrate.ts';

/**
 * The item's escalation record as SQL `json` (not jsonb: json keeps the stored text's key order
 * and numbers, so the exported bytes match a local export). The one place an export reads
 * record text, which lives in `verdict.item_records` (team migration 0005).
 */
export function itemRecordSql(item: string): string {
  return `((SELECT ir.record_text FROM verdict.item_records ir WHERE ir.item_id = ${item}.id)::json)`;
}

/**
 * The text of revision `revision` of the item: a superseded one from `verdict.item_revisions`
 * (team migration 0009), else the current one. What an exported row carries: the text that
 * was judged, as a local export reads the verdict's own revision.
 */
export function judgedRecordSql(item: string, revision: string): string {
  return `(coalesce((SELECT rv.record_text FROM verdict.item_revisions rv WHERE rv.item_id = ${item}.id AND rv.revision = ${revision}),
    (SELECT ir.record_text FROM verdict.item_records ir WHERE ir.item_id = ${item}.id))::json)`;
}

const REC = 'rec';
/**
 * The item's record joined once per row (LATERAL), so each item's text is read and parsed once.
 * OFFSET 0 keeps the planner from pulling the subquery up: flattened, every `r.rec` became its own
 * lookup and parse of the text (six per exported row, measured with EXPLAIN).
 */
const RECORD_JOIN = `CROSS JOIN LATERAL (SELECT ${itemRecordSql('i')} AS ${REC} OFFSET 0) r`;
/** The record the in-force verdict `v` was made on, joined once per row (OFFSET 0: as above). */
const JUDGED_JOIN = `CROSS JOIN LATERAL (SELECT ${judgedRecordSql('i', 'v.revision')} AS ${REC} OFFSET 0) r`;
const MODEL = `coalesce(r.${REC} -> 'provenance' ->> 'gen_ai.response.model', r.${REC} -> 'provenance' ->> 'gen_ai.request.model')`;
const REQUEST_MODEL = `(r.${REC} -> 'provenance' ->> 'gen_ai.request.model')`;

class Params {
  values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

function itemWhere(f: ExportFilterSql, parts: string[], p: Params): void {
  if (f.routes.length) parts.push(`i.route = ANY (${p.add(f.routes)}::text[])`);
  if (f.models.length) {
    const m = p.add(f.models);
    parts.push(`(${MODEL} = ANY (${m}::text[]) OR ${REQUEST_MODEL} = ANY (${m}::text[]))`);
  }
  if (f.from) parts.push(`i.created_at >= ${p.add(f.from)}::timestamptz`);
  if (f.to) parts.push(`i.created_at < ${p.add(f.to)}::timestamptz`);
}

function verdictWhere(f: ExportFilterSql, parts: string[], p: Params): void {
  if (f.decisions.length) parts.push(`v.decision = ANY (${p.add(f.decisions)}::text[])`);
  if (f.labels.length) parts.push(`v.labels ?| ${p.add(f.labels)}::text[]`);
  if (f.reviewers.length) parts.push(`v.reviewer::text = ANY (${p.add(f.reviewers)}::text[])`);
}

/** The export's view of the database: one read-only REPEATABLE READ snapshot. */
export async function beginExportSnapshot(client: pg.ClientBase): Promise<{ tree: { size: number; root: Buffer }; teamId: string; schemaVersion: number }> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const { rows } = await client.query<{ size: string; root: Buffer; db: string; version: number }>(
    `SELECT t.size::text, t.root, current_database() AS db, (SELECT max(version) FROM verdict.schema_migrations) AS version FROM verdict.audit_tree t`,
  );
  const r = rows[0]!;
  return { tree: { size: Number(r.size), root: r.root }, teamId: `team:${r.db}`, schemaVersion: r.version };
}

export async function endExportSnapshot(client: pg.ClientBase): Promise<void> {
  await client.query('COMMIT');
}

/** Upper bound of the selection (items in the item-level filters with a verdict in force), for progress. */
export async function estimateTeamExportCandidates(db: Queryable, f: ExportFilterSql): Promise<number> {
  const p = new Params();
  const parts: string[] = [];
  itemWhere(f, parts, p);
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM verdict.in_force v JOIN verdict.items i ON i.id = v.item_id ${parts.length ? RECORD_JOIN : ''}
     ${parts.length ? `WHERE ${parts.join(' AND ')}` : ''}`,
    p.values,
  );
  return rows[0]!.n;
}

/** Rows read per query: keyset pages by item id inside the snapshot. */
const PAGE = 2000;

/**
 * The selection in item order as {@link ExportRowRaw} (the same JSON tuple as a local export:
 * item id, route, verdict id, decision, labels, severity, correction (verdict.correct, team
 * migration 0009), revision id, input, output, flags, conversation id, request id, external id,
 * prompt match, span edits (none)), over the text of the revision that was judged, as locally.
 * `conflict` is 1 when the item was revised after its verdict.
 */
export async function* iterateTeamExportRows(client: pg.ClientBase, f: ExportFilterSql, withFlags = false): AsyncGenerator<ExportRowRaw> {
  const p = new Params();
  // Gold items and the private copies of them served to reviewers never enter a dataset.
  const parts: string[] = [
    'NOT EXISTS (SELECT 1 FROM verdict.gold_items g WHERE g.item_id = i.id)',
    'NOT EXISTS (SELECT 1 FROM verdict.gold_serves s WHERE s.copy_item_id = i.id)',
  ];
  itemWhere(f, parts, p);
  verdictWhere(f, parts, p);
  const after = p.add(0);
  const limit = p.add(PAGE);
  const sql = `SELECT i.id::text AS id, (v.revision <> i.revision)::int AS conflict,
      json_build_array(i.id::text, i.route, v.verdict_id::text, v.decision, v.labels, v.severity, v.correction, i.id::text || '@' || v.revision::text,
        r.${REC} -> 'input', r.${REC} -> 'output', r.${REC} -> 'flags',
        r.${REC} -> 'provenance' -> 'gen_ai.conversation.id', r.${REC} -> 'provenance' -> 'request_id', i.ext_id,
        r.${REC} -> 'metadata' -> 'chosen_prompt_matches', json_build_array())::text AS row
      ${withFlags ? `, (r.${REC} -> 'flags')::text AS flags` : ''}
    FROM verdict.in_force v JOIN verdict.items i ON i.id = v.item_id ${JUDGED_JOIN}
    WHERE ${parts.join(' AND ')} AND i.id > ${after}::bigint
    ORDER BY i.id LIMIT ${limit}`;
  let last = '0';
  for (;;) {
    p.values[p.values.length - 2] = last;
    const { rows } = await client.query<{ id: string; conflict: number; row: string; flags?: string | null }>(sql, p.values);
    for (const r of rows) yield withFlags ? [r.conflict, r.row, r.flags ?? null] : [r.conflict, r.row];
    if (rows.length < PAGE) return;
    last = rows[rows.length - 1]!.id;
  }
}

/**
 * Items in the item-level filters with flags that no reviewer resolved (no violation or dismiss
 * verdict in force on the current revision), with their flags JSON text; the caller decides
 * which flags mean PII (as locally).
 */
export async function unresolvedFlaggedTeamItems(db: Queryable, f: ExportFilterSql): Promise<{ itemId: string; flags: string | null }[]> {
  const p = new Params();
  const parts: string[] = [`json_typeof(r.${REC} -> 'flags') = 'array'`, `json_array_length(r.${REC} -> 'flags') > 0`];
  itemWhere(f, parts, p);
  parts.push(`NOT EXISTS (SELECT 1 FROM verdict.in_force v WHERE v.item_id = i.id AND v.revision = i.revision AND v.decision IN ('violation', 'dismiss'))`);
  const { rows } = await db.query<{ itemId: string; flags: string | null }>(
    `SELECT i.id::text AS "itemId", (r.${REC} -> 'flags')::text AS flags FROM verdict.items i ${RECORD_JOIN}
     WHERE ${parts.join(' AND ')} ORDER BY i.id`,
    p.values,
  );
  return rows;
}

/** Appends the `export.created` event (unsequenced); returns the leaf's queue id. */
export async function recordTeamExport(db: Queryable, exportId: string, data: Record<string, unknown>): Promise<string> {
  const { rows } = await db.query<{ id: string }>('SELECT verdict.record_export($1, $2::jsonb)::text AS id', [exportId, JSON.stringify(data)]);
  return rows[0]!.id;
}

export interface TeamLeaf {
  id: string;
  seq: number;
  leafHash: string;
  body: string;
}

/** A sequenced leaf by its queue id, or by its tree position. */
export async function teamLeaf(db: Queryable, by: { id: string } | { seq: number }): Promise<TeamLeaf | undefined> {
  const [col, val] = 'id' in by ? ['id', by.id] : ['seq', String(by.seq)];
  const { rows } = await db.query<{ id: string; seq: string | null; leafHash: Buffer | null; body: string }>(
    `SELECT id::text, seq::text, leaf_hash AS "leafHash", body FROM verdict.audit_log WHERE ${col} = $1::bigint`,
    [val],
  );
  const r = rows[0];
  if (!r || r.seq === null) return undefined;
  return { id: r.id, seq: Number(r.seq), leafHash: r.leafHash ? r.leafHash.toString('hex') : '', body: r.body };
}

const LEAF_CHUNK = 4096;

/** Leaf hashes `from .. size-1` in tree order, a chunk per query (32 bytes each, back to back). */
export async function* teamLeafHashChunks(db: Queryable, size: number, from: number): AsyncGenerator<{ from: number; hashes: Buffer }> {
  for (let at = from; at < size; at += LEAF_CHUNK) {
    const to = Math.min(size, at + LEAF_CHUNK);
    const { rows } = await db.query<{ n: number; hashes: Buffer | null }>(
      `SELECT count(*)::int AS n, string_agg(leaf_hash, ''::bytea ORDER BY seq) AS hashes FROM verdict.audit_sequenced WHERE seq >= $1 AND seq < $2`,
      [at, to],
    );
    const { n, hashes } = rows[0]!;
    if (n !== to - at) throw new Error(`team audit events ${at}..${to - 1}: ${to - at - n} missing`);
    if (!hashes || hashes.length !== n * 32) throw new Error(`team audit events ${at}..${to - 1}: a leaf hash is not 32 bytes`);
    yield { from: at, hashes };
  }
}
