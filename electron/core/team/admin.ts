/** Team administration handlers: init (migrations), people, routes. The CLI parses; these act. */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { migrateTeam, type MigrateResult } from '../../../db/team/migrate.ts';
import { addTeamUser, listTeamUsers, setRoute, TEAM_ROLE_NAMES, USER_NAME, type RouteSettings, type TeamRoleName, type TeamUserRow } from '../../../db/team/users.ts';
import { UsageError } from '../util/errors.ts';
import { teamClient } from './connect.ts';
import { teamError } from './errors.ts';

async function withClient<T>(url: string, what: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  let client: pg.Client | null = null;
  try {
    client = await teamClient(url, `verdict ${what}`);
    return await fn(client);
  } catch (err) {
    throw teamError(what, err);
  } finally {
    await client?.end().catch(() => {});
  }
}

export function initTeamDatabase(url: string): Promise<MigrateResult> {
  return withClient(url, 'team init', (c) => migrateTeam(c));
}

const ROUTE = /^[a-z][a-z0-9_-]{0,63}$/;

export interface AddUserResult {
  user: string;
  role: TeamRoleName;
  routes: string[];
  created: boolean;
  /** Set when Verdict generated it: shown once, never stored. */
  generatedPassword: string | null;
}

export async function addTeamMember(
  url: string,
  input: { name: string; role: string; routes: string[]; password?: string | null },
): Promise<AddUserResult> {
  if (!USER_NAME.test(input.name)) throw new UsageError(`user name "${input.name}" must be lowercase letters, digits and _ (PostgreSQL role name), starting with a letter or _`);
  if (!(TEAM_ROLE_NAMES as readonly string[]).includes(input.role)) throw new UsageError(`--role must be one of ${TEAM_ROLE_NAMES.join(', ')}, got "${input.role}"`);
  for (const r of input.routes) if (!ROUTE.test(r)) throw new UsageError(`route "${r}" must be a lowercase name such as trust_safety, clinical or legal`);
  if (input.password !== undefined && input.password !== null && input.password.length < 12) throw new UsageError('the password must have at least 12 characters');
  const generated = input.password ? null : randomBytes(18).toString('base64url');
  const password = input.password || generated!;
  const role = input.role as TeamRoleName;
  const res = await withClient(url, 'team user add', (c) => addTeamUser(c, { name: input.name, role, routes: input.routes, password }));
  return { user: input.name, role, routes: input.routes, created: res.created, generatedPassword: generated };
}

export function listTeamMembers(url: string): Promise<TeamUserRow[]> {
  return withClient(url, 'team user list', (c) => listTeamUsers(c));
}

export function setTeamRoute(url: string, route: string, s: RouteSettings): Promise<void> {
  if (!ROUTE.test(route)) throw new UsageError(`route "${route}" must be a lowercase name such as trust_safety, clinical or legal`);
  return withClient(url, 'team route set', (c) => setRoute(c, route, s));
}
