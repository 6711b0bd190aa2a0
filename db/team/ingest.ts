/** Records into the team queue, and lines into quarantine: batched through the SQL functions. */
import type pg from 'pg';
import type { Queryable } from './migrate.ts';

export interface TeamRecordRow {
  extId: string;
  source: string;
  route: string;
  priority: number;
  createdAt: string;
  contentSha256: string;
  recordText: string;
}

export type IngestOutcome = 'new' | 'duplicate' | 'revision';

/** One transaction for the batch: the items and their audit leaves commit together. */
export async function ingestTeamRecords(client: pg.ClientBase, rows: TeamRecordRow[]): Promise<IngestOutcome[]> {
  if (rows.length === 0) return [];
  await client.query('BEGIN');
  try {
    const out = await ingestTeamRecordsInTransaction(client, rows);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

/** The same inside the caller's transaction (the inbox processor's). */
export async function ingestTeamRecordsInTransaction(client: pg.ClientBase, rows: TeamRecordRow[]): Promise<IngestOutcome[]> {
  if (rows.length === 0) return [];
  {
    const { rows: out } = await client.query<{ o: IngestOutcome }>(
      `SELECT verdict.ingest_record(e, s, r, p, c, h, t) AS o
       FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::text[], $7::text[]) WITH ORDINALITY AS u(e, s, r, p, c, h, t, n)
       ORDER BY n`,
      [
        rows.map((r) => r.extId),
        rows.map((r) => r.source),
        rows.map((r) => r.route),
        rows.map((r) => r.priority),
        rows.map((r) => r.createdAt),
        rows.map((r) => r.contentSha256),
        rows.map((r) => r.recordText),
      ],
    );
    const routes = [...new Set(rows.map((r) => r.route))];
    for (const r of routes) await client.query("SELECT pg_notify('verdict_queue', json_build_object('route', $1::text, 'itemId', '', 'kind', 'ingested')::text)", [r]);
    return out.map((r) => r.o);
  }
}

export interface QuarantineRow {
  source: string;
  location: string;
  reason: string;
  jsonPath: string;
  raw: string;
}

export async function quarantineTeamLines(db: Queryable, rows: QuarantineRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `SELECT verdict.quarantine_line(s, l, r, j, w) FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(s, l, r, j, w)`,
    [rows.map((r) => r.source), rows.map((r) => r.location), rows.map((r) => r.reason), rows.map((r) => r.jsonPath), rows.map((r) => r.raw)],
  );
}

export interface InboxRow {
  id: string;
  source: string;
  payload: string;
}

/**
 * Takes up to `limit` inbox rows for processing: locked (SKIP LOCKED, so two processors share
 * the inbox) and deleted in the caller's transaction, which also writes their outcome.
 */
export async function takeInbox(client: pg.ClientBase, limit: number): Promise<InboxRow[]> {
  const { rows } = await client.query<InboxRow>(
    `DELETE FROM verdict.inbox WHERE id IN (SELECT id FROM verdict.inbox ORDER BY id LIMIT $1)
     RETURNING id::text, source, payload`,
    [limit],
  );
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}
