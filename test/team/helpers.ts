/** Team database fixtures: a migrated database, people with passwords, and records to ingest. */
import pg from 'pg';
import { migrateTeam } from '../../db/team/migrate.ts';
import { addTeamUser, setRoute, type TeamRoleName } from '../../db/team/users.ts';
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
