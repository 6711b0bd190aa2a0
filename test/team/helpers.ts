/** Team database fixtures: a migrated database, people with passwords, and records to ingest. */
import pg from 'pg';
import { expect } from 'vitest';
import { ingestTeamRecords } from '../../db/team/ingest.ts';
import { migrateTeam } from '../../db/team/migrate.ts';
import { addTeamUser, setRoute, type TeamRoleName } from '../../db/team/users.ts';
import { validateForTeam } from '../../electron/core/team/ingest.ts';
import type { PgCluster } from '../support/pg.ts';

export async function initTeam(c: PgCluster): Promise<void> {
  const client = await c.adminPool.connect();
  try {
    await migrateTeam(client);
  } finally {
    client.release();
  }
}

export async function addUser(c: PgCluster, name: string, role: TeamRoleName, routes: string[]): Promise<string> {
  const password = `pw-${name}-secret`;
  const client = await c.adminPool.connect();
  try {
    await addTeamUser(client, { name, role, routes, password });
  } finally {
    client.release();
  }
  return c.urlFor(name, password);
}

export async function route(c: PgCluster, name: string, reviews: number, leaseSeconds = 600, blind = true): Promise<void> {
  await setRoute(c.adminPool, name, { reviews, leaseSeconds, blind });
}

export function record(id: string, routeName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    created_at: '2026-11-01T10:00:00Z',
    route: routeName,
    priority: 'normal',
    input: { messages: [{ role: 'user', content: `question ${id}` }] },
    output: { messages: [{ role: 'assistant', content: `answer ${id}` }] },
    flags: [{ source: 'detector', category: 'harm', score: 0.9 }],
    ...extra,
  };
}

/** A client connected as one person (plain SQL, the psql view). */
export async function as(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

/**
 * The sequencer (team migration 0013) reads a leaf's item id from the tail of its body: jsonb text
 * orders keys by length, so the top-level "subject", the longest key today, comes last. A leaf with
 * a longer top-level key would silently stop its route's queue notifications. Every leaf whose
 * subject is an item id, by type, found the way the sequencer looks for it.
 */
export async function expectSubjectsAtTail(q: Pick<pg.Client, 'query'>): Promise<void> {
  const { rows } = await q.query<{ type: string; n: number; found: number }>(`
    SELECT type, count(*)::int AS n,
      count(*) FILTER (WHERE length(tail) BETWEEN 3 AND 20 AND ltrim(tail, '0123456789') = '"}' AND left(tail, -2) = subject)::int AS found
    FROM (SELECT body::jsonb ->> 'type' AS type, body::jsonb ->> 'subject' AS subject, split_part(body, '"subject": "', 2) AS tail
          FROM verdict.audit_leaves) l
    WHERE subject ~ '^[0-9]{1,18}$' GROUP BY type ORDER BY type`);
  expect(rows.length).toBeGreaterThan(2);
  expect(rows.filter((r) => r.found !== r.n)).toEqual([]);
}

/** Ingests one record per [id, route] pair as the file `file` (a migration test's data at an older version). */
export async function ingestPairs(c: PgCluster, file: string, pairs: [string, string][]): Promise<void> {
  const rows = pairs.map(([id, r]) => {
    const o = validateForTeam(JSON.stringify(record(id, r)), file, id);
    if (!o.ok) throw new Error(o.q.reason);
    return o.row;
  });
  const pc = await c.adminPool.connect();
  try {
    await ingestTeamRecords(pc, rows);
  } finally {
    pc.release();
  }
}
