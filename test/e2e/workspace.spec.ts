/** The workspace screen: ingest with progress, sources, quarantine, audit, settings. */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { eventMark, expect, openApp, record, test, waitForAppEvent } from './fixtures.ts';

test('ingest a file with bad lines from the Workspace screen and read the quarantine', async ({ page, serve }) => {
  const served = await serve({ demo: 20 });
  await openApp(page, served);
  const hostileRaw = '{"id": "<img src=x onerror=alert(1)>", "created_at": ';
  const lines = [
    JSON.stringify(record({ id: 'good-1' })),
    '{not json at all',
    JSON.stringify(record({ id: 'bad-date', created_at: 'yesterday' })),
    JSON.stringify(record({ id: 'good-2' })),
    hostileRaw,
  ];
  const file = join(served.dir, 'incoming.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);

  await page.getByTestId('item-pane').focus();
  await page.keyboard.press('g');
  await page.keyboard.press('w');
  await expect(page.getByTestId('workspace-drawer')).toBeVisible();
  const mark = await eventMark(page);
  await page.getByTestId('ingest-path').fill(file);
  await page.getByTestId('ingest-start').click();
  await expect(page.getByTestId('ingest-state')).toHaveText('done');
  await expect(page.getByTestId('ingest-job')).toContainText('2 ingested');
  await expect(page.getByTestId('ingest-job')).toContainText('3 quarantined');
  // The queue refreshes by itself after the ingest.
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);

  await expect(page.getByTestId('source-name').filter({ hasText: 'incoming.jsonl' })).toBeVisible();
  await page.getByTestId('ws-tab-quarantine').click();
  const rows = page.getByTestId('quarantine-row');
  await expect(rows).toHaveCount(3);
  const locations = await page.getByTestId('quarantine-location').allTextContents();
  expect(locations.sort()).toEqual([`${file}:2`, `${file}:3`, `${file}:5`].sort());
  const reasons = await page.getByTestId('quarantine-reason').allTextContents();
  expect(reasons.every((r) => r.length > 0)).toBe(true);
  // The hostile line is text in a <pre>, not markup.
  const raw = page.getByTestId('quarantine-raw').filter({ hasText: 'onerror' });
  await expect(raw).toHaveText(hostileRaw);
  expect(await raw.evaluate((el) => el.children.length)).toBe(0);
  expect(await page.locator('[data-testid="workspace-drawer"] img').count()).toBe(0);

  // Audit: head and verify.
  await page.getByTestId('ws-tab-audit').click();
  await expect(page.getByTestId('audit-root')).toHaveText(/^[0-9a-f]{64}$/);
  await page.getByTestId('audit-verify').click();
  await expect(page.getByTestId('audit-result')).toHaveAttribute('data-ok', 'true');

  // Settings: reviewer name.
  await page.getByTestId('ws-tab-settings').click();
  await page.getByTestId('reviewer-name').fill('Dr. Ada Reviewer');
  await page.getByTestId('reviewer-save').click();
  await expect(page.getByTestId('settings-section')).toContainText('Verdicts will be recorded as Dr. Ada Reviewer.');
  // A bad taxonomy is refused with the core's reason.
  await page.getByTestId('taxonomy-json').fill('{"name": "x", "labels": []}');
  await page.getByTestId('taxonomy-load').click();
  await expect(page.getByTestId('taxonomy-message')).toContainText('invalid');
});
