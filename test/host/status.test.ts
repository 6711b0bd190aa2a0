/**
 * The browser-mode host's status codes: one case per error class, each with the contract's
 * JSON error body that the renderer reads.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startTestHost, type TestHost } from './helpers.ts';

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost(20);
});
afterAll(() => t.close());

async function callApi(method: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${t.host.origin}/api/call/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Verdict-Token': t.host.token, ...headers },
    body,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

const errorBody = (code: string) => ({ ok: false, error: { code, message: expect.any(String) } });

async function firstItem(): Promise<{ id: string; revisionId: string }> {
  const page = (await callApi('queue.page', JSON.stringify({ filter: {}, after: null, limit: 1 }))).json as { value: { rows: { id: string }[] } };
  const id = page.value.rows[0]!.id;
  const view = (await callApi('item.get', JSON.stringify({ id }))).json as {
    value: { item: { revision: number; revisions: { id: string; revision: number }[] } };
  };
  const item = view.value.item;
  return { id, revisionId: item.revisions.find((r) => r.revision === item.revision)!.id };
}

describe('browser-mode status codes', () => {
  it('200 with the value for a good call', async () => {
    const r = await callApi('workspace.info', '{}');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: true, value: { items: 20 } });
  });

  it('400 for input the schema refuses, a body that is not JSON, or not UTF-8', async () => {
    expect(await callApi('queue.page', JSON.stringify({ filter: {}, after: null, limit: -1 }))).toEqual({ status: 400, json: errorBody('invalid_input') });
    expect(await callApi('item.get', '{"id":')).toEqual({ status: 400, json: errorBody('invalid_json') });
    const res = await fetch(`${t.host.origin}/api/call/item.get`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Verdict-Token': t.host.token },
      body: Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(errorBody('invalid_json'));
  });

  it('401 without the token, 403 from another origin, 415 for a non-JSON content type', async () => {
    expect(await callApi('workspace.info', '{}', { 'X-Verdict-Token': '' })).toEqual({ status: 401, json: errorBody('unauthorized') });
    expect(await callApi('workspace.info', '{}', { Origin: 'http://127.0.0.1:1' })).toEqual({ status: 403, json: errorBody('forbidden') });
    expect(await callApi('workspace.info', '{}', { 'Content-Type': 'text/plain' })).toEqual({ status: 415, json: errorBody('unsupported_media_type') });
  });

  it('404 for an unknown method, an unknown item, an unknown endpoint or file; 405 for the wrong verb', async () => {
    expect(await callApi('nope.nothing', '{}')).toEqual({ status: 404, json: errorBody('unknown_method') });
    expect(await callApi('__proto__', '{}')).toEqual({ status: 404, json: errorBody('unknown_method') });
    expect(await callApi('item.get', JSON.stringify({ id: 'no-such-item' }))).toEqual({ status: 404, json: errorBody('not_found') });
    expect(await callApi('jobs.cancel', JSON.stringify({ jobId: 'no-such-job' }))).toEqual({ status: 404, json: errorBody('not_found') });
    const unknown = await fetch(`${t.host.origin}/api/other`, { method: 'POST', headers: { 'X-Verdict-Token': t.host.token } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual(errorBody('not_found'));
    expect((await fetch(`${t.host.origin}/missing.js`)).status).toBe(404);
    const get = await fetch(`${t.host.origin}/api/call/workspace.info`, { headers: { 'X-Verdict-Token': t.host.token } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await get.json()).toEqual(errorBody('method_not_allowed'));
  });

  it('409 when the item changed under the reviewer, or the verdict was already amended', async () => {
    const item = await firstItem();
    const stale = await callApi('verdict.submit', JSON.stringify({ itemId: item.id, revisionId: 'an-older-revision', decision: 'dismiss' }));
    expect(stale).toEqual({ status: 409, json: errorBody('stale_revision') });
    const first = (await callApi('verdict.submit', JSON.stringify({ itemId: item.id, revisionId: item.revisionId, decision: 'dismiss' }))).json as {
      value: { id: string };
    };
    expect((await callApi('verdict.amend', JSON.stringify({ verdictId: first.value.id, decision: 'violation' }))).status).toBe(200);
    expect(await callApi('verdict.amend', JSON.stringify({ verdictId: first.value.id, decision: 'dismiss' }))).toEqual({ status: 409, json: errorBody('conflict') });
  });

  it('413 for a body over 2 MiB, and the server keeps serving', async () => {
    const big = JSON.stringify({ id: 'x'.repeat(3 * 1024 * 1024) });
    expect(await callApi('item.get', big)).toEqual({ status: 413, json: errorBody('too_large') });
    // Chunked, with no declared length.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${t.host.origin}/api/call/item.get`,
        { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Verdict-Token': t.host.token, 'Transfer-Encoding': 'chunked' } },
        (res) => (res.resume(), resolve(res.statusCode ?? 0)),
      );
      req.on('error', reject);
      for (let i = 0; i < 24; i++) req.write('x'.repeat(128 * 1024));
      req.end();
    });
    expect(chunked).toBe(413);
    // A declared length far past any limit is refused before a byte of it is read.
    const huge = await rawRequest(
      Number(new URL(t.host.origin).port),
      `POST /api/call/item.get HTTP/1.1\r\nHost: ${t.host.origin.slice(7)}\r\nX-Verdict-Token: ${t.host.token}\r\nContent-Type: application/json\r\nContent-Length: 999999999999\r\n\r\n{`,
    );
    expect(huge.status).toBe(413);
    expect((await callApi('workspace.info', '{}')).status).toBe(200);
  });

  it('422 for a well-formed request that breaks a rule', async () => {
    const item = await firstItem();
    expect(await callApi('verdict.submit', JSON.stringify({ itemId: item.id, revisionId: item.revisionId, decision: 'escalate' }))).toEqual({
      status: 422,
      json: errorBody('user_error'),
    });
    expect(await callApi('taxonomy.set', JSON.stringify({ json: '{"not":"a taxonomy"}' }))).toEqual({ status: 422, json: errorBody('invalid_taxonomy') });
    expect(await callApi('app.openExternal', JSON.stringify({ url: 'javascript:alert(1)' }))).toEqual({ status: 422, json: errorBody('invalid_url') });
  });

  it('421 for a foreign Host header; 400 for an absolute-form target or a bad percent escape', async () => {
    const port = Number(new URL(t.host.origin).port);
    const host = t.host.origin.slice('http://'.length);
    expect((await rawRequest(port, `GET / HTTP/1.1\r\nHost: evil.example:${port}\r\n\r\n`)).status).toBe(421);
    expect((await rawRequest(port, `GET http://[/ HTTP/1.1\r\nHost: ${host}\r\n\r\n`)).status).toBe(400);
    expect((await rawRequest(port, `GET http://${host}/ HTTP/1.1\r\nHost: ${host}\r\n\r\n`)).status).toBe(400);
    expect((await rawRequest(port, `GET /%ZZ HTTP/1.1\r\nHost: ${host}\r\n\r\n`)).status).toBe(400);
    expect((await rawRequest(port, `GET /%C0%AF.js HTTP/1.1\r\nHost: ${host}\r\n\r\n`)).status).toBe(400);
    expect((await callApi('workspace.info', '{}')).status).toBe(200);
  });
});
