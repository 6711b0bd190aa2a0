/**
 * Issue 15, "missing for reviewers": accept or reject each flag by keyboard; the calls are stored
 * with the verdict (and its audit event), come back on amend, and History shows them.
 */
import type { Page } from '@playwright/test';
import { eventMark, expect, openApp, record, test, waitForAppEvent } from './fixtures.ts';

async function call<T>(page: Page, name: string, input: unknown): Promise<T> {
  return page.evaluate(
    async ({ name, input }) => {
      const token = sessionStorage.getItem('verdict.token') ?? '';
      const r = await fetch(`/api/call/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Verdict-Token': token },
        body: JSON.stringify(input),
      });
      return ((await r.json()) as { value: unknown }).value;
    },
    { name, input },
  ) as Promise<T>;
}

const FLAGS = [
  { source: 'llama-guard-3', category: 'S6', score: 0.91 },
  { source: 'pii-scan', category: 'pii', score: 0.42 },
  { source: 'toxicity', score: 0.2 },
];

test('per-flag accept/reject by keyboard: stored with the verdict and its event, shown in History, loaded on amend', async ({ page, serve }) => {
  const served = await serve({
    demo: 0,
    files: [{ name: 'flags.jsonl', lines: [JSON.stringify(record({ id: 'three-flags', flags: FLAGS })), JSON.stringify(record({ id: 'second' }))] }],
  });
  const { firstId } = await openApp(page, served);
  // Decided items stay listed, so `k` comes back to this one after its verdict.
  const shown = await eventMark(page);
  await page.getByTestId('status-decided').click();
  await waitForAppEvent(page, 'verdict:queue-loaded', shown);
  const rows = page.getByTestId('flag-review');
  await expect(rows).toHaveCount(3);
  await page.getByTestId('item-pane').focus();
  // y on flag 1, b on flag 2 (the cursor moved on), l skips flag 3 and wraps to 1, b rejects it instead.
  await page.keyboard.press('y');
  await expect(rows.nth(0)).toHaveAttribute('data-call', 'accepted');
  await expect(rows.nth(1)).toHaveAttribute('data-current', 'true');
  await page.keyboard.press('b');
  await expect(rows.nth(1)).toHaveAttribute('data-call', 'rejected');
  await expect(rows.nth(2)).toHaveAttribute('data-current', 'true');
  await page.keyboard.press('l');
  await expect(rows.nth(0)).toHaveAttribute('data-current', 'true');
  await page.keyboard.press('b');
  await expect(rows.nth(0)).toHaveAttribute('data-call', 'rejected');
  await expect(rows.nth(2)).toHaveAttribute('data-call', 'none');
  await expect(page.getByTestId('flag-reviews')).toContainText('2 of 3 called');
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('item-pane');

  let mark = await eventMark(page);
  await page.keyboard.press('f');
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { itemId: firstId });

  const view = await call<{ current: { id: string; flagReviews: unknown }; events: { type: string; data: { flag_reviews?: unknown } }[] }>(page, 'item.get', { id: firstId });
  const expected = [{ accepted: false, flag: 0 }, { accepted: false, flag: 1 }];
  expect(view.current.flagReviews).toEqual(expected);
  expect(view.events.find((e) => e.type === 'verdict.recorded')?.data.flag_reviews).toEqual(expected);
  const verify = await call<{ ok: boolean }>(page, 'audit.verify', {});
  expect(verify.ok).toBe(true);

  // Back to it: History names the calls; `a` loads them into the form for an amendment.
  mark = await eventMark(page);
  await page.keyboard.press('k');
  await waitForAppEvent(page, 'verdict:item-shown', mark, { id: firstId });
  await page.getByTestId('tab-history').click();
  const calls = page.getByTestId('history-flag-calls');
  await expect(calls).toContainText('flag wrong: S6 (llama-guard-3)');
  await expect(calls).toContainText('flag wrong: pii (pii-scan)');
  await page.getByTestId('item-pane').focus();
  await page.keyboard.press('a');
  await expect(page.getByTestId('amend-banner')).toBeVisible();
  await expect(rows.nth(0)).toHaveAttribute('data-call', 'rejected');
  await expect(rows.nth(1)).toHaveAttribute('data-call', 'rejected');
  // Pressing the same call again clears it.
  await rows.nth(1).getByRole('button', { name: /Reject flag 2/ }).click();
  await expect(rows.nth(1)).toHaveAttribute('data-call', 'none');
  await page.getByTestId('item-pane').focus();
  mark = await eventMark(page);
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { kind: 'amendment', itemId: firstId });
  const after = await call<{ current: { kind: string; flagReviews: unknown } }>(page, 'item.get', { id: firstId });
  expect(after.current).toMatchObject({ kind: 'amendment', flagReviews: [{ accepted: false, flag: 0 }] });
});

test('a Llama Guard S6 flag preselects S6, marked as a suggestion; the reviewer keeps it, drops it with its key, or F drops it', async ({ page, serve }) => {
  const lg = (id: string, priority: string) =>
    JSON.stringify(record({ id, priority, flags: [{ source: 'llama-guard', category: 'S6: Specialized Advice', score: 0.8 }] }));
  const served = await serve({ demo: 0, files: [{ name: 's6.jsonl', lines: [lg('keep', 'critical'), lg('drop', 'high'), lg('dismiss', 'normal')] }] });
  const { firstId } = await openApp(page, served);
  const s6 = page.getByTestId('label-S6');
  await expect(s6).toHaveAttribute('aria-pressed', 'true');
  await expect(s6).toHaveAttribute('data-suggested', 'true');
  await expect(s6).toContainText('suggested');
  await expect(page.getByTestId('label-suggestions')).toContainText('S6 from flag 1');

  // Kept: the verdict carries S6 and the notice names it as a suggestion taken.
  await page.getByTestId('item-pane').focus();
  let mark = await eventMark(page);
  await page.keyboard.press('v');
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { itemId: firstId });
  await expect(page.getByTestId('verdict-notice')).toContainText('with suggested S6');
  const kept = await call<{ current: { labels: string[] } }>(page, 'item.get', { id: firstId });
  expect(kept.current.labels).toEqual(['S6']);

  // Dropped by its key: no longer pressed, no longer a suggestion; the next key press selects it as the reviewer's own.
  const second = (await page.getByTestId('item-pane').getAttribute('data-item-id'))!;
  expect(second).not.toBe(firstId);
  await expect(s6).toHaveAttribute('data-suggested', 'true');
  await page.keyboard.press('6');
  await expect(s6).toHaveAttribute('aria-pressed', 'false');
  await expect(s6).not.toHaveAttribute('data-suggested', /.*/);
  await expect(page.getByTestId('label-suggestions')).toHaveCount(0);
  mark = await eventMark(page);
  await page.keyboard.press('v');
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { itemId: second });
  expect((await call<{ current: { labels: string[] } }>(page, 'item.get', { id: second })).current.labels).toEqual([]);

  // F: a false positive carries no labels; the suggestion goes and the notice says so.
  const third = (await page.getByTestId('item-pane').getAttribute('data-item-id'))!;
  await page.keyboard.press('f');
  await expect(s6).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('verdict-notice')).toContainText('Suggested labels dropped');
  mark = await eventMark(page);
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { itemId: third });
  expect((await call<{ current: { decision: string; labels: string[] } }>(page, 'item.get', { id: third })).current).toMatchObject({ decision: 'dismiss', labels: [] });
});

test('a long conversation opens at the output under review; a short one at the top', async ({ page, serve }) => {
  const turns = Array.from({ length: 40 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `Turn ${i + 1}: ${'a long message about dosing. '.repeat(12)}` }));
  const served = await serve({
    demo: 0,
    files: [
      {
        name: 'long.jsonl',
        lines: [
          JSON.stringify(record({ id: 'long', priority: 'critical', input: { messages: turns }, output: { messages: [{ role: 'assistant', content: 'The reply under review.' }] } })),
          JSON.stringify(record({ id: 'short', priority: 'high' })),
        ],
      },
    ],
  });
  await openApp(page, served);
  const panel = page.getByTestId('panel-conversation');
  await expect(page.getByTestId('output-under-review')).toBeInViewport();
  await expect(page.getByTestId('message-output-0')).toBeInViewport();
  expect(await panel.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  // The end of the input stays just above it for context.
  await expect(page.getByTestId('message-input-39')).toBeInViewport({ ratio: 0.05 });

  await page.getByTestId('item-pane').focus();
  const mark = await eventMark(page);
  await page.keyboard.press('j');
  await waitForAppEvent(page, 'verdict:item-shown', mark, { notId: '' });
  await expect(page.getByTestId('item-pane')).toContainText('short');
  expect(await page.getByTestId('panel-conversation').evaluate((el) => el.scrollTop)).toBe(0);
});
