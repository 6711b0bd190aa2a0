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
