/** PostgreSQL and network failures as one line a person can act on (codes from the pg driver). */
import type { ErrorCode } from '../../shared/models/errors.ts';
import { UserError } from '../util/errors.ts';

export class TeamError extends UserError {
  constructor(
    message: string,
    code: ErrorCode,
    /** True when retrying later may succeed (server restarting, network down). */
    readonly transient: boolean,
  ) {
    super(message, code);
    this.name = 'TeamError';
  }
}

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);

export function teamError(what: string, err: unknown): Error {
  if (err instanceof UserError) return err;
  const e = err as { code?: string; message?: string } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const msg = String(e?.message ?? err).split('\n')[0]!;
  if (/Query read timeout/i.test(msg))
    return new TeamError(`${what}: the team database did not answer in time (network down?); check the network, then try again`, 'team_unreachable', true);
  if (NETWORK.has(code) || /Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(msg))
    return new TeamError(`${what}: cannot reach the team database (${code || msg}); check the URL and the network, then try again`, 'team_unreachable', true);
  // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now: the server restarts.
  if (code.startsWith('57P') || code === '08006' || code === '08003' || code === '08001')
    return new TeamError(`${what}: the team database is restarting or went away (${code}); try again in a moment`, 'team_unreachable', true);
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code))
    return new TeamError(
      `${what}: the server's TLS certificate was not accepted (${code}); give its CA with sslrootcert=/path/ca.pem in the URL, or ask the database's operator`,
      'team_tls',
      false,
    );
  if (code === '28P01' || code === '28000')
    return new TeamError(`${what}: the team database refused the login (${msg}); check the user name and password`, 'team_auth', false);
  if (code === '42501') return new TeamError(`${what}: not allowed: ${msg}`, 'team_forbidden', false);
  if (code === '3D000') return new TeamError(`${what}: ${msg}; create it first (createdb) and run "verdict team init --db URL"`, 'team_no_database', false);
  if (code === '42P01' || code === '3F000' || code === '42883')
    return new TeamError(`${what}: this database has no Verdict team schema (${msg}); run "verdict team init --db URL"`, 'team_not_initialized', false);
  // P0001: a rule of the team database refused the step (RAISE EXCEPTION in db/team), e.g. "item 7
  // is decided: only an open item can be held"; its message already says what to do.
  if (code === 'P0001') return new TeamError(`${what}: ${msg}`, 'conflict', false);
  return err instanceof Error ? err : new Error(msg);
}
