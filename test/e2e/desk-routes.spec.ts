/**
 * Issue 15, "per-route taxonomies and structured fields": a taxonomy whose clinical route lists its
 * own labels; the clinical item's chips (and number keys) offer those, the form asks for the
 * route's fields, and the verdict stores them; a legal item keeps the workspace labels.
 */
import type { Page } from '@playwright/test';
import { eventMark, expect, openApp, record, test, waitForAppEvent } from './fixtures.ts';

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

test('a clinical route with its own labels and dosing fields; legal keeps the workspace labels and asks for the jurisdiction', async ({ page, serve }) => {
  const served = await serve({
    demo: 0,
    files: [{ name: 'routes.jsonl', lines: [JSON.stringify(record({ id: 'clin', priority: 'critical', route: 'clinical' })), JSON.stringify(record({ id: 'law', priority: 'high', route: 'legal' }))] }],
  });
  const { firstId } = await openApp(page, served);
  const base = await call<{ labels: unknown[]; routes: Record<string, unknown> }>(page, 'taxonomy.get', {});
  const clinical = { ...(base.routes.clinical as object), labels: ['S6', { id: 'dosing_error', name: 'Dosing error' }, { id: 'contraindication', name: 'Contraindication missed' }] };
  await call(page, 'taxonomy.set', { json: JSON.stringify({ ...base, routes: { ...base.routes, clinical } }) });
  await page.reload();
  await waitForAppEvent(page, 'verdict:item-shown', 0, { id: firstId });

  const chips = page.getByTestId('label-chips').getByRole('button');
  await expect(chips).toHaveCount(3);
  await expect(page.getByTestId('label-dosing_error')).toContainText('Dosing error');
  await expect(page.getByTestId('route-fields')).toContainText('clinical fields');

  // Keyboard: 2 toggles the route's second label; Tab-free typing into the fields by their ids.
  await page.getByTestId('item-pane').focus();
  await page.keyboard.press('v');
  await page.keyboard.press('2');
  await expect(page.getByTestId('label-dosing_error')).toHaveAttribute('aria-pressed', 'true');
  await page.locator('#route-field-dose_stated').fill('12 units before dinner');
  await page.locator('#route-field-harm_likelihood').click();
  await page.getByRole('option', { name: 'likely', exact: true }).click();
  await page.getByTestId('item-pane').focus();
  const mark = await eventMark(page);
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { itemId: firstId });
  const view = await call<{ current: { labels: string[]; routeFields: Record<string, string> } }>(page, 'item.get', { id: firstId });
  expect(view.current.labels).toEqual(['dosing_error']);
  expect(view.current.routeFields).toEqual({ dose_stated: '12 units before dinner', harm_likelihood: 'likely' });

  // The legal item: the workspace labels (S1 first) and its own fields.
  await expect(page.getByTestId('verdict-pane')).not.toHaveAttribute('data-item-id', firstId);
  await expect(page.getByTestId('label-S1')).toBeVisible();
  await expect(page.getByTestId('route-field-jurisdiction')).toBeVisible();
  expect(await call<{ ok: boolean }>(page, 'audit.verify', {})).toMatchObject({ ok: true });
});
