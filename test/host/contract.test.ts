import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, METHODS, type ApiResult, type Method } from '../../electron/shared/contract.ts';
import { dispatch } from '../../electron/host/dispatch.ts';
import { startHost, type RunningHost } from '../../electron/host/server.ts';
import { WorkerClient } from '../../electron/host/worker-client.ts';
import { channelFor, createIpcHandlers } from '../../electron/main/ipc.ts';
import { tempDir } from '../helpers/workspace.ts';

const WORKER = new URL('../../electron/host/db-worker-entry.mjs', import.meta.url);

/** A minimal valid input per method, so that a malformed variant proves the schema is what refused it. */
const VALID: { [M in Method]: unknown } = {
  'workspace.info': {},
  'search.reindex': {},
  'workspace.routes': {},
  'workspace.setReviewer': { reviewer: 'ana' },
  'queue.page': { filter: {}, after: null, limit: 10 },
  'queue.counts': { filter: {} },
  'queue.facets': {},
  'item.get': { id: 'x' },
  'verdict.submit': { itemId: 'x', revisionId: 'y', decision: 'dismiss' },
  'verdict.amend': { verdictId: 'x', decision: 'dismiss' },
  'verdict.undo': {},
  'taxonomy.get': {},
  'taxonomy.set': { json: '{}' },
  'sources.list': {},
  'ingest.start': { path: '/nonexistent' },
  'jobs.list': {},
  'jobs.cancel': { jobId: 'x' },
  'quarantine.list': { limit: 10 },
  'audit.head': {},
  'audit.verify': {},
  'app.openExternal': { url: 'https://example.org' },
  'links.check': { url: 'https://example.org' },
  'links.hosts': {},
  'links.setHosts': { hosts: ['example.org'] },
  'verdicts.import': { path: '/nonexistent' },
  'sync.status': {},
  'sync.run': {},
  'sync.retry': { sourceId: 'x' },
  'export.start': { format: 'sft', out: '/nonexistent/out' },
  'export.verify': { dir: '/nonexistent' },
  'metrics.dashboard': { filter: { from: '2026-10-01', to: '2026-10-31' } },
  'metrics.dimensions': { filter: { from: '2026-10-01', to: '2026-10-31' } },
  'metrics.models': { filter: { from: '2026-10-01', to: '2026-10-31' } },
  'metrics.operations': { filter: { from: '2026-10-01', to: '2026-10-31' } },
  'metrics.facets': {},
  'metrics.overview': {},
  'metrics.report': { from: '2026-10-01', to: '2026-10-31' },
  'team.status': {},
  'team.connect': { url: 'postgres://127.0.0.1:1/verdict', user: 'ana' },
  'team.disconnect': {},
  'team.claim': { count: 1 },
  'team.item': { seq: 1 },
  'team.heartbeat': { seq: 1 },
  'team.release': { seq: 1 },
  'team.submit': { seq: 1, decision: 'dismiss' },
  'team.submitNext': { seq: 1, decision: 'violation', correction: 'fixed reply' },
  'team.push': {},
  'team.adjudication.claim': {},
  'team.adjudication.decide': { itemId: '7', token: '12', decision: 'violation', labels: ['S1'], severity: null, rationale: 'why' },
  'team.escalate': { seq: 1, toRoute: 'clinical', question: 'Is the dose safe?', firstDecision: 'dismiss', firstLabels: [] },
  'team.hold': { seq: 1, reason: 'waiting for the owner', reviewBy: '2026-12-01T00:00:00Z' },
  'team.expert.pool': {},
  'team.expert.claim': {},
  'team.expert.answer': { escalationId: '3', token: '40', kind: 'consult', labels: [], note: 'see guideline 4.2' },
  'team.lead.view': {},
  'team.lead.releaseHold': { itemId: '7' },
  'team.lead.reopen': { itemId: '7', reason: 'new guidance' },
  'team.lead.markGold': { itemId: '7', decision: 'violation', labels: [] },
  'team.lead.route': { route: 'trust_safety', goldRate: 0.05, slaHours: 24 },
  'team.history': { itemId: '7' },
  'team.lead.agreement': { route: 'trust_safety', from: '2026-11-01', to: '2026-11-30' },
  'agreement.report': {},
  'adjudication.queue': {},
  'adjudication.next': {},
  'adjudication.get': { itemId: 'x' },
  'adjudication.decide': { itemId: 'x', decision: 'dismiss' },
  'item.hold': { itemId: 'x', reason: 'why', reviewBy: '2026-12-01T00:00:00Z' },
  'item.release': { itemId: 'x' },
  'item.reopen': { itemId: 'x', reason: 'why' },
  'item.consult': { itemId: 'x', note: 'note' },
  'item.reveal': { itemId: 'x' },
  'item.actions': { itemId: 'x' },
  'holds.list': {},
  'expert.overturns': {},
  'gold.mark': { itemId: 'x', decision: 'dismiss' },
  'gold.unmark': { itemId: 'x' },
  'gold.list': {},
  'expert.settings': {},
  'expert.setSettings': {},
  'wellbeing.status': {},
  'team.exportBatch': { out: '/nonexistent/out.jsonl' },
};

describe('the contract boundary', () => {
  const t = tempDir();
  let client: WorkerClient;
  let host: RunningHost;
  const calls: Method[] = [];

  beforeAll(async () => {
    client = await WorkerClient.start(WORKER, { workspacePath: join(t.dir, 'w.sqlite'), mode: 'browser', demoIfNew: 20 });
    const staticDir = join(t.dir, 'static');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    host = await startHost({
      backend: {
        call: (m, i) => {
          calls.push(m);
          return client.call(m, i);
        },
        onEvent: (l) => client.onEvent(l),
      },
      staticDir,
    });
  });
  afterAll(async () => {
    await host.close();
    await client.close();
    t.cleanup();
  });

  it('every method has a schema that accepts its valid example and rejects junk', () => {
    for (const m of METHODS) {
      expect(contract[m].safeParse(VALID[m]).success, m).toBe(true);
      expect(contract[m].safeParse({ ...(VALID[m] as object), unexpected: 1 }).success, m).toBe(false);
      expect(contract[m].safeParse('junk').success, m).toBe(false);
    }
  });

  it('IPC handlers refuse a foreign sender and malformed input before any service runs', async () => {
    const seen: Method[] = [];
    const handlers = createIpcHandlers({ call: async (m) => (seen.push(m), { ok: true, value: null as never }) });
    expect([...handlers.keys()].sort()).toEqual(METHODS.map(channelFor).sort());
    const trusted = { senderFrame: { url: 'app://verdict/index.html' } };
    const foreign = [
      { senderFrame: { url: 'https://evil.example/' } },
      { senderFrame: { url: 'file:///etc/passwd' } },
      { senderFrame: { url: 'app://other/index.html' } },
      { senderFrame: { url: 'app://verdict/index.html', parent: {} } },
      { senderFrame: null },
      {},
    ];
    for (const m of METHODS) {
      const h = handlers.get(channelFor(m))!;
      for (const ev of foreign) expect(await h(ev, VALID[m]), `${m} foreign`).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await h(trusted, 42), `${m} malformed`).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expect(await h(trusted, { ...(VALID[m] as object), extra: true }), `${m} extra`).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(seen).toEqual([]);
    for (const m of METHODS) await handlers.get(channelFor(m))!(trusted, VALID[m]);
    expect(seen.sort()).toEqual([...METHODS].sort());
  });

  it('dispatch refuses unknown methods', async () => {
    const r = await dispatch({ call: async () => ({ ok: true, value: null as never }) }, '__proto__', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });

  it('the browser-mode host answers 401 without the token in its header, whatever else is sent', async () => {
    const before = calls.length;
    const post = (headers: Record<string, string>, query = '') =>
      fetch(`${host.origin}/api/call/workspace.info${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });
    expect((await post({})).status).toBe(401);
    expect((await post({ 'X-Verdict-Token': 'wrong' })).status).toBe(401);
    expect((await post({ 'X-Verdict-Token': `${host.token}x` })).status).toBe(401);
    // Neither a cookie nor a query parameter carries authority.
    expect((await post({ Cookie: `verdict_token=${host.token}` })).status).toBe(401);
    expect((await post({}, `?token=${host.token}`)).status).toBe(401);
    expect((await fetch(`${host.origin}/api/events`)).status).toBe(401);
    expect((await fetch(`${host.origin}/api/events`, { headers: { Cookie: `verdict_token=${host.token}` } })).status).toBe(401);
    const body = await (await post({})).json();
    expect(body).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(calls.length).toBe(before);
  });

  it('the launch URL hands the token over in its fragment; the page needs none and no cookie is ever set', async () => {
    expect(host.url).toBe(`${host.origin}/#token=${host.token}`);
    const page = await fetch(`${host.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toBeNull();
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toMatch(/script-src[^;]*unsafe/);
    // An old-style launch URL does not trade the token for a cookie.
    const old = await fetch(`${host.origin}/?token=${host.token}`, { redirect: 'manual' });
    expect(old.status).toBe(200);
    expect(old.headers.get('set-cookie')).toBeNull();
    // A rebound DNS name is refused.
    const rebound = await new Promise<number>((resolve, reject) => {
      const r = request(`${host.origin}/`, { headers: { Host: 'evil.example' } }, (res) => (res.resume(), resolve(res.statusCode ?? 0)));
      r.on('error', reject);
      r.end();
    });
    expect(rebound).toBe(421);
  });

  it('with the token header: answers calls; a cross-origin page is refused even with it', async () => {
    const res = await fetch(`${host.origin}/api/call/workspace.info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Verdict-Token': host.token },
      body: '{}',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ApiResult<'workspace.info'>;
    expect(body.ok).toBe(true);
    if (body.ok) expect(body.value).toMatchObject({ items: 20, isDemo: true, mode: 'browser' });
    const bad = await fetch(`${host.origin}/api/call/queue.page`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Verdict-Token': host.token },
      body: JSON.stringify({ filter: { status: ['bogus'] }, after: null, limit: 10 }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const cross = await fetch(`${host.origin}/api/call/workspace.info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Verdict-Token': host.token, Origin: 'http://evil.example' },
      body: '{}',
    });
    expect(cross.status).toBe(403);
    // Path traversal stays inside the static folder.
    const trav = await fetch(`${host.origin}/..%2f..%2fetc%2fpasswd.txt`);
    expect(trav.status).toBe(404);
  });

  it('runs the review loop through the worker', async () => {
    const page = await client.call('queue.page', { filter: {}, after: null, limit: 5 });
    expect(page.ok).toBe(true);
    if (!page.ok) return;
    const rows = (page.value as { rows: { id: string }[] }).rows;
    expect(rows.length).toBe(5);
    const view = await client.call('item.get', { id: rows[0]!.id });
    if (!view.ok) throw new Error(view.error.message);
    const item = (view.value as { item: { id: string; revision: number; revisions: { id: string; revision: number }[] } }).item;
    const revisionId = item.revisions.find((r) => r.revision === item.revision)!.id;
    const v = await client.call('verdict.submit', { itemId: item.id, revisionId, decision: 'violation', labels: ['S1'], severity: null, correction: null, rationale: null, routeTo: null });
    expect(v).toMatchObject({ ok: true, value: { decision: 'violation' } });
    const counts = await client.call('queue.counts', { filter: {} });
    expect(counts).toMatchObject({ ok: true, value: { counts: { decided: 1, new: 19 } } });
    const undo = await client.call('verdict.undo', {});
    expect(undo).toMatchObject({ ok: true });
    expect(await client.call('audit.verify', {})).toMatchObject({ ok: true, value: { ok: true } });
  });
});
