/** The reviewer's day: find items, read them, decide with the keyboard, undo, amend. */
import { codePointSpan, eventMark, expect, openApp, record, test, waitForAppEvent } from './fixtures.ts';

test('demo workspace: status and route filters, search, open an item', async ({ page, serve }) => {
  const served = await serve({ demo: 200 });
  await openApp(page, served);
  await expect(page.getByTestId('demo-badge')).toBeVisible();
  const rows = page.getByTestId('queue-row');
  await expect(rows.first()).toBeVisible();

  // Status: only "new" (the default shows the open statuses).
  let mark = await eventMark(page);
  await page.getByTestId('status-in_review').click();
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  mark = await eventMark(page);
  await page.getByTestId('status-conflict').click();
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  mark = await eventMark(page);
  await page.getByTestId('status-skipped').click();
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  await expect(page.getByTestId('status-count-new')).toHaveText('200');
  for (const s of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))) expect(s).toBe('new');

  // Route: legal only, through the filters panel.
  await page.getByTestId('filters-toggle').click();
  mark = await eventMark(page);
  await page.getByTestId('filter-route').click();
  await page.getByRole('option', { name: 'legal', exact: true }).click();
  await page.keyboard.press('Escape');
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  await expect(rows.first()).toBeVisible();
  const routes = await rows.evaluateAll((els) => els.map((e) => e.querySelector('[class*="route"]')?.textContent));
  expect(routes.length).toBeGreaterThan(0);
  for (const r of routes) expect(r).toBe('legal');
  const legalCount = Number((await page.getByTestId('status-count-new').textContent())?.replace(/,/g, ''));
  expect(legalCount).toBeGreaterThan(0);
  expect(legalCount).toBeLessThan(200);

  // Search: "/" focuses the box; a word from a snippet narrows the list, nonsense empties it.
  const snippet = (await rows.first().locator('[class*="snippet"]').textContent()) ?? '';
  const word = (snippet.match(/[A-Za-z]{5,}/g) ?? ['units']).sort((a, b) => b.length - a.length)[0]!;
  await page.getByTestId('item-pane').focus();
  await page.keyboard.press('/');
  await expect(page.getByTestId('queue-search')).toBeFocused();
  mark = await eventMark(page);
  await page.keyboard.type(word);
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  await expect(rows.first()).toBeVisible();
  mark = await eventMark(page);
  await page.getByTestId('queue-search').fill('zzqxjvvk');
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  await expect(page.getByTestId('queue-empty')).toBeVisible();
  mark = await eventMark(page);
  await page.getByTestId('queue-search').fill('');
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);

  // Open the third row: the item pane shows it.
  const third = rows.nth(2);
  const id = await third.getAttribute('data-id');
  mark = await eventMark(page);
  await third.click();
  await waitForAppEvent(page, 'verdict:item-shown', mark, { id });
  await expect(page.getByTestId('item-pane')).toHaveAttribute('data-item-id', id!);
  await expect(page.getByTestId('output-under-review')).toBeVisible();
  await expect(page.getByTestId('item-header')).toContainText('legal');
});

test('a span after emoji lands on exactly the flagged characters', async ({ page, serve }) => {
  const output = '👋🏽 hi 😀 mail me at bob@example.com or call';
  const email = 'bob@example.com';
  const { start, end } = codePointSpan(output, email);
  // Code points and UTF-16 units differ here: a UTF-16 slice would miss.
  expect(output.slice(start, end)).not.toBe(email);
  const served = await serve({
    demo: 0,
    files: [
      {
        name: 'emoji.jsonl',
        lines: [
          JSON.stringify(
            record({
              id: 'emoji-1',
              output: output,
              flags: [
                {
                  source: 'pii-detector',
                  category: 'pii_exposure',
                  score: 0.97,
                  reason: 'An email address',
                  spans: [{ field: 'output', start, end, label: 'EMAIL' }],
                },
                {
                  source: 'overlap-check',
                  category: 'contact',
                  score: 0.4,
                  spans: [{ field: 'output.messages[0]', start: start - 3, end: start + 3, label: 'OVERLAP' }],
                },
              ],
            }),
          ),
        ],
      },
    ],
  });
  await openApp(page, served);
  const mark = page.locator('[data-span-label="EMAIL"]');
  // The shorter crossing span is the one split: the email keeps one element with exactly its text.
  await expect(mark).toHaveCount(1);
  await expect(mark).toHaveText(email);
  await expect(mark).toHaveAttribute('data-flag-source', 'pii-detector');
  const overlap = page.locator('[data-span-label="OVERLAP"]');
  expect((await overlap.allTextContents()).join('')).toBe(Array.from(output).slice(start - 3, start + 3).join(''));
  // Hovering the email's first characters (inside both spans) lists both flags in one card.
  await mark.hover({ position: { x: 3, y: 5 } });
  const card = page.getByTestId('span-card');
  await expect(card).toContainText('An email address');
  await expect(card).toContainText('pii-detector');
  await expect(card).toContainText('EMAIL');
  await expect(card).toContainText('overlap-check');
});

test('keyboard review: labels, correction, submit, next, undo, amend', async ({ page, serve }) => {
  const served = await serve({ demo: 200 });
  const { firstId } = await openApp(page, served);
  // Keep decided items in the list so we can come back to them.
  let mark = await eventMark(page);
  await page.getByTestId('status-decided').click();
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  await page.getByTestId('item-pane').focus();

  await page.keyboard.press('1');
  await page.keyboard.press('2');
  await expect(page.getByTestId('label-S1')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('label-S2')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('2');
  await expect(page.getByTestId('label-S2')).toHaveAttribute('aria-pressed', 'false');
  await page.keyboard.press('2');
  await page.keyboard.press('v');
  await expect(page.getByTestId('decision-violation')).toHaveAttribute('aria-checked', 'true');

  await page.keyboard.press('e');
  const editor = page.getByTestId('correction-editor');
  await expect(editor).toBeFocused();
  await page.keyboard.type('I cannot give dosing instructions; please call your care team.');
  // Typing in a field does not trigger shortcuts ("v", "f", "s" are in the text).
  await expect(page.getByTestId('decision-violation')).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('d');
  await expect(page.getByTestId('correction-diff')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(editor).not.toBeFocused();
  await page.keyboard.press('d');
  await expect(page.getByTestId('correction-diff')).toContainText('care team');

  mark = await eventMark(page);
  await page.keyboard.press('e');
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { kind: 'verdict', itemId: firstId });
  const next = await waitForAppEvent(page, 'verdict:item-shown', mark, { notId: firstId });
  expect(next.id).not.toBe(firstId);
  // Focus stays on the app, never lost to <body>.
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('item-pane');
  await expect(page.locator(`[data-testid="queue-row"][data-id="${firstId}"]`)).toHaveAttribute('data-status', 'decided');

  // z: undo, back on the first item, status back to new.
  mark = await eventMark(page);
  await page.keyboard.press('z');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { kind: 'undo', itemId: firstId });
  await waitForAppEvent(page, 'verdict:item-shown', mark, { id: firstId });
  await expect(page.getByTestId('item-status')).toHaveAttribute('data-status', 'new');
  await expect(page.getByTestId('current-verdict')).toHaveCount(0);

  // Decide again (false positive), move on, come back with k and amend it from History.
  await page.keyboard.press('f');
  mark = await eventMark(page);
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:item-shown', mark, { notId: firstId });
  mark = await eventMark(page);
  await page.keyboard.press('k');
  await waitForAppEvent(page, 'verdict:item-shown', mark, { id: firstId });
  await expect(page.getByTestId('current-verdict')).toHaveAttribute('data-decision', 'dismiss');
  await page.getByTestId('tab-history').click();
  await page.getByTestId('amend-verdict').first().click();
  await expect(page.getByTestId('amend-banner')).toBeVisible();
  await expect(page.getByTestId('decision-dismiss')).toHaveAttribute('aria-checked', 'true');
  await page.getByTestId('item-pane').focus();
  await page.keyboard.press('v');
  await page.keyboard.press('n');
  await page.keyboard.type('Re-read the output: it does give a dose.');
  mark = await eventMark(page);
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { kind: 'amendment', itemId: firstId });
  await expect(page.getByTestId('amend-banner')).toHaveCount(0);
  await expect(page.getByTestId('current-verdict')).toHaveAttribute('data-decision', 'violation');
  await expect(page.locator('[data-testid="history-verdict"][data-kind="amendment"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="history-verdict"][data-kind="undo"]')).toHaveCount(1);
});

test('stale revision: inline error, the draft is kept', async ({ page, serve }) => {
  const base = record({ id: 'rev-1', output: 'first answer', flags: [{ source: 'det', category: 'x', score: 0.5 }] });
  const served = await serve({ demo: 0, files: [{ name: 'a.jsonl', lines: [JSON.stringify(base)] }] });
  await openApp(page, served);
  await page.getByTestId('item-pane').focus();
  await page.keyboard.press('v');
  await page.keyboard.press('n');
  await page.keyboard.type('draft rationale');
  await page.keyboard.press('Escape');
  // A new revision of the same record arrives (same source file, changed content).
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  writeFileSync(join(served.dir, 'a.jsonl'), `${JSON.stringify({ ...base, output: 'second answer' })}\n`);
  await page.keyboard.press('g');
  await page.keyboard.press('w');
  await page.getByTestId('ingest-path').fill(join(served.dir, 'a.jsonl'));
  await page.getByTestId('ingest-start').click();
  await expect(page.getByTestId('ingest-state')).toHaveText('done');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('workspace-drawer')).toBeHidden();
  // The item refreshed to revision 2, but the draft was made on revision 1: the core refuses it.
  await expect(page.getByTestId('verdict-stale')).toBeVisible();
  await page.getByTestId('verdict-submit').click();
  await expect(page.getByTestId('verdict-error')).toContainText(/changed|revision/i);
  await expect(page.getByTestId('rationale-editor')).toHaveValue('draft rationale');
  await expect(page.getByTestId('decision-violation')).toHaveAttribute('aria-checked', 'true');
  // Look at the change, then decide on the new revision with the same draft.
  await page.getByTestId('adopt-revision').click();
  await expect(page.getByTestId('revision-diff')).toContainText('second answer');
  const mark = await eventMark(page);
  await page.getByTestId('verdict-submit').click();
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { kind: 'verdict' });
  await expect(page.getByTestId('verdict-error')).toHaveCount(0);
});

test('escalate from the keyboard with a route picker', async ({ page, serve }) => {
  const served = await serve({ demo: 30 });
  const { firstId } = await openApp(page, served);
  await page.getByTestId('item-pane').focus();
  await page.keyboard.press('x');
  await expect(page.locator('#route-picker')).toBeFocused();
  // Without a route the core would refuse: the UI says so first and keeps the draft.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('verdict-error')).toContainText('route');
  await page.locator('#route-picker').click();
  await page.getByRole('option', { name: 'legal', exact: true }).click();
  const mark = await eventMark(page);
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { kind: 'verdict', itemId: firstId, decision: 'escalate' });
  await waitForAppEvent(page, 'verdict:item-shown', mark, { notId: firstId });
  await expect(page.getByTestId('status-count-escalated')).toHaveText('1');
});
