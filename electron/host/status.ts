/**
 * HTTP status codes for the browser-mode API. The body is always the contract's
 * `{ ok: false, error: { code, message } }`, which the renderer reads whatever the status.
 */
import type { ServerResponse } from 'node:http';

const STATUS_BY_CODE: Record<string, number> = {
  invalid_input: 400,
  invalid_json: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  unknown_method: 404,
  method_not_allowed: 405,
  busy: 409,
  conflict: 409,
  stale_revision: 409,
  too_large: 413,
  unsupported_media_type: 415,
  wrong_host: 421,
  internal: 500,
  closed: 503,
};

/** Any other refusal from the core (a UserError) is a rule violated by a well-formed request. */
export function statusFor(code: string): number {
  return STATUS_BY_CODE[code] ?? 422;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.destroy();
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, code: string, message: string, status = statusFor(code)): void {
  sendJson(res, status, { ok: false, error: { code, message } });
}
