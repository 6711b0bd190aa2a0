/**
 * Browser mode: the same renderer and the same contract served on 127.0.0.1.
 *
 * - The API demands the per-launch token in the X-Verdict-Token header (see auth.ts); no
 *   cookie is set or read, so nothing the browser sends to other local ports opens the API.
 * - The Host header must be ours (DNS rebinding), a browser Origin must be ours, calls are JSON.
 * - Every request path is wrapped: malformed input is a 4xx or a closed connection, never a
 *   crash. API errors carry the contract's JSON error body with a matching status code.
 * - The static files (the app's public code, no data) need no token: a page load cannot carry a
 *   header, and the token reaches the page in the URL fragment instead.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { EventName } from '../shared/contract.ts';
import { hasToken, hostMatches, isJson, newToken, originAllowed } from './auth.ts';
import { readBody } from './body.ts';
import { CSP } from './csp.ts';
import { dispatch, type Backend } from './dispatch.ts';
import { sendError, sendJson, statusFor } from './status.ts';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** More event streams than this at once is not a reviewer's browser. */
const MAX_EVENT_STREAMS = 32;

export interface HostOptions {
  backend: Backend & { onEvent(l: (event: EventName, payload: unknown) => void): () => void };
  staticDir: string;
  port?: number;
  token?: string;
  /** Where unexpected errors go (stderr by default); tests pass their own. */
  log?: (message: string) => void;
}

export interface RunningHost {
  /** The launch URL: the token rides in the fragment, which browsers never send to a server. */
  url: string;
  origin: string;
  token: string;
  server: Server;
  close(): Promise<void>;
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), clipboard-read=()');
}

function sendText(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) return void res.destroy();
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}

/**
 * The path of an origin-form request target ("/a/b?c"), or null for anything else: the
 * absolute form ("http://host/..."), "*", the authority form, or a target URL cannot parse.
 */
export function requestPath(target: string | undefined): string | null {
  if (!target || target[0] !== '/' || target.startsWith('//')) return null;
  try {
    return new URL(target, 'http://127.0.0.1').pathname;
  } catch {
    return null;
  }
}

/** Percent-decoding that reports failure (bad escapes, invalid UTF-8, NUL) instead of throwing. */
function decodePath(path: string): string | null {
  try {
    const decoded = decodeURIComponent(path);
    return decoded.includes('\0') ? null : decoded;
  } catch {
    return null;
  }
}

function notAllowed(res: ServerResponse, allow: string, message: string): void {
  res.setHeader('Allow', allow);
  sendError(res, 'method_not_allowed', message);
}

const CLIENT_ERROR_STATUS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
  HPE_HEADERS_TIMEOUT: '408 Request Timeout',
};

/** What Node's parser refuses (bad request line, TLS bytes, negative lengths…): a 4xx, then close. */
function onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  const status = CLIENT_ERROR_STATUS[err.code ?? ''] ?? '400 Bad Request';
  if (socket.writable && err.code !== 'ECONNRESET') socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroySoon?.();
}

export function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? newToken();
  const root = normalize(options.staticDir);
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const streams = new Set<ServerResponse>();
  let origin = '';

  const unsubscribe = options.backend.onEvent((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const s of streams) s.write(frame);
  });

  const openEvents = (req: IncomingMessage, res: ServerResponse) => {
    if (streams.size >= MAX_EVENT_STREAMS) return sendError(res, 'busy', 'too many event streams are open', 503);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    res.write(': connected\n\n');
    streams.add(res);
    const drop = () => streams.delete(res);
    req.on('close', drop);
    res.on('error', drop);
  };

  const api = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (!hasToken(req, token)) return sendError(res, 'unauthorized', 'not authorized: open the URL Verdict printed (the token travels in its #fragment)');
    if (path === '/api/events') {
      if (req.method !== 'GET') return notAllowed(res, 'GET', 'use GET for /api/events');
      return openEvents(req, res);
    }
    if (!path.startsWith('/api/call/')) return sendError(res, 'not_found', `no API endpoint ${path.slice(0, 80)}`);
    if (req.method !== 'POST') return notAllowed(res, 'POST', 'API calls are POST requests');
    if (!originAllowed(req, origin)) return sendError(res, 'forbidden', 'cross-origin call refused');
    if (!isJson(req)) return sendError(res, 'unsupported_media_type', 'API calls take Content-Type: application/json');
    const body = await readBody(req);
    if (!body.ok) {
      if (body.reason === 'aborted') return void res.destroy();
      if (!body.drained) res.setHeader('Connection', 'close');
      return body.reason === 'too_large'
        ? sendError(res, 'too_large', 'the request body is larger than 2 MiB')
        : sendError(res, 'invalid_json', 'the request body is not valid UTF-8');
    }
    let input: unknown;
    try {
      input = body.text.trim() === '' ? {} : JSON.parse(body.text);
    } catch (err) {
      return sendError(res, 'invalid_json', `the request body is not JSON: ${(err as Error).message}`);
    }
    const result = await dispatch(options.backend, path.slice('/api/call/'.length), input);
    sendJson(res, result.ok ? 200 : statusFor(result.error.code), result);
  };

  const files = async (req: IncomingMessage, res: ServerResponse, rawPath: string) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'method not allowed');
    }
    let path = decodePath(rawPath);
    if (path === null) return sendText(res, 400, 'bad path');
    if (path === '/' || !extname(path)) path = '/index.html';
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep)) return sendText(res, 404, 'not found');
    const st = await stat(file).catch(() => null);
    if (!st?.isFile()) return sendText(res, 404, 'not found');
    res.statusCode = 200;
    res.setHeader('Content-Type', MIME[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', st.size);
    res.setHeader('Cache-Control', path === '/index.html' ? 'no-store' : 'public, max-age=31536000, immutable');
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    securityHeaders(res);
    if (!hostMatches(req, origin)) return sendText(res, 421, 'wrong host');
    const path = requestPath(req.url);
    if (path === null) return sendText(res, 400, 'bad request target');
    if (path === '/api' || path.startsWith('/api/')) return api(req, res, path);
    return files(req, res, path);
  };

  const server = createServer({ maxHeaderSize: 16 * 1024, requestTimeout: 60_000, headersTimeout: 15_000 }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`verdict host: unexpected error on ${String(req.method)} ${String(req.url).slice(0, 200)}: ${(err as Error)?.message ?? String(err)}`);
      if (res.headersSent) res.destroy();
      else sendError(res, 'internal', 'unexpected error in the host; see its log');
    });
  });
  server.on('clientError', onClientError);

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      origin = `http://127.0.0.1:${port}`;
      resolve({
        url: `${origin}/#token=${token}`,
        origin,
        token,
        server,
        close: () =>
          new Promise<void>((done) => {
            unsubscribe();
            for (const s of streams) s.end();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
