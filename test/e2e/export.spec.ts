/**
 * The export screen (g e) and sync back to the sources: export a dataset, verify it, catch a
 * tampered file and a non-empty folder; deliver a verdict to a file source's results file,
 * retry a failing source, import decisions from another tool.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { eventMark, expect, openApp, record, test, waitForAppEvent, type Served } from './fixtures.ts';

/** Decides the item on screen with the keyboard and waits until the next one is shown. */
async function decide(page: Page, key: 'v' | 'f'): Promise<string> {
  const pane = page.getByTestId('item-pane');
  const current = await pane.getAttribute('data-item-id');
  const mark = await eventMark(page);
  await pane.focus();
  await page.keyboard.press(key);
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { kind: 'verdict', itemId: current });
  await waitForAppEvent(page, 'verdict:item-shown', mark, { notId: current });
  return current!;
}

/** The verdict in force on an item, read through the same API the UI uses. */
async function currentVerdictId(page: Page, served: Served, itemId: string): Promise<string> {
  const res = await page.request.post(`${served.origin}/api/call/item.get`, { data: { id: itemId }, headers: { 'X-Verdict-Token': served.token } });
  const body = (await res.json()) as { ok: boolean; value: { current: { id: string } | null } };
  expect(body.ok).toBe(true);
  return body.value.current!.id;
}

test('export a classifier dataset with g e, verify it, catch a tampered file and a non-empty folder', async ({ page, serve }) => {
  const served = await serve({ demo: 60 });
  await openApp(page, served);
  for (const key of ['v', 'f', 'v'] as const) await decide(page, key);

  // g e opens the export screen; the defaults are redact on, allow-unredacted off.
  await page.getByTestId('item-pane').focus();
  await page.keyboard.press('g');
  await page.keyboard.press('e');
  const drawer = page.getByTestId('export-drawer');
  await expect(drawer).toBeVisible();
  await expect(page.getByTestId('export-redact')).toBeChecked();
  await expect(page.getByTestId('export-allow-unredacted')).not.toBeChecked();

  await page.getByTestId('format-classifier').click();
  await expect(page.getByTestId('format-classifier')).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('output-jsonl')).toBeChecked();
  await expect(page.getByTestId('output-parquet')).toBeChecked();
  await expect(page.getByTestId('export-include-dismissed')).toBeDisabled();

  // Split ratios must sum to 1: inline, and Export stays off until they do.
  const out = join(served.dir, 'dataset');
  await page.getByTestId('export-out').fill(out);
  await page.getByTestId('split-test').fill('0.2');
  await expect(page.getByTestId('split-message')).toHaveAttribute('data-error', 'true');
  await expect(page.getByTestId('split-message')).toContainText('must sum to 1');
  await expect(page.getByTestId('export-start')).toBeDisabled();
  await page.getByTestId('split-test').fill('0.1');
  await expect(page.getByTestId('split-message')).toHaveAttribute('data-error', 'false');
  await expect(page.getByTestId('export-start')).toBeEnabled();

  // The demo has PII-flagged items nobody has resolved: the core refuses, in one inline line.
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-error')).toContainText('refusing to export');
  await expect(page.getByTestId('export-error')).toContainText('PII');
  await expect(page.getByTestId('export-out')).toHaveValue(out);
  expect(existsSync(out)).toBe(false);

  // Allow it (audited) and export.
  await page.getByTestId('export-allow-unredacted').check();
  await expect(page.getByTestId('export-allow-unredacted')).toBeChecked();
  await expect(page.getByTestId('export-allow-warning')).toContainText('audit log');
  await page.getByTestId('export-start').click();
  const summary = page.getByTestId('export-summary');
  await expect(summary).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('export-error')).toHaveCount(0);
  await expect(page.getByTestId('export-rows')).toHaveText('3');
  const perSplit = await Promise.all(['train', 'validation', 'test'].map(async (s) => Number(await page.getByTestId(`export-split-${s}`).textContent())));
  expect(perSplit.reduce((a, b) => a + b, 0)).toBe(3);
  await expect(page.getByTestId('export-audit-seq')).toHaveText(/^#\d+$/);
  await expect(page.getByTestId('export-pii')).toContainText('unresolved');
  await expect(page.getByTestId('export-dir')).toHaveText(out);
  const files = page.getByTestId('export-file');
  const names = (await files.locator('span:first-child').allTextContents()).map((s) => s.trim());
  expect(names).toContain('items.jsonl');
  expect(names.some((n) => /^data\/.+\.jsonl$/.test(n))).toBe(true);
  expect(names.some((n) => /^data\/.+\.parquet$/.test(n))).toBe(true);
  for (const n of names) expect(existsSync(join(out, n))).toBe(true);
  expect(existsSync(join(out, 'manifest.json'))).toBe(true);

  // Verify: OK, with the audit head.
  await page.getByTestId('export-verify').click();
  const verified = page.getByTestId('export-verify-result');
  await expect(verified).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('export-verify-result-head')).toHaveText(/^[0-9a-f]{64}$/);

  // Tamper with a data file on disk: Verify names the problem.
  const parquet = readdirSync(join(out, 'data')).find((f) => f.endsWith('.parquet'))!;
  appendFileSync(join(out, 'data', parquet), 'tampered');
  await page.getByTestId('export-verify').click();
  await expect(verified).toHaveAttribute('data-ok', 'false');
  await expect(page.getByTestId('export-verify-result-problem')).toContainText(parquet);

  // The separate "verify an export folder" box says the same.
  await page.getByTestId('verify-folder-path').fill(out);
  await page.getByTestId('verify-folder-run').click();
  await expect(page.getByTestId('verify-folder-result')).toHaveAttribute('data-ok', 'false');
  await expect(page.getByTestId('verify-folder-result-problem')).toContainText(parquet);

  // Exporting into the same, now non-empty, folder: an inline error, the form kept.
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-error')).toContainText('is not empty');
  await expect(page.getByTestId('export-out')).toHaveValue(out);
  await expect(page.getByTestId('format-classifier')).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('export-allow-unredacted')).toBeChecked();

  // Esc closes the screen; the header button opens it again with the draft intact.
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
  await page.getByTestId('open-export').click();
  await expect(page.getByTestId('export-out')).toHaveValue(out);
});

test('sync back: deliver a verdict to the results file, retry a failing source, import decisions', async ({ page, serve }) => {
  const served = await serve({ demo: 5 });
  await openApp(page, served);
  const file = join(served.dir, 'incoming.jsonl');
  writeFileSync(
    file,
    `${[
      JSON.stringify(record({ id: 'sync-one', priority: 'critical', input: { messages: [{ role: 'user', content: 'wombatcheck one' }] } })),
      JSON.stringify(record({ id: 'sync-two', priority: 'critical', input: { messages: [{ role: 'user', content: 'wombatcheck two' }] } })),
    ].join('\n')}\n`,
  );
  // A second source whose results path is a folder, so delivery to it fails.
  const blockedDir = join(served.dir, 'blocked');
  mkdirSync(blockedDir);
  const blocked = join(blockedDir, 'feed.jsonl');
  writeFileSync(blocked, `${JSON.stringify(record({ id: 'blocked-one', priority: 'critical' }))}\n`);
  mkdirSync(`${blocked}.verdicts.jsonl`);

  // Ingest both through the Workspace screen.
  await page.getByTestId('item-pane').focus();
  await page.keyboard.press('g');
  await page.keyboard.press('w');
  for (const path of [file, blocked]) {
    await page.getByTestId('ingest-path').fill(path);
    await page.getByTestId('ingest-start').click();
    await expect(page.getByTestId('ingest-job')).toContainText(path);
    await expect(page.getByTestId('ingest-state')).toHaveText('done');
  }
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('workspace-drawer')).toHaveCount(0);

  // Decide the first file's first record, and the blocked one.
  let mark = await eventMark(page);
  await page.getByTestId('queue-search').fill('wombatcheck one');
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  await expect(page.getByTestId('queue-row')).toHaveCount(1);
  await page.getByTestId('queue-row').first().click();
  const row = page.getByTestId('queue-row').first();
  const itemId = (await row.getAttribute('data-id'))!;
  await expect(page.getByTestId('item-pane')).toHaveAttribute('data-item-id', itemId);
  mark = await eventMark(page);
  await page.getByTestId('item-pane').focus();
  await page.keyboard.press('v');
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { kind: 'verdict', itemId });
  const verdictId = await currentVerdictId(page, served, itemId);

  mark = await eventMark(page);
  await page.getByTestId('queue-search').fill('blocked-one');
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  await expect(page.getByTestId('queue-row')).toHaveCount(1);
  const blockedItem = (await page.getByTestId('queue-row').first().getAttribute('data-id'))!;
  await page.getByTestId('queue-row').first().click();
  await expect(page.getByTestId('item-pane')).toHaveAttribute('data-item-id', blockedItem);
  mark = await eventMark(page);
  await page.getByTestId('item-pane').focus();
  await page.keyboard.press('f');
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { kind: 'verdict', itemId: blockedItem });

  // Workspace → Sync: Sync now delivers the verdict to <file>.verdicts.jsonl.
  await page.getByTestId('item-pane').focus();
  await page.keyboard.press('g');
  await page.keyboard.press('w');
  await page.getByTestId('ws-tab-sync').click();
  const source = page.getByTestId('sync-source').filter({ has: page.getByTestId('sync-source-name').getByText('incoming.jsonl', { exact: true }) });
  await expect(source.getByTestId('sync-target')).toHaveText(`${file}.verdicts.jsonl`);
  await page.getByTestId('sync-now').click();
  await expect(source.getByTestId('sync-delivered')).toHaveText('1');
  await expect(source.getByTestId('sync-pending')).toHaveText('0');
  await expect(source.getByTestId('sync-state')).toHaveText('Up to date');
  await expect(source.getByTestId('sync-last')).not.toHaveText('—');
  const lines = readFileSync(`${file}.verdicts.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ verdict_id: verdictId, item_id: 'sync-one', decision: 'violation' });

  // The demo source has no return path.
  const demo = page.getByTestId('sync-source').filter({ has: page.getByTestId('sync-state').getByText('No return path', { exact: true }) });
  await expect(demo).toHaveCount(1);

  // The blocked source fails with its error and a next attempt; Retry once the path is fixed.
  const failing = page.getByTestId('sync-source').filter({ has: page.getByTestId('sync-source-name').getByText('feed.jsonl', { exact: true }) });
  await expect(failing.getByTestId('sync-failed')).toHaveText('1');
  await expect(failing.getByTestId('sync-error')).not.toBeEmpty();
  await expect(failing.getByTestId('sync-next')).toBeVisible();
  rmdirSync(`${blocked}.verdicts.jsonl`);
  await failing.getByTestId('sync-retry').click();
  await expect(failing.getByTestId('sync-delivered')).toHaveText('1');
  await expect(failing.getByTestId('sync-failed')).toHaveText('0');
  await expect(failing.getByTestId('sync-retry')).toHaveCount(0);
  expect(readFileSync(`${blocked}.verdicts.jsonl`, 'utf8')).toContain('"item_id":"blocked-one"');

  // Import a decision made in another tool: recorded, then delivered by the background loop
  // (the count moves by the pushed sync.status event, without a click).
  const decisions = join(served.dir, 'decisions.jsonl');
  writeFileSync(
    decisions,
    `${JSON.stringify({ item_id: 'sync-two', decision: 'dismiss', decided_at: '2026-11-21T09:00:00Z', reviewer: 'other-tool' })}\n{"broken\n`,
  );
  await page.getByTestId('import-path').fill(decisions);
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-summary')).toContainText('2 read');
  await expect(page.getByTestId('import-summary')).toContainText('1 imported');
  await expect(page.getByTestId('import-summary')).toContainText('1 quarantined');
  await expect(source.getByTestId('sync-delivered')).toHaveText('2');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-summary')).toContainText('0 imported');
  await expect(page.getByTestId('import-summary')).toContainText('1 already imported');
});
