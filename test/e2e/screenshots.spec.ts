/**
 * Screenshots of every screen in both themes, at 1440×900, for design review:
 * test-results/screenshots/<name>-<theme>.png
 */
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { eventMark, expect, openApp, record, test, waitForAppEvent } from './fixtures.ts';

const DIR = 'test-results/screenshots';

const markdownRecord = record({
  id: 'md-showcase-1',
  priority: 'low',
  route: 'legal',
  input: {
    messages: [
      { role: 'system', content: 'You are a contracts assistant. Answer in Markdown.' },
      { role: 'user', content: 'Summarise the Quarterly indemnity clause and link the source.' },
    ],
  },
  output: {
    messages: [
      {
        role: 'assistant',
        content: [
          '## Quarterly indemnity clause',
          '',
          'The supplier **indemnifies** the customer for third-party IP claims, capped at *12 months* of fees.',
          '',
          '- Notice within 30 days',
          '- Supplier controls the defence',
          '- Excludes customer modifications',
          '',
          'Source: [contract portal](https://contracts.example.com/msa/7.2) · ![clause scan](https://cdn.example.com/scan.png)',
          '',
          '```',
          'cap = 12 * monthly_fees',
          '```',
        ].join('\n'),
      },
    ],
  },
  flags: [{ source: 'legal-review-detector', category: 'legal_advice', policy: 'legal.no_binding_advice', score: 0.62, reason: 'Reads as binding legal advice.' }],
});

async function shot(page: Page, name: string, theme: string) {
  // Let hover/focus transitions settle on a stable frame: wait for fonts and two animation frames.
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
  await page.screenshot({ path: `${DIR}/${name}-${theme}.png` });
}

for (const theme of ['light', 'dark'] as const) {
  test(`screenshots (${theme})`, async ({ page, serve }) => {
    mkdirSync(DIR, { recursive: true });
    const served = await serve({
      demo: 200,
      files: [
        { name: 'contracts.jsonl', lines: [JSON.stringify(markdownRecord)] },
        {
          name: 'partner-feed-2026-11-20.jsonl',
          lines: [
            JSON.stringify(record({ id: 'ok-1' })),
            '{"id": "broken-1", "created_at": "2026-11-20T10:00:00Z", "input": ',
            JSON.stringify(record({ id: 'bad-priority', priority: 'urgent' })),
            '<html><body>this is not JSON</body></html>',
            JSON.stringify({ id: 'no-input', created_at: '2026-11-20T10:00:00Z' }),
          ],
        },
      ],
    });
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    const { firstId } = await openApp(page, served);
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', theme);

    // Include decided items so a decided one can be shown with its history.
    let mark = await eventMark(page);
    await page.getByTestId('status-decided').click();
    await waitForAppEvent(page, 'verdict:queue-loaded', mark);
    const pane = page.getByTestId('item-pane');
    await pane.focus();
    await page.keyboard.press('1');
    await page.keyboard.press('7');
    await page.keyboard.press('v');
    await page.keyboard.press('n');
    await page.keyboard.type('Gives a specific insulin dose to a patient; the system prompt forbids dosing instructions.');
    await page.keyboard.press('Escape');
    await shot(page, 'queue-item-verdict', theme);

    await page.getByTestId('filters-toggle').click();
    await shot(page, 'queue-filters', theme);
    await page.getByTestId('filters-toggle').click();

    for (const tab of ['flags', 'evidence', 'provenance'] as const) {
      await page.getByTestId(`tab-${tab}`).click();
      await expect(page.getByTestId(`panel-${tab}`)).toBeVisible();
      await shot(page, `tab-${tab}`, theme);
    }
    await page.getByTestId('tab-conversation').click();

    // Decide, come back (k), amend from History.
    mark = await eventMark(page);
    await pane.focus();
    await page.keyboard.press('Control+Enter');
    await waitForAppEvent(page, 'verdict:item-shown', mark, { notId: firstId });
    mark = await eventMark(page);
    await page.keyboard.press('k');
    await waitForAppEvent(page, 'verdict:item-shown', mark, { id: firstId });
    await expect(page.getByTestId('current-verdict')).toBeVisible();
    await page.getByTestId('tab-history').click();
    await expect(page.getByTestId('history-verdict')).toHaveCount(1);
    await shot(page, 'tab-history', theme);
    await page.getByTestId('amend-verdict').click();
    await expect(page.getByTestId('amend-banner')).toBeVisible();
    await shot(page, 'amend', theme);
    await page.getByTestId('amend-cancel').click();

    // Markdown view of the contracts record, and the link confirmation.
    mark = await eventMark(page);
    await page.getByTestId('queue-search').fill('Quarterly');
    await waitForAppEvent(page, 'verdict:queue-loaded', mark);
    await expect(page.getByTestId('queue-row')).toHaveCount(1);
    // A new filter selects its first row by itself; the click just confirms it.
    await page.getByTestId('queue-row').first().click();
    await waitForAppEvent(page, 'verdict:item-shown', mark, { notId: firstId });
    await page.getByTestId('tab-conversation').click();
    await pane.focus();
    await page.keyboard.press('m');
    await expect(page.getByTestId('md-image-placeholder')).toBeVisible();
    await shot(page, 'markdown', theme);
    await page.getByTestId('md-link').locator('[role="button"]').click();
    await page.getByTestId('link-modal-open').click();
    await expect(page.getByTestId('link-modal-result')).toBeVisible();
    await shot(page, 'link-confirm', theme);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('link-modal')).toHaveCount(0);
    await pane.focus();
    await page.keyboard.press('m');

    // Cheat sheet.
    await page.keyboard.press('?');
    await expect(page.getByTestId('help-modal')).toBeVisible();
    await shot(page, 'cheatsheet', theme);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('help-modal')).toHaveCount(0);

    // Workspace screen: sources, then quarantine.
    await pane.focus();
    await page.keyboard.press('g');
    await page.keyboard.press('w');
    await expect(page.getByTestId('sources-list')).toBeVisible();
    await shot(page, 'workspace-sources', theme);
    await page.getByTestId('ws-tab-quarantine').click();
    await expect(page.getByTestId('quarantine-row')).toHaveCount(4);
    await shot(page, 'workspace-quarantine', theme);
    await page.getByTestId('ws-tab-audit').click();
    await page.getByTestId('audit-verify').click();
    await expect(page.getByTestId('audit-result')).toBeVisible();
    await shot(page, 'workspace-audit', theme);
  });
}

/** Decides the item on screen with the keyboard (optionally with label keys first) and waits for the next. */
async function decideShown(page: Page, keys: string[]): Promise<void> {
  const pane = page.getByTestId('item-pane');
  const current = await pane.getAttribute('data-item-id');
  const mark = await eventMark(page);
  await pane.focus();
  for (const k of keys) await page.keyboard.press(k);
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { kind: 'verdict', itemId: current });
  await waitForAppEvent(page, 'verdict:item-shown', mark, { notId: current });
}

/** Finds one item by a search word, selects it and decides it. */
async function decideFound(page: Page, word: string, keys: string[]): Promise<void> {
  let mark = await eventMark(page);
  await page.getByTestId('queue-search').fill(word);
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  await expect(page.getByTestId('queue-row')).toHaveCount(1);
  const id = await page.getByTestId('queue-row').first().getAttribute('data-id');
  await page.getByTestId('queue-row').first().click();
  await expect(page.getByTestId('item-pane')).toHaveAttribute('data-item-id', id!);
  mark = await eventMark(page);
  await page.getByTestId('item-pane').focus();
  for (const k of keys) await page.keyboard.press(k);
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { kind: 'verdict', itemId: id });
}

for (const theme of ['light', 'dark'] as const) {
  test(`export and sync screenshots (${theme})`, async ({ page, serve }) => {
    mkdirSync(DIR, { recursive: true });
    const served = await serve({
      demo: 200,
      files: [
        {
          name: 'partner-feed-2026-11-20.jsonl',
          lines: ['kestrel', 'osprey'].map((w, i) =>
            JSON.stringify(record({ id: `partner-${i + 1}`, input: { messages: [{ role: 'user', content: `Partner ${w} escalation` }] } })),
          ),
        },
        {
          name: 'vendor-b-escalations.jsonl',
          lines: [JSON.stringify(record({ id: 'vendor-b-1', input: { messages: [{ role: 'user', content: 'Vendor pelican escalation' }] } }))],
        },
      ],
    });
    // The vendor's results path is a folder, so delivering to it fails (a source in trouble).
    mkdirSync(`${served.dir}/vendor-b-escalations.jsonl.verdicts.jsonl`);
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    await openApp(page, served);

    // A few verdicts: three demo items (with labels), the partner's two, the vendor's one.
    await decideShown(page, ['1', 'v']);
    await decideShown(page, ['f']);
    await decideShown(page, ['7', '9', 'v']);
    await decideFound(page, 'kestrel', ['v']);
    await decideFound(page, 'osprey', ['f']);
    await decideFound(page, 'pelican', ['v']);
    const mark = await eventMark(page);
    await page.getByTestId('queue-search').fill('');
    await waitForAppEvent(page, 'verdict:queue-loaded', mark);

    // Export: the form.
    await page.getByTestId('item-pane').focus();
    await page.keyboard.press('g');
    await page.keyboard.press('e');
    await expect(page.getByTestId('export-drawer')).toBeVisible();
    await page.getByTestId('export-out').fill(`${served.dir}/datasets/safety-classifier-2026-11`);
    await expect(page.getByTestId('export-start')).toBeEnabled();
    await shot(page, 'export-form', theme);

    // Refused: unresolved PII items, with redaction switched off to show its warning.
    await page.getByTestId('export-redact').uncheck();
    await expect(page.getByTestId('export-redact-warning')).toBeVisible();
    await page.getByTestId('export-start').click();
    await expect(page.getByTestId('export-error')).toContainText('refusing to export');
    await shot(page, 'export-refused', theme);

    // Done and verified.
    await page.getByTestId('export-redact').check();
    await page.getByTestId('export-allow-unredacted').check();
    await page.getByTestId('export-start').click();
    await expect(page.getByTestId('export-summary')).toBeVisible({ timeout: 60_000 });
    await page.getByTestId('export-verify').click();
    await expect(page.getByTestId('export-verify-result')).toHaveAttribute('data-ok', 'true');
    await shot(page, 'export-done', theme);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('export-drawer')).toHaveCount(0);

    // Workspace → Sync: delivered, failing, no return path.
    await page.getByTestId('item-pane').focus();
    await page.keyboard.press('g');
    await page.keyboard.press('w');
    await page.getByTestId('ws-tab-sync').click();
    await page.getByTestId('sync-now').click();
    const partner = page.getByTestId('sync-source').filter({ hasText: 'partner-feed-2026-11-20.jsonl' });
    await expect(partner.getByTestId('sync-delivered')).toHaveText('2');
    const vendor = page.getByTestId('sync-source').filter({ hasText: 'vendor-b-escalations.jsonl' });
    await expect(vendor.getByTestId('sync-retry')).toBeVisible();
    await expect(page.getByTestId('sync-message')).toBeVisible();
    await shot(page, 'workspace-sync', theme);
  });
}
