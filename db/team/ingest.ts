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

/**
 * The same inside the caller's transaction (the inbox processor's). A record id seen twice in
 * one batch splits it, so each bulk call holds an id once and the second copy is judged
 * (duplicate or revision) against the first.
 */
export async function ingestTeamRecordsInTransaction(client: pg.ClientBase, rows: TeamRecordRow[]): Promise<IngestOutcome[]> {
  const out: IngestOutcome[] = [];
  let part: TeamRecordRow[] = [];
  let seen = new Set<string>();
  const flush = async () => {
    if (part.length === 0) return;
    const { rows: res } = await client.query<{ o: IngestOutcome }>(
      `SELECT outcome AS o FROM verdict.ingest_records($1::text[], $2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::text[], $7::text[]) ORDER BY n`,
      [
        part.map((r) => r.extId),
        part.map((r) => r.source),
        part.map((r) => r.route),
        part.map((r) => r.priority),
        part.map((r) => r.createdAt),
        part.map((r) => r.contentSha256),
        part.map((r) => r.recordText),
      ],
    );
    out.push(...res.map((r) => r.o));
    part = [];
    seen = new Set();
  };
  for (const r of rows) {
    if (seen.has(r.extId)) await flush();
    part.push(r);
    seen.add(r.extId);
  }
  await flush();
  const routes = [...new Set(rows.map((r) => r.route))];
  for (const r of routes) await client.query("SELECT pg_notify('verdict_queue', json_build_object('route', $1::text, 'itemId', '', 'kind', 'ingested')::text)", [r]);
  return out;
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
