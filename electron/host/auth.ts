/**
 * Who may use the browser-mode API. Authority is a per-launch token that travels only in the
 * `X-Verdict-Token` request header, which only the app's own script sets: the launch URL hands
 * it over in its fragment (never sent to any server), the page keeps it in sessionStorage for
 * its own origin. Cookies carry no authority: the browser sends cookies for 127.0.0.1 to every
 * port, so a cookie would hand the API to any other local server the reviewer visits.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-verdict-token';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The token from the request header, compared in constant time; nothing else counts. */
export function hasToken(req: IncomingMessage, token: string): boolean {
  const given = req.headers[TOKEN_HEADER];
  if (typeof given !== 'string') return false;
  // Header values arrive as latin1 strings: compare their bytes, whose lengths must match
  // before timingSafeEqual (an "é" is one character but two UTF-8 bytes; the fuzz test found it).
  const a = Buffer.from(given, 'latin1');
  const b = Buffer.from(token, 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The Host header must name this server exactly (a rebound DNS name is refused). */
export function hostMatches(req: IncomingMessage, origin: string): boolean {
  return req.headers.host === origin.slice('http://'.length);
}

/** A browser's cross-origin request says so in Origin; a same-origin or non-browser one may omit it. */
export function originAllowed(req: IncomingMessage, origin: string): boolean {
  const given = req.headers.origin;
  return given === undefined || given === origin;
}

/** API calls carry JSON: a form post or a text/plain "simple request" from another page is refused. */
export function isJson(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  return typeof type === 'string' && /^application\/json\s*(;|$)/i.test(type);
}
