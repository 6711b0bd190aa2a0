/**
 * Raw-socket fuzzing of the browser-mode host: generated malformed requests (bad request
 * lines, bad escapes, invalid UTF-8, huge and broken headers, absolute-form targets, TLS and
 * HTTP/2 bytes, negative and conflicting lengths, broken chunking, mutated good requests), each
 * with and without a valid token. After every one the server must still answer a good request;
 * no request may reach the "unexpected error" path; heap and connections must come back down.
 */
import { connect } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from './helpers.ts';

const CASES = 1200;

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1e6;
}

let t: TestHost;
let port = 0;
let hostHeader = '';

beforeAll(async () => {
  t = await startTestHost(20);
  port = Number(new URL(t.host.origin).port);
  hostHeader = t.host.origin.slice('http://'.length);
});
afterAll(() => t.close());

/** Sends bytes and half-closes; resolves with the status line's code (or null) once the server closes. */
function send(bytes: Buffer): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 5000);
    const done = () => {
      clearTimeout(timer);
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(Buffer.concat(chunks).toString('latin1'));
      resolve(m ? Number(m[1]) : null);
    };
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => socket.destroy());
    socket.on('close', done);
    socket.on('connect', () => socket.end(bytes));
  });
}

async function good(): Promise<number> {
  const res = await fetch(`${t.host.origin}/api/call/workspace.info`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Verdict-Token': t.host.token },
    body: '{}',
  });
  await res.arrayBuffer();
  return res.status;
}

const TLS_CLIENT_HELLO = Buffer.from(
  '16030100a5010000a10303' + '00'.repeat(32) + '000020c02bc02fc02cc030cca9cca8c009c013c00ac014009c009d002f0035c012000a0100005800000014001200000f7777772e6578616d706c652e636f6d',
  'hex',
);
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
const SAFE_METHODS = ['workspace.info', 'queue.page', 'queue.counts', 'item.get', 'audit.head', 'taxonomy.get', 'sources.list'];

function generator(seed: number) {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const int = (n: number) => Math.floor(rand() * n);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const junkText = (n: number) => Array.from({ length: n }, () => String.fromCharCode(int(0x7f))).join('');

  const head = (line: string, headers: string[], withToken: boolean) =>
    [line, ...headers, ...(withToken ? [`X-Verdict-Token: ${t.host.token}`] : [])].join('\r\n') + '\r\n\r\n';
  const hostLine = () => (rand() < 0.9 ? `Host: ${hostHeader}` : pick([`Host: evil.example`, 'Host:', `Host: ${hostHeader}\r\nHost: other`, 'Host: [']));
  const api = () => `/api/call/${pick(SAFE_METHODS)}`;
  const jsonHeaders = (body: Buffer | string) => [hostLine(), 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`];

  const kinds: ((tok: boolean) => Buffer)[] = [
    // Request lines that do not parse, or parse into something the host must refuse.
    (tok) =>
      Buffer.from(
        head(
          pick([
            'GET http://[/ HTTP/1.1',
            `GET http://${hostHeader}/ HTTP/1.1`,
            'GET * HTTP/1.1',
            'OPTIONS * HTTP/1.1',
            `CONNECT ${hostHeader} HTTP/1.1`,
            'GET //evil.example/x HTTP/1.1',
            'GET',
            'GET /',
            'GET / HTTP/9.9',
            'GET / FTP/1.0',
            '/ GET HTTP/1.1',
            'G\x00ET / HTTP/1.1',
            `${junkText(1 + int(20))} / HTTP/1.1`,
            `GET /${junkText(int(40))} HTTP/1.1`,
            `POST ${api()}${'?x'.repeat(int(5))} HTTP/1.1`,
            `GET /${'a'.repeat(20_000 + int(60_000))} HTTP/1.1`,
          ]),
          [hostLine()],
          tok,
        ),
      ),
    // Bad percent escapes and invalid UTF-8 in paths.
    (tok) =>
      Buffer.concat([
        Buffer.from(`${pick(['GET', 'POST', 'HEAD'])} ${pick(['/', '/api/call/', '/api/', '/assets/'])}`),
        pick([
          Buffer.from(pick(['%ZZ', '%', '%2', '%C0%AF', '%ED%A0%80', '%FF%FE', '%00', '..%2f..%2fetc%2fpasswd', '%E2%82', '%25%', '..%5c..%5c'])),
          bytes(1 + int(8)).map((b) => (b < 0x21 ? 0x80 | b : b)),
        ]),
        Buffer.from(head(' HTTP/1.1', [hostLine()], tok).slice(0)),
      ]),
    // Huge, numerous or broken headers.
    (tok) =>
      Buffer.from(
        head(
          `GET ${pick(['/', '/api/events', api()])} HTTP/1.1`,
          [
            hostLine(),
            ...pick([
              [`X-Big: ${'b'.repeat(17_000 + int(50_000))}`],
              Array.from({ length: 500 + int(3000) }, (_, i) => `X-${i}: v`),
              ['No colon here'],
              [`X-Bad: a\x00b`],
              [`X-${junkText(10)}: ${junkText(20)}`],
              [' leading: space'],
              [`Cookie: verdict_token=${t.host.token}`],
              [`X-Verdict-Token: ${t.host.token}`, `X-Verdict-Token: wrong`],
              [`X-Verdict-Token: ${t.host.token.slice(0, -1)}\u00e9`],
            ]),
          ],
          tok,
        ),
        'latin1',
      ),
    // Lengths: negative, non-numeric, conflicting, larger than sent, huge; broken chunking.
    (tok) => {
      const body = '{"filter":{},"after":null,"limit":5}';
      const lengths = pick([
        ['Content-Length: -1'],
        [`Content-Length: -${int(1e9)}`],
        ['Content-Length: abc'],
        ['Content-Length: 1e3'],
        ['Content-Length: 10', 'Content-Length: 20'],
        [`Content-Length: ${body.length + 1 + int(500)}`],
        ['Content-Length: 99999999999999999999'],
        ['Transfer-Encoding: chunked', `Content-Length: ${body.length}`],
        ['Transfer-Encoding: chunked, identity'],
        ['Transfer-Encoding: gzip'],
      ]);
      return Buffer.from(head(`POST ${api()} HTTP/1.1`, [hostLine(), 'Content-Type: application/json', ...lengths], tok) + body);
    },
    (tok) =>
      Buffer.from(
        head(`POST ${api()} HTTP/1.1`, [hostLine(), 'Content-Type: application/json', 'Transfer-Encoding: chunked'], tok) +
          pick(['zz\r\n{}\r\n0\r\n\r\n', '-5\r\n{}\r\n0\r\n\r\n', 'ffffffffffffffff\r\n{}\r\n', '2\r\n{}', '2\r\n{}\r\n', '1;ext=\x00\r\n{\r\n0\r\n\r\n', '0\r\nX-Trailer: x\r\n\r\n']),
      ),
    // Not HTTP/1 at all.
    () => pick([TLS_CLIENT_HELLO, H2_PREFACE, bytes(1 + int(400)), Buffer.from('\r\n\r\n\r\n'), Buffer.alloc(0)]),
    // Well-formed requests with bodies that are not JSON, not UTF-8, hostile JSON, or wrong types.
    (tok) => {
      const body = pick([
        bytes(1 + int(200)),
        Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
        Buffer.from('['.repeat(5000 + int(50_000))),
        Buffer.from(`{"__proto__":{"polluted":1},"id":"x"}`),
        Buffer.from(`{"constructor":{"prototype":{"polluted":1}}}`),
        Buffer.from(`{"id":${'9'.repeat(400)}}`),
        Buffer.from(`{"filter":{"status":[${'"new",'.repeat(50)}"new"]},"after":{"p":"x"},"limit":1e308}`),
        Buffer.from(JSON.stringify({ id: 'x'.repeat(int(300)), extra: true })),
        Buffer.from('null'),
        Buffer.from('"string"'),
        Buffer.from('{"id":"\\ud800"}'),
      ]);
      const ctype = pick(['Content-Type: application/json', 'Content-Type: text/plain', 'Content-Type: application/json; charset=latin1', 'Content-Type: multipart/form-data']);
      const method = pick(['POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'GET']);
      const path = pick([api(), `/api/call/${junkText(int(12)).replace(/[\s%?#]/g, '')}`, '/api/call/', '/api/events', '/api', '/api/call/constructor']);
      return Buffer.concat([Buffer.from(head(`${method} ${path} HTTP/1.1`, [hostLine(), ctype, `Content-Length: ${body.length}`, pick(['Origin: http://evil.example', `Origin: ${t.host.origin}`, 'Origin: null', ''])].filter(Boolean), tok)), body]);
    },
    // A good request with random bytes flipped, cut short, or repeated.
    (tok) => {
      const body = JSON.stringify({ filter: {}, after: null, limit: 5 });
      const buf = Buffer.from(head(`POST /api/call/queue.page HTTP/1.1`, jsonHeaders(body), tok) + body);
      const mode = int(3);
      if (mode === 0) for (let i = 0; i < 1 + int(6); i++) buf[int(buf.length)] = int(256);
      if (mode === 1) return buf.subarray(0, int(buf.length));
      if (mode === 2) return Buffer.concat([buf, buf.subarray(int(buf.length))]);
      return buf;
    },
  ];
  return () => {
    const withToken = rand() < 0.5;
    return { bytes: pick(kinds)(withToken), withToken };
  };
}

describe('raw-socket fuzzing of the browser-mode host', () => {
  it(`survives ${CASES} malformed requests, answering a good request after each, with flat memory`, { timeout: 300_000 }, async () => {
    const next = generator(20261204);
    // Warm up (JIT, buffers, the worker's statements) before the baseline.
    for (let i = 0; i < 100; i++) {
      await send(next().bytes);
      expect(await good()).toBe(200);
    }
    const before = heapMb();
    const rssBefore = process.memoryUsage().rss / 1e6;
    const statuses = new Map<string, number>();
    let withToken = 0;
    for (let i = 0; i < CASES; i++) {
      const c = next();
      if (c.withToken) withToken++;
      const status = await send(c.bytes);
      const key = status === null ? 'closed' : String(status);
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      expect(await good(), `good request after case ${i}`).toBe(200);
    }
    const after = heapMb();
    const rssAfter = process.memoryUsage().rss / 1e6;
    const connections = await new Promise<number>((resolve) => t.host.server.getConnections((_e, n) => resolve(n)));
    const summary = [...statuses.entries()].sort().map(([k, v]) => `${k}:${v}`).join(' ');
    console.log(
      `fuzz: ${CASES} cases (${withToken} with the token); responses ${summary}; heap ${before.toFixed(1)} -> ${after.toFixed(1)} MB; ` +
        `rss ${rssBefore.toFixed(0)} -> ${rssAfter.toFixed(0)} MB; open connections after ${connections}`,
    );
    // Nothing the clients sent reached the unexpected-error path, and no 5xx was sent.
    expect(t.logged).toEqual([]);
    expect([...statuses.keys()].filter((k) => k.startsWith('5'))).toEqual([]);
    // A 2xx for a malformed request would mean the fuzzing never reached the host's checks.
    expect(statuses.get('200') ?? 0).toBeLessThan(CASES / 4);
    expect(after - before, `heap grew from ${before.toFixed(1)} to ${after.toFixed(1)} MB`).toBeLessThan(8);
    expect(connections).toBeLessThanOrEqual(1);
  });
});
