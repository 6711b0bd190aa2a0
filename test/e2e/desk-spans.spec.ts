/**
 * Issue 15, "add, adjust or reject spans": by keyboard (P, type, Tab, label; the edge buttons;
 * reject) and by mouse (select text in the output, pick a label). Offsets are code points, so
 * emoji before the text must not shift the span. Stored with the verdict and its audit event.
 */
import type { Page } from '@playwright/test';
import { codePointSpan, eventMark, expect, openApp, record, test, waitForAppEvent } from './fixtures.ts';

const OUTPUT = '😀😀 Take 40 mg twice daily.';

async function call<T>(page: Page, name: string, input: unknown): Promise<T> {
  return page.evaluate(
    async ({ name, input }) => {
      const token = sessionStorage.getItem('verdict.token') ?? '';
      const r = await fetch(`/api/call/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Verdict-Token': token }, body: JSON.stringify(input) });
      return ((await r.json()) as { value: unknown }).value;
    },
    { name, input },
  ) as Promise<T>;
}

/** Drags the real mouse across `needle` in the output message. */
async function selectWithMouse(page: Page, needle: string): Promise<void> {
  const box = await page.evaluate((needle) => {
    const root = document.querySelector('[data-field="output.messages[0]"]')!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = (n as Text).data.indexOf(needle);
      if (at < 0) continue;
      const r = document.createRange();
      r.setStart(n, at);
      r.setEnd(n, at + needle.length);
      const b = r.getBoundingClientRect();
      return { x0: b.left + 1, x1: b.right - 1, y: b.top + b.height / 2 };
    }
    return null;
  }, needle);
  if (!box) throw new Error(`${needle} not found`);
  await page.mouse.move(box.x0, box.y);
  await page.mouse.down();
  await page.mouse.move(box.x1, box.y, { steps: 5 });
  await page.mouse.up();
}

test('spans: add by keyboard and by mouse, move an edge, reject one; stored in code points with the verdict and verified', async ({ page, serve }) => {
  const flags = [{ source: 'dose-detector', category: 'dosing', score: 0.8, spans: [{ field: 'output', ...codePointSpan(OUTPUT, '40 mg'), label: 'dose' }, { field: 'output', ...codePointSpan(OUTPUT, 'twice'), label: 'freq' }] }];
  const served = await serve({ demo: 0, files: [{ name: 'dose.jsonl', lines: [JSON.stringify(record({ id: 'dose', route: 'clinical', output: { messages: [{ role: 'assistant', content: OUTPUT }] }, flags }))] }] });
  const { firstId } = await openApp(page, served);
  await expect(page.getByTestId('span-row')).toHaveCount(2);

  // Keyboard: P, type the text, Tab to the label, type it, Enter.
  await page.getByTestId('item-pane').focus();
  await page.keyboard.press('p');
  await expect(page.locator('#span-find')).toBeFocused();
  await page.keyboard.type('daily');
  await expect(page.getByTestId('span-pick')).toContainText('“daily”');
  await expect(page.getByTestId('span-pick')).toContainText(`output.messages[0] ${codePointSpan(OUTPUT, 'daily').start}–${codePointSpan(OUTPUT, 'daily').end}`);
  await page.keyboard.press('Tab');
  await expect(page.locator('#span-label')).toBeFocused();
  await page.keyboard.type('S6');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('span-added')).toHaveCount(1);
  await expect(page.getByTestId('span-added')).toContainText('“daily”');
  await expect(page.locator('mark[data-state="added"]')).toHaveText('daily');
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('item-pane');

  // Keyboard: the first flag span's end moves six characters later ("40 mg" → "40 mg twice").
  const later = page.getByRole('button', { name: 'End one character later of flag 1 span 1' });
  await later.focus();
  for (let i = 0; i < 6; i++) await page.keyboard.press('Enter');
  await expect(page.getByTestId('span-row').nth(0)).toHaveAttribute('data-state', 'adjusted');
  await expect(page.getByTestId('span-row').nth(0)).toContainText('“40 mg twice”');
  // Reject the second with the keyboard too.
  await page.getByRole('button', { name: 'Reject flag 1 span 2' }).focus();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('span-row').nth(1)).toHaveAttribute('data-state', 'rejected');

  // Mouse: select "Take" after the two emoji and give it a label.
  await selectWithMouse(page, 'Take');
  await expect(page.getByTestId('span-pick')).toContainText('“Take”');
  await page.locator('#span-label').click();
  await page.getByRole('option', { name: 'S6 Specialized Advice' }).click();
  await expect(page.getByTestId('span-added')).toHaveCount(2);

  await page.getByTestId('item-pane').focus();
  const mark = await eventMark(page);
  await page.keyboard.press('v');
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { itemId: firstId });
  const view = await call<{ current: { spanEdits: unknown[] }; events: { type: string; data: { span_edits?: unknown } }[] }>(page, 'item.get', { id: firstId });
  const at = (s: string) => codePointSpan(OUTPUT, s);
  const expected = [
    { end: at('40 mg twice').end, flag: 0, op: 'adjust', span: 0, start: at('40 mg').start },
    { flag: 0, op: 'reject', span: 1 },
    { end: at('Take').end, field: 'output.messages[0]', label: 'S6', op: 'add', start: at('Take').start },
    { end: at('daily').end, field: 'output.messages[0]', label: 'S6', op: 'add', start: at('daily').start },
  ];
  expect(view.current.spanEdits).toEqual(expected);
  expect(view.events.find((e) => e.type === 'verdict.recorded')?.data.span_edits).toEqual(expected);
  expect(await call<{ ok: boolean }>(page, 'audit.verify', {})).toMatchObject({ ok: true });
});
