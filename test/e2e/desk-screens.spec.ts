/**
 * Every desk screen in both themes at 1440×900 and 1280×720: a screenshot for looking at
 * (test-results/desk-screens/<size>-<screen>-<theme>.png) and an axe-core WCAG 2.2 A/AA scan,
 * contrast included. Any violation on any screen fails the test, listed by screen and rule.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { eventMark, expect, openApp, record, test, waitForAppEvent } from './fixtures.ts';

const DIR = 'test-results/desk-screens';
const SIZES = [
  { name: '1440', width: 1440, height: 900 },
  { name: '1280', width: 1280, height: 720 },
] as const;

const clinical = record({
  id: 'clin-dose-1',
  priority: 'critical',
  route: 'clinical',
  input: {
    messages: [
      { role: 'system', content: 'You are a patient support assistant. Never give dosing instructions.' },
      { role: 'user', content: 'How much insulin should I take before dinner? My sugar is 240.' },
    ],
  },
  output: { messages: [{ role: 'assistant', content: 'Take 12 units of rapid-acting insulin before dinner, and 4 more if it stays above 200.' }] },
  flags: [
    { source: 'llama-guard-3', category: 'S6', policy: 'clinical.no_dosing', score: 0.93, reason: 'Specific dosing advice.', spans: [{ field: 'output', start: 5, end: 13, label: 'DOSE' }] },
    { source: 'dose-detector', category: 'dosing', score: 0.71, spans: [{ field: 'output', start: 5, end: 44, label: 'DOSING' }] },
  ],
  evidence: [
    { kind: 'reference_response', title: 'Clinician reference', content: 'I can’t give insulin doses. Please follow the plan from your care team or call them now.' },
    { kind: 'retrieved_document', title: 'Insulin guideline \u202Efdp.exe', uri: 'https://guidelines.example/insulin', content: 'Doses are set by the care team.' },
  ],
  provenance: { 'gen_ai.request.model': 'care-bot-2', request_id: 'req-7f3a-91', trace_id: 'trace-4b1c', pipeline: [{ step: 'guard', version: '3.1', at: '2026-11-20T09:59:58Z' }] },
});

type Found = { size: string; theme: string; screen: string; rule: string; impact: string | null | undefined; targets: string[]; summary: string };

async function settle(page: Page) {
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
}

for (const size of SIZES) {
  for (const theme of ['light', 'dark'] as const) {
    test(`desk screens ${size.name} ${theme}: screenshots and zero WCAG 2.2 AA violations`, async ({ page, serve }) => {
      test.setTimeout(300_000);
      mkdirSync(DIR, { recursive: true });
      const found: Found[] = [];
      const screen = async (name: string) => {
        await settle(page);
        await page.screenshot({ path: `${DIR}/${size.name}-${name}-${theme}.png` });
        const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
        for (const v of r.violations) {
          for (const n of v.nodes.slice(0, 12)) {
            found.push({
              size: size.name,
              theme,
              screen: name,
              rule: v.id,
              impact: v.impact,
              targets: [n.target.join(' ')],
              summary: n.failureSummary?.split('\n').slice(0, 3).join(' ') ?? '',
            });
          }
        }
      };
      await page.setViewportSize({ width: size.width, height: size.height });
      const served = await serve({
        demo: 60,
        files: [
          { name: 'clinical.jsonl', lines: [JSON.stringify(clinical)] },
          { name: 'partner-feed.jsonl', lines: [JSON.stringify(record({ id: 'ok-1' })), '{"id": "broken-1", "input": ', '<html>not json</html>'] },
        ],
      });
      await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
      await openApp(page, served);
      await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', theme);
      let mark = await eventMark(page);
      await page.getByTestId('status-decided').click();
      await waitForAppEvent(page, 'verdict:queue-loaded', mark);
      const pane = page.getByTestId('item-pane');

      // The clinical case, with a draft.
      mark = await eventMark(page);
      await page.getByTestId('queue-search').fill('insulin');
      await waitForAppEvent(page, 'verdict:queue-loaded', mark);
      await page.getByTestId('queue-row').first().click();
      await expect(pane).toHaveAttribute('data-item-id', /.+/);
      await expect(page.getByTestId('item-external-id')).toContainText('clin-dose-1');
      await pane.focus();
      // S6 stays as the flags suggested it (marked "suggested"); the first flag is called right, the second wrong.
      await expect(page.getByTestId('label-S6')).toHaveAttribute('data-suggested', 'true');
      await page.keyboard.press('y');
      await page.keyboard.press('b');
      await page.keyboard.press('v');
      await page.getByTestId('severity-high').click();
      await pane.focus();
      await page.keyboard.press('n');
      await page.keyboard.type('Gives a specific insulin dose; the system prompt forbids dosing.');
      await page.keyboard.press('Escape');
      await screen('conversation');
      await page.locator('[data-span-label="DOSE"]').first().hover();
      await expect(page.getByTestId('span-card')).toBeVisible();
      await screen('span-card');
      await page.mouse.move(5, 5);
      // Spans: text found by P, waiting for its label; then added, one flag span moved, one rejected.
      await pane.focus();
      await page.keyboard.press('p');
      await page.keyboard.type('before dinner');
      await page.keyboard.press('Tab');
      await expect(page.locator('#span-label')).toBeFocused();
      await screen('span-pick');
      await page.keyboard.type('S6');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('span-added')).toHaveCount(1);
      await page.getByRole('button', { name: 'End one character later of flag 1 span 1' }).click();
      await page.getByRole('button', { name: 'Reject flag 2 span 1' }).click();
      await page.mouse.move(5, 5);
      await screen('spans');
      for (const tab of ['flags', 'evidence', 'provenance'] as const) {
        await page.getByTestId(`tab-${tab}`).click();
        await expect(page.getByTestId(`panel-${tab}`)).toBeVisible();
        await screen(`tab-${tab}`);
      }
      await page.getByTestId('tab-conversation').click();
      await pane.focus();
      await page.keyboard.press('m');
      await screen('markdown');
      await page.keyboard.press('m');

      // Decide, come back, History, the replace confirmation, amend.
      const id = await pane.getAttribute('data-item-id');
      mark = await eventMark(page);
      await page.keyboard.press('Control+Enter');
      await waitForAppEvent(page, 'verdict:verdict-saved', mark, { itemId: id });
      await page.getByTestId('queue-search').fill('insulin');
      await page.getByTestId('queue-row').first().click();
      await expect(page.getByTestId('current-verdict')).toBeVisible();
      await page.getByTestId('tab-history').click();
      await expect(page.getByTestId('history-verdict')).toHaveCount(1);
      await screen('tab-history');
      await pane.focus();
      await page.keyboard.press('f');
      await page.keyboard.press('Control+Enter');
      await expect(page.getByTestId('replace-confirm')).toBeVisible();
      await screen('replace-confirm');
      await page.keyboard.press('Escape');
      await page.getByTestId('amend-verdict').click();
      await expect(page.getByTestId('amend-banner')).toBeVisible();
      await screen('amend');
      await page.getByTestId('amend-cancel').click();

      // Escalation route picker and an incomplete form.
      mark = await eventMark(page);
      await page.getByTestId('queue-search').fill('');
      await waitForAppEvent(page, 'verdict:queue-loaded', mark);
      await page.getByTestId('queue-row').nth(1).click();
      await pane.focus();
      await page.keyboard.press('Control+Enter');
      await expect(page.getByTestId('verdict-error')).toBeVisible();
      await screen('incomplete');
      await page.keyboard.press('x');
      await expect(page.locator('#route-picker')).toBeFocused();
      await screen('escalate');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');

      await page.getByTestId('filters-toggle').click();
      await screen('filters');
      await page.getByTestId('filters-toggle').click();

      // Empty queue.
      mark = await eventMark(page);
      await page.getByTestId('queue-search').fill('zzqxjvvk');
      await waitForAppEvent(page, 'verdict:queue-loaded', mark);
      await expect(page.getByTestId('queue-empty')).toBeVisible();
      await screen('empty-queue');
      mark = await eventMark(page);
      await page.getByTestId('queue-search').fill('');
      await waitForAppEvent(page, 'verdict:queue-loaded', mark);

      await pane.focus();
      await page.keyboard.press('?');
      await expect(page.getByTestId('help-modal')).toBeVisible();
      await screen('cheatsheet');
      await page.keyboard.press('Escape');

      await pane.focus();
      await page.keyboard.press('g');
      await page.keyboard.press('w');
      await expect(page.getByTestId('sources-list')).toBeVisible();
      await screen('workspace-sources');
      for (const tab of ['quarantine', 'sync', 'audit'] as const) {
        await page.getByTestId(`ws-tab-${tab}`).click();
        await screen(`workspace-${tab}`);
      }
      await page.keyboard.press('Escape');
      await pane.focus();
      await page.keyboard.press('g');
      await page.keyboard.press('e');
      await expect(page.getByTestId('export-drawer')).toBeVisible();
      await screen('export');
      await page.keyboard.press('Escape');

      writeFileSync(`${DIR}/axe-${size.name}-${theme}.json`, JSON.stringify(found, null, 2));
      expect(found.map((f) => `${f.screen}: ${f.rule} (${f.impact}) ${f.targets.join(' | ')} — ${f.summary}`)).toEqual([]);
    });
  }
}
