/**
 * No credential leaks to other local ports. Chromium opens Verdict (so whatever Verdict gives the
 * browser is in place), then pages on two other local servers, which also try to call Verdict's
 * API from the page. Everything those servers received (headers, cookies, URLs, bodies) is then
 * replayed against Verdict's API: every replay must get 401.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventMark, expect, openApp, test, waitForAppEvent } from './fixtures.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local server that records every request and serves a page that pokes at Verdict. */
async function decoy(verdictOrigin: string): Promise<{ server: Server; origin: string; received: Received[] }> {
  const received: Received[] = [];
  const page = `<!doctype html><title>decoy</title><body>
<img src="${verdictOrigin}/api/call/workspace.info">
<script>
  const v = ${JSON.stringify(verdictOrigin)};
  const tries = [
    fetch(v + '/api/call/workspace.info', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: '{}' }),
    fetch(v + '/api/events', { mode: 'no-cors', credentials: 'include' }),
    fetch('/echo', { method: 'POST', body: JSON.stringify({ cookie: document.cookie, storage: Object.keys(sessionStorage), referrer: document.referrer }) }),
  ];
  Promise.allSettled(tries).then(() => { document.title = 'done'; });
</script></body>`;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(req.url === '/echo' ? 'ok' : page);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}`, received };
}

test('what other local ports receive from the reviewer’s browser does not open the API', async ({ page, context, serve }) => {
  const served = await serve({ demo: 10 });
  await openApp(page, served);
  // The app is authorized, and still no cookie exists for it.
  expect(await context.cookies()).toEqual([]);

  const decoys = [await decoy(served.origin), await decoy(served.origin)];
  try {
    for (const [i, d] of decoys.entries()) {
      const p = await context.newPage();
      // One decoy by IP, one by name: cookies for either would be sent to both.
      const url = i === 0 ? `${d.origin}/welcome?x=1` : `${d.origin.replace('127.0.0.1', 'localhost')}/notebook`;
      await p.goto(url);
      await expect(p).toHaveTitle('done');
      await p.close();
    }
    const received = decoys.flatMap((d) => d.received);
    expect(received.length).toBeGreaterThanOrEqual(4);
    // The page's view from another origin: no cookie, none of Verdict's storage.
    for (const echo of received.filter((r) => r.url === '/echo')) expect(JSON.parse(echo.body)).toMatchObject({ cookie: '', storage: [] });
    // Nothing received anywhere contains the token.
    expect(JSON.stringify(received)).not.toContain(served.token);

    // Replay each received request's headers, target and body against Verdict's API.
    const statuses: number[] = [];
    for (const r of received) {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.headers)) {
        if (v === undefined || ['host', 'content-length', 'connection', 'origin', 'referer'].includes(k)) continue;
        headers[k] = Array.isArray(v) ? v.join(', ') : v;
      }
      headers['content-type'] = 'application/json';
      const query = r.url.includes('?') ? r.url.slice(r.url.indexOf('?')) : '';
      for (const target of [`/api/call/workspace.info${query}`, `/api/call/ingest.start${query}`]) {
        const res = await fetch(`${served.origin}${target}`, { method: 'POST', headers, body: r.body || '{}' });
        statuses.push(res.status);
      }
      const events = await fetch(`${served.origin}/api/events${query}`, { headers });
      statuses.push(events.status);
      await events.body?.cancel();
    }
    expect(statuses.length).toBeGreaterThanOrEqual(12);
    expect(new Set(statuses)).toEqual(new Set([401]));

    // The control: the same call with the app's header is answered.
    const ok = await fetch(`${served.origin}/api/call/workspace.info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Verdict-Token': served.token },
      body: '{}',
    });
    expect(ok.status).toBe(200);
    // And the app tab still works after a reload (the token stays in its sessionStorage).
    await page.reload();
    await expect(page.getByTestId('item-pane')).toBeVisible();
    expect(page.url()).not.toContain('token');
  } finally {
    for (const d of decoys) d.server.close();
  }
});

test('a tab without the key says how to get in; the launch URL pasted into it authorizes it', async ({ page, serve }) => {
  const served = await serve({ demo: 10 });
  await page.goto(`${served.origin}/`);
  await expect(page.getByText('This browser tab is not authorized: open the URL Verdict printed.')).toBeVisible();
  for (const viewport of [{ width: 1440, height: 900 }, { width: 1280, height: 720 }]) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: test.info().outputPath(`unauthorized-${viewport.width}.png`) });
  }
  // Same document, new fragment: no page load, so the app must notice the key itself.
  const mark = await eventMark(page);
  await page.goto(served.url);
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  await expect(page.getByText('This browser tab is not authorized')).toHaveCount(0);
  expect(page.url()).toBe(`${served.origin}/`);
});
