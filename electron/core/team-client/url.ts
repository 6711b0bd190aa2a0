/**
 * The saved team connection: a postgres:// URL without a password, and a user. The password is
 * never part of what is saved or shown (it lives in the keychain or in memory only).
 */
import { UserError } from '../util/errors.ts';

export interface TeamTarget {
  /** The URL as saved and shown: no user, no password. */
  url: string;
  user: string;
  /** Identifies this team database and user in the local outbox. */
  key: string;
}

const USER_RE = /^[A-Za-z_][A-Za-z0-9_.-]{0,62}$/;

export function teamTarget(rawUrl: string, rawUser: string): TeamTarget {
  let u: URL;
  try {
    u = new URL(rawUrl.trim());
  } catch {
    throw new UserError('the team URL is not a URL: use postgres://HOST:PORT/DATABASE', 'invalid_team_url');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    throw new UserError('the team URL must start with postgres:// (e.g. postgres://db.example.org:5432/verdict)', 'invalid_team_url');
  if (u.password) throw new UserError('the team URL must not hold a password: type it in the password field, where it goes to the keychain', 'invalid_team_url');
  if (!u.hostname) throw new UserError('the team URL has no host: use postgres://HOST:PORT/DATABASE', 'invalid_team_url');
  const user = (rawUser.trim() || decodeURIComponent(u.username)).trim();
  if (!USER_RE.test(user)) throw new UserError('the user name is not a PostgreSQL role name (letters, digits, _ . -; up to 63)', 'invalid_team_user');
  u.username = '';
  u.password = '';
  const url = u.toString();
  return { url, user, key: `${user}@${url}` };
}

/** The connection string handed to the driver: the saved URL with user and password filled in. */
export function connectionString(t: TeamTarget, password: string | null): string {
  const u = new URL(t.url);
  u.username = encodeURIComponent(t.user);
  if (password) u.password = encodeURIComponent(password);
  return u.toString();
}
