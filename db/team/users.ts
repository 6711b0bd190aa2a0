/** People and routes: a PostgreSQL login role per person, in the group role of their Verdict role. */
import type pg from 'pg';
import type { Queryable } from './migrate.ts';
import { scramSha256Verifier } from './scram.ts';

export const TEAM_ROLE_NAMES = ['reviewer', 'expert', 'adjudicator', 'lead', 'data'] as const;
export type TeamRoleName = (typeof TEAM_ROLE_NAMES)[number];

export const USER_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates (or updates) the person's login role, its group membership, the members row and the
 * route memberships, and audits it, in one transaction. Needs an administrator (CREATEROLE).
 */
export async function addTeamUser(
  client: pg.ClientBase,
  user: { name: string; role: TeamRoleName; routes: string[]; password: string },
): Promise<{ created: boolean }> {
  await client.query('BEGIN');
  try {
    const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [user.name])).rowCount === 1;
    // The password never reaches the server: only its SCRAM-SHA-256 verifier, computed here (a
    // server logging statements would otherwise log it). format() quotes the identifier and literal.
    const ddl = exists
      ? "SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', $1::text, $2::text) AS s"
      : "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', $1::text, $2::text) AS s";
    const { rows } = await client.query<{ s: string }>(ddl, [user.name, scramSha256Verifier(user.password)]);
    await client.query(rows[0]!.s);
    for (const g of TEAM_ROLE_NAMES) {
      const q = await client.query<{ s: string }>(`SELECT format('${g === user.role ? 'GRANT' : 'REVOKE'} %I ${g === user.role ? 'TO' : 'FROM'} %I', $1::text, $2::text) AS s`, [`verdict_${g}`, user.name]);
      await client.query(q.rows[0]!.s);
    }
    await client.query(
      `INSERT INTO verdict.members (username, role) VALUES ($1, $2) ON CONFLICT (username) DO UPDATE SET role = EXCLUDED.role`,
      [user.name, user.role],
    );
    await client.query('DELETE FROM verdict.route_members WHERE username = $1', [user.name]);
    for (const r of user.routes) {
      await client.query('SELECT verdict.ensure_route($1)', [r]);
      await client.query('INSERT INTO verdict.route_members (username, route) VALUES ($1, $2)', [user.name, r]);
    }
    await client.query(`SELECT verdict.audit('member.set', $1, jsonb_build_object('role', $2::text, 'routes', $3::jsonb))`, [
      user.name,
      user.role,
      JSON.stringify([...user.routes].sort()),
    ]);
    await client.query('COMMIT');
    return { created: !exists };
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

export interface RouteSettings {
  reviews?: number | null;
  leaseSeconds?: number | null;
  blind?: boolean | null;
}

export async function setRoute(db: Queryable, route: string, s: RouteSettings): Promise<void> {
  await db.query('SELECT verdict.set_route($1, $2, $3, $4)', [route, s.reviews ?? null, s.leaseSeconds ?? null, s.blind ?? null]);
}

export interface TeamUserRow {
  user: string;
  role: string;
  routes: string[];
}

export async function listTeamUsers(db: Queryable): Promise<TeamUserRow[]> {
  const { rows } = await db.query<TeamUserRow>(
    `SELECT m.username::text AS user, m.role, coalesce(array_agg(rm.route ORDER BY rm.route) FILTER (WHERE rm.route IS NOT NULL), '{}') AS routes
     FROM verdict.members m LEFT JOIN verdict.route_members rm ON rm.username = m.username GROUP BY m.username, m.role ORDER BY m.username`,
  );
  return rows;
}
