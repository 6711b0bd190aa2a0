/** Issue 15, polish: a skipped item leaves "In review" and goes after the unskipped ones, not back to the top. */
import { eventMark, expect, openApp, record, test, waitForAppEvent } from './fixtures.ts';

test('skip (s, Ctrl+Enter) moves the item after the unskipped ones and counts it as skipped', async ({ page, serve }) => {
  const lines = ['critical', 'high', 'normal', 'low'].map((priority, i) => JSON.stringify(record({ id: `item-${i}`, priority })));
  const served = await serve({ demo: 0, files: [{ name: 'four.jsonl', lines }] });
  const { firstId } = await openApp(page, served);
  const rows = page.getByTestId('queue-row');
  await expect(rows).toHaveCount(4);
  const order = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
  expect(order[0]).toBe(firstId);

  await page.getByTestId('item-pane').focus();
  const mark = await eventMark(page);
  await page.keyboard.press('s');
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { itemId: firstId });
  // The next item is shown, and the skipped one is listed last, marked skipped.
  await waitForAppEvent(page, 'verdict:item-shown', mark, { id: order[1] });
  await expect.poll(() => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).toEqual([order[1], order[2], order[3], firstId]);
  await expect(rows.last()).toHaveAttribute('data-status', 'skipped');
  await expect(page.getByTestId('status-count-skipped')).toHaveText('1');
  await expect(page.getByTestId('status-count-in_review')).toHaveText('0');
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('item-pane');
});
