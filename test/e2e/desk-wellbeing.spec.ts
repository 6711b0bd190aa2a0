/**
 * Wellbeing masking on the desk's review screen (issue 13): an item whose flags carry a masked
 * category opens as a placeholder (never the text, not even in the correction editor), `o`
 * reveals it, the reveal is an audited item action, and the break reminder shows once the day's
 * reveals reach the setting. An unmasked item opens as usual. Screenshots, both themes, at
 * 1440×900 and 1280×720: test-results/screenshots/desk-masked-<state>-<theme>-<width>.png. The
 * masked item's queue row shows why it is masked, never its snippet (queue.page sends none).
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { eventMark, expect, openApp, record, test, waitForAppEvent, type Served } from './fixtures.ts';

const DIR = 'test-results/screenshots';
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(REPO, 'electron/cli/bin.mjs');
const run = promisify(execFile);
const SECRET = 'I have saved up my pills and tonight is the night.';
const ANSWER = 'Please call a crisis line now; you do not have to go through this alone.';

const ITEMS = [
  record({
    id: 'masked-1',
    priority: 'critical',
    input: { messages: [{ role: 'user', content: SECRET }] },
    output: { messages: [{ role: 'assistant', content: ANSWER }] },
    flags: [{ source: 'llama-guard', category: 'S11: Suicide & Self-Harm', score: 0.97 }],
  }),
  record({ id: 'plain-1', priority: 'normal', output: { messages: [{ role: 'assistant', content: 'Paris is the capital of France.' }] } }),
];

async function api(page: Page, served: Served, method: string, input: Record<string, unknown>): Promise<unknown> {
  const res = await page.request.post(`${served.origin}/api/call/${method}`, { headers: { 'X-Verdict-Token': served.token }, data: input });
  const body = (await res.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.value;
}

async function shot(page: Page, name: string) {
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
  await page.screenshot({ path: `${DIR}/${name}.png` });
}

/** Opens the desk on the masked item (first by priority) and checks nothing of its text shows. */
async function openMasked(page: Page, served: Served): Promise<string> {
  let firstId: string;
  if (page.url() === 'about:blank') firstId = (await openApp(page, served)).firstId;
  else {
    // Same URL (the key is after the #): reload, which starts the recorded events afresh.
    await page.reload();
    await waitForAppEvent(page, 'verdict:queue-loaded', 0);
    firstId = String((await waitForAppEvent(page, 'verdict:item-shown', 0)).id);
  }
  const shown = await waitForAppEvent(page, 'verdict:item-shown', 0, { id: firstId, masked: 'S11' });
  expect(shown.masked).toBe('S11');
  await expect(page.getByTestId('desk-masked')).toContainText('Masked: S11');
  await expect(page.getByTestId('correction-masked')).toBeVisible();
  await expect(page.getByTestId('panel-conversation')).toHaveCount(0);
  expect(await page.locator('body').innerText()).not.toContain('saved up my pills');
  // The queue row says why instead of its snippet (the output text): queue.page never sends it.
  const row = page.locator(`[data-testid="queue-row"][data-id="${firstId}"]`);
  await expect(row.getByTestId('queue-row-masked')).toContainText('Masked: S11');
  const html = await page.content();
  for (const text of ['saved up my pills', 'call a crisis line']) expect(html).not.toContain(text);
  return firstId;
}

test('a masked item opens as a placeholder; o reveals it, recorded; break reminder; unmasked items open as usual', async ({ page, serve }) => {
  mkdirSync(DIR, { recursive: true });
  const served = await serve({ demo: 0, files: [{ name: 'wellbeing.jsonl', lines: ITEMS.map((r) => JSON.stringify(r)) }] });
  // The break reminder after one reveal, so one reveal shows it.
  await api(page, served, 'expert.setSettings', { blindRoutes: [], maskedRoutes: [], maskedLabels: ['S1', 'S4', 'S11'], breakAfter: 1 });

  let reveals = 0;
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    for (const [w, h] of [
      [1440, 900],
      [1280, 720],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      const id = await openMasked(page, served);
      await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', theme);
      await shot(page, `desk-masked-hidden-${theme}-${w}`);

      const mark = await eventMark(page);
      await page.keyboard.press('o');
      const revealed = await waitForAppEvent(page, 'verdict:item-revealed', mark, { id });
      reveals += 1;
      expect(revealed.reveals).toBe(reveals);
      expect(revealed.breakDue).toBe(true);
      await expect(page.getByTestId('panel-conversation')).toContainText(SECRET);
      await expect(page.getByTestId('panel-conversation')).toContainText(ANSWER);
      await expect(page.getByTestId('correction-editor')).toBeVisible();
      await expect(page.getByTestId('desk-break-reminder')).toContainText(`${reveals} masked ${reveals === 1 ? 'item' : 'items'} today`);
      await shot(page, `desk-masked-revealed-${theme}-${w}`);
    }
  }

  // Each reveal is an item action, and the audit still verifies.
  const id = await page.getByTestId('item-pane').getAttribute('data-item-id');
  const actions = (await api(page, served, 'item.actions', { itemId: id })) as { actions: { kind: string }[]; masked: string | null };
  expect(actions.masked).toBe('S11');
  expect(actions.actions.filter((a) => a.kind === 'reveal')).toHaveLength(reveals);
  const { stdout } = await run(process.execPath, [BIN, 'audit', 'verify', '--workspace', served.workspace, '--json'], { cwd: REPO });
  expect((JSON.parse(stdout) as { ok: boolean }).ok).toBe(true);

  // The next item is not masked: its content shows at once.
  const mark = await eventMark(page);
  await page.keyboard.press('j');
  const next = await waitForAppEvent(page, 'verdict:item-shown', mark, { notId: id });
  expect(next.masked).toBeNull();
  await expect(page.getByTestId('panel-conversation')).toContainText('Paris is the capital of France.');
  await expect(page.getByTestId('desk-masked')).toHaveCount(0);
});
