/**
 * The CLI's exit code for every contract error code (exhaustive: a new code fails the typecheck
 * here). 2: the command line itself was wrong; 1: anything else that failed.
 */
import type { ErrorCode } from '../shared/contract.ts';
import { UserError } from '../core/util/errors.ts';

export const EXIT_BY_CODE: Record<ErrorCode, 1 | 2> = {
  usage: 2,
  invalid_input: 2,
  unknown_method: 2,
  invalid_json: 1,
  bad_request: 1,
  unauthorized: 1,
  forbidden: 1,
  method_not_allowed: 1,
  too_large: 1,
  unsupported_media_type: 1,
  wrong_host: 1,
  closed: 1,
  offline: 1,
  internal: 1,
  user_error: 1,
  not_found: 1,
  busy: 1,
  conflict: 1,
  stale_revision: 1,
  cancelled: 1,
  incoherent_verdict: 1,
  invalid_flag_review: 1,
  invalid_span_edit: 1,
  invalid_taxonomy: 1,
  invalid_text: 1,
  invalid_url: 1,
  unresolved_pii: 1,
  not_a_workspace: 1,
  newer_format: 1,
  newer_schema: 1,
  damaged: 1,
  tampered: 1,
  disk_full: 1,
  locked: 1,
  read_only: 1,
  io_error: 1,
  not_claimed: 1,
  already_decided: 1,
  team_unreachable: 1,
  team_offline: 1,
  team_not_configured: 1,
  invalid_team_url: 2,
  invalid_team_user: 2,
  team_auth: 1,
  team_forbidden: 1,
  team_no_database: 1,
  team_not_initialized: 1,
  exists: 1,
  write_failed: 1,
  team_tls: 1,
  invalid_route_field: 1,
  invalid_label: 1,
};

/** A UserError's code decides; any other error is a bug (1). */
export function exitCodeFor(err: unknown): 1 | 2 {
  return err instanceof UserError ? EXIT_BY_CODE[err.code] : 1;
}
