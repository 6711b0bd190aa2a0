/**
 * HTTP status codes for the browser-mode API. The body is always the contract's
 * `{ ok: false, error: { code, message } }`, which the renderer reads whatever the status.
 */
import type { ServerResponse } from 'node:http';
import type { ErrorCode } from '../shared/contract.ts';

/**
 * Every contract error code to its status (exhaustive: a new code fails the typecheck here). A
 * refusal from the core for a well-formed request (a rule it breaks) is 422.
 */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  invalid_input: 400,
  invalid_json: 400,
  bad_request: 400,
  usage: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  unknown_method: 404,
  method_not_allowed: 405,
  busy: 409,
  conflict: 409,
  stale_revision: 409,
  cancelled: 409,
  too_large: 413,
  unsupported_media_type: 415,
  wrong_host: 421,
  user_error: 422,
  incoherent_verdict: 422,
  invalid_flag_review: 422,
  invalid_span_edit: 422,
  invalid_taxonomy: 422,
  invalid_text: 422,
  invalid_url: 422,
  unresolved_pii: 422,
  not_a_workspace: 422,
  newer_format: 422,
  newer_schema: 422,
  damaged: 422,
  tampered: 422,
  disk_full: 422,
  locked: 422,
  read_only: 422,
  io_error: 422,
  not_claimed: 409,
  already_decided: 409,
  team_unreachable: 503,
  team_offline: 503,
  team_not_configured: 422,
  invalid_team_url: 400,
  invalid_team_user: 400,
  team_auth: 422,
  team_forbidden: 422,
  team_no_database: 422,
  team_not_initialized: 422,
  internal: 500,
  closed: 503,
  offline: 503,
  exists: 409,
  write_failed: 422,
  team_tls: 422,
  invalid_route_field: 422,
  invalid_label: 422,
};

export function statusFor(code: ErrorCode): number {
  return STATUS_BY_CODE[code] ?? 500;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.destroy();
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, code: ErrorCode, message: string, status = statusFor(code)): void {
  sendJson(res, status, { ok: false, error: { code, message } });
}
