/**
 * Browser mode: the same renderer and the same contract served on 127.0.0.1. A random
 * per-launch token guards every request (401 without it), the Host header must be ours
 * (DNS rebinding), and every response carries the app's CSP.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { dispatch, type Backend } from './dispatch.ts';
import type { EventName } from '../shared/contract.ts';
import { CSP } from './csp.ts';

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

const MAX_BODY = 2 * 1024 * 1024;

export interface HostOptions {
  backend: Backend & { onEvent(l: (event: EventName, payload: unknown) => void): () => void };
  staticDir: string;
  port?: number;
  token?: string;
}

export interface RunningHost {
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

function tokenOf(req: IncomingMessage, url: URL): string | null {
  const header = req.headers['x-verdict-token'];
  if (typeof header === 'string') return header;
  const cookie = req.headers.cookie?.split(/;\s*/).find((c) => c.startsWith('verdict_token='));
  if (cookie) return cookie.slice('verdict_token='.length);
  return url.searchParams.get('token');
}

function sameToken(a: string | null, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const root = normalize(options.staticDir);
  const sseClients = new Set<ServerResponse>();
  let origin = '';

  const unsubscribe = options.backend.onEvent((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const c of sseClients) c.write(frame);
  });

  const server = createServer(async (req, res) => {
    securityHeaders(res);
    const url = new URL(req.url ?? '/', origin || 'http://127.0.0.1');
    if (req.headers.host !== new URL(origin).host) return send(res, 421, 'wrong host');
    if (!sameToken(tokenOf(req, url), token)) return send(res, 401, 'unauthorized: open the URL Verdict printed, with its token');

    // The launch URL carries the token once; from then on an HttpOnly cookie does.
    if (url.searchParams.has('token') && req.method === 'GET') {
      res.setHeader('Set-Cookie', `verdict_token=${token}; HttpOnly; SameSite=Strict; Path=/`);
      res.statusCode = 302;
      res.setHeader('Location', '/');
      return res.end();
    }

    if (url.pathname.startsWith('/api/')) {
      if (url.pathname === '/api/events' && req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        res.write(': connected\n\n');
        sseClients.add(res);
        req.on('close', () => sseClients.delete(res));
        return;
      }
      const method = url.pathname.slice('/api/call/'.length);
      if (!url.pathname.startsWith('/api/call/') || req.method !== 'POST') return send(res, 404, 'not found');
      const reqOrigin = req.headers.origin;
      if (reqOrigin !== undefined && reqOrigin !== origin) return send(res, 403, 'cross-origin call refused');
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'JSON only');
      let input: unknown;
      try {
        input = JSON.parse((await readBody(req)) || '{}');
      } catch (err) {
        return send(res, 400, JSON.stringify({ ok: false, error: { code: 'invalid_input', message: (err as Error).message } }), 'application/json');
      }
      const result = await dispatch(options.backend, method, input);
      return send(res, 200, JSON.stringify(result), 'application/json');
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    let path = decodeURIComponent(url.pathname);
    if (path === '/' || !extname(path)) path = '/index.html';
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) return send(res, 404, 'not found');
    res.statusCode = 200;
    res.setHeader('Content-Type', MIME[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Cache-Control', path === '/index.html' ? 'no-store' : 'public, max-age=31536000, immutable');
    createReadStream(file).pipe(res);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      origin = `http://127.0.0.1:${port}`;
      resolve({
        url: `${origin}/?token=${token}`,
        origin,
        token,
        server,
        close: () =>
          new Promise<void>((done) => {
            unsubscribe();
            for (const c of sseClients) c.end();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
