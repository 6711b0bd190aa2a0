/**
 * Every error code that crosses the contract: a closed list, so the renderer can branch on a
 * code and each transport maps every code to its own signal (HTTP status in
 * electron/host/status.ts, exit code in electron/cli/exit-codes.ts; both are exhaustive records,
 * so a new code here fails the typecheck until it has both).
 */
export const ERROR_CODES = [
  // Refused by a transport before any handler ran.
  'unknown_method',
  'invalid_input',
  'invalid_json',
  'bad_request',
  'unauthorized',
  'forbidden',
  'method_not_allowed',
  'too_large',
  'unsupported_media_type',
  'wrong_host',
  /** The database worker stopped (browser mode / desktop). */
  'closed',
  /** The renderer could not reach the host at all. */
  'offline',
  /** A bug: the message is the one line, the stack is in the host's log. */
  'internal',
  // Refused by a handler (UserError): a rule, not a bug.
  'user_error',
  'usage',
  'not_found',
  'busy',
  'conflict',
  'stale_revision',
  'cancelled',
  'incoherent_verdict',
  'invalid_flag_review',
  'invalid_span_edit',
  'invalid_taxonomy',
  'invalid_text',
  'invalid_url',
  'unresolved_pii',
  // The workspace file or the disk (electron/core/util/errors.ts sqliteUserError, workspace/file-check.ts).
  'not_a_workspace',
  'newer_format',
  'newer_schema',
  'damaged',
  /** The workspace's rows no longer match its audit log (audit/replay.ts): changed behind Verdict. */
  'tampered',
  'disk_full',
  'locked',
  'read_only',
  'io_error',
  // Team mode (PostgreSQL): electron/core/team/errors.ts and the team client.
  'not_claimed',
  'already_decided',
  'team_unreachable',
  'team_offline',
  'team_not_configured',
  'invalid_team_url',
  'invalid_team_user',
  'team_auth',
  'team_forbidden',
  'team_no_database',
  'team_not_initialized',
  'exists',
  'write_failed',
  'team_tls',
  'invalid_route_field',
  'invalid_label',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}
