/**
 * Issue 15, bugs 1–8: each written against the desk as it was, to fail there first.
 */
import type { Page } from '@playwright/test';
import { codePointSpan, eventMark, expect, openApp, record, test, waitForAppEvent } from './fixtures.ts';

const RLO = '\u202E';
const ZWSP = '\u200B';

async function showDecided(page: Page) {
  const mark = await eventMark(page);
  await page.getByTestId('status-decided').click();
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
}

/** Decides the item on screen by keyboard and waits for the next one. */
async function decide(page: Page, keys: string[]): Promise<string> {
  const id = (await page.getByTestId('item-pane').getAttribute('data-item-id'))!;
  const mark = await eventMark(page);
  for (const k of keys) await page.keyboard.press(k);
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { itemId: id });
  await waitForAppEvent(page, 'verdict:item-shown', mark, { notId: id });
  return id;
}

test('1, 4: deciding a decided item again asks first, records an amendment, and History has one verdict in force with distinct short ids', async ({ page, serve }) => {
  const served = await serve({ demo: 30 });
  const { firstId } = await openApp(page, served);
  await showDecided(page);
  await page.getByTestId('item-pane').focus();
  await decide(page, ['1', 'v']);
  let mark = await eventMark(page);
  await page.keyboard.press('k');
  await waitForAppEvent(page, 'verdict:item-shown', mark, { id: firstId });
  await expect(page.getByTestId('current-verdict')).toHaveAttribute('data-decision', 'violation');

  // One keystroke plus Ctrl+Enter: nothing is recorded yet; a confirmation says what it replaces.
  mark = await eventMark(page);
  await page.keyboard.press('f');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('replace-confirm')).toBeVisible();
  await expect(page.getByTestId('replace-confirm')).toContainText('Violation confirmed');
  expect(await page.evaluate((m) => (window.__appEvents ?? []).slice(m).filter((e) => e.name === 'verdict:verdict-saved').length, mark)).toBe(0);
  // Esc cancels; Ctrl+Enter asks again; the second Ctrl+Enter records an amendment.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('replace-confirm')).toHaveCount(0);
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('replace-confirm')).toBeVisible();
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { kind: 'amendment', itemId: firstId });
  await expect(page.getByTestId('current-verdict')).toHaveAttribute('data-decision', 'dismiss');
  // The false positive dropped the violation's label (coherence rule).
  await expect(page.getByTestId('current-verdict')).not.toContainText('S1');

  await page.getByTestId('tab-history').click();
  await expect(page.getByTestId('history-verdict')).toHaveCount(2);
  await expect(page.locator('[data-testid="history-verdict"][data-in-force]')).toHaveCount(1);
  await expect(page.locator('[data-testid="history-verdict"][data-in-force]')).toHaveAttribute('data-kind', 'amendment');
  await expect(page.getByTestId('amend-verdict')).toHaveCount(1);
  // Short ids tell the two rows apart (a UUIDv7 prefix is its timestamp).
  const meta = await page.locator('[data-testid="history-verdict"][data-kind="amendment"]').innerText();
  const ids = [...meta.matchAll(/#([0-9a-f]{8})/g)].map((m) => m[1]);
  expect(ids).toHaveLength(2);
  expect(ids[0]).not.toBe(ids[1]);
});

test('2: escalate by keyboard: type part of a route, Enter picks it, focus returns, later keys are shortcuts', async ({ page, serve }) => {
  const served = await serve({ demo: 30 });
  const { firstId } = await openApp(page, served);
  await page.getByTestId('item-pane').focus();
  await page.keyboard.press('x');
  await expect(page.locator('#route-picker')).toBeFocused();
  await page.keyboard.type('clin');
  await page.keyboard.press('Enter');
  await expect(page.locator('#route-picker')).toHaveValue('clinical');
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('item-pane');
  await page.keyboard.press('1');
  await expect(page.getByTestId('label-S1')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('#route-picker')).toHaveValue('clinical');
  const mark = await eventMark(page);
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { kind: 'verdict', itemId: firstId, decision: 'escalate' });
  await waitForAppEvent(page, 'verdict:item-shown', mark, { notId: firstId });
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('item-pane');
});

test('3: at 1280x720 every item tab is visible and clear of the hints, and a seven-digit count fits', async ({ page, serve }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  // A million-item workspace's counts, without a million items: the info answer is rewritten.
  await page.route('**/api/call/workspace.info', async (route) => {
    const res = await route.fetch();
    const body = (await res.json()) as { ok: boolean; value?: { counts: Record<string, number> } };
    const v = body.value ?? (body as unknown as { counts: Record<string, number> });
    v.counts = { new: 1_047_340, in_review: 12_345, decided: 1_047_340, escalated: 9_999, conflict: 123, skipped: 4_321 };
    await route.fulfill({ response: res, json: body });
  });
  await page.route('**/api/call/queue.counts', async (route) => {
    const res = await route.fetch();
    const body = (await res.json()) as { value: { counts: Record<string, number> } };
    body.value.counts = { new: 1_047_340, in_review: 12_345, decided: 1_047_340, escalated: 99_999, conflict: 123, skipped: 4_321 };
    await route.fulfill({ response: res, json: body });
  });
  const served = await serve({ demo: 30 });
  await openApp(page, served);
  await expect(page.getByTestId('header-count-decided')).toHaveText('1,047,340');
  // The queue's status boxes: the short form, the exact figure in the title, nothing cut off.
  await expect(page.getByTestId('status-count-decided')).toHaveText('1.05M');
  await expect(page.getByTestId('status-count-decided')).toHaveAttribute('title', '1,047,340 decided');
  for (const s of ['new', 'in_review', 'conflict', 'skipped', 'escalated', 'decided']) {
    const cut = await page.getByTestId(`status-${s}`).evaluate((el) => [...el.querySelectorAll('span')].some((x) => x.scrollWidth > x.clientWidth + 1));
    expect(cut, s).toBe(false);
  }
  const fits = await page.getByTestId('header-count-decided').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return el.scrollWidth <= el.clientWidth + 1 && r.right <= window.innerWidth && r.width > 0;
  });
  expect(fits).toBe(true);
  const boxes = await page.evaluate(() => {
    const box = (sel: string) => document.querySelector(sel)?.getBoundingClientRect().toJSON() as DOMRect | undefined;
    return {
      tabs: ['conversation', 'flags', 'evidence', 'provenance', 'history'].map((t) => box(`[data-testid="tab-${t}"]`)),
      toggle: box('[data-testid="view-toggle"]'),
      pane: box('[data-testid="item-pane"]'),
    };
  });
  for (const t of boxes.tabs) {
    expect(t).toBeDefined();
    expect(t!.width).toBeGreaterThan(20);
    expect(t!.right).toBeLessThanOrEqual(boxes.pane!.right);
    // No tab lies under the view toggle.
    const overlaps = t!.right > boxes.toggle!.left && t!.left < boxes.toggle!.right && t!.bottom > boxes.toggle!.top && t!.top < boxes.toggle!.bottom;
    expect(overlaps).toBe(false);
  }
  await expect(page.getByTestId('tab-history')).toBeVisible();
  await page.getByTestId('tab-history').click();
  await expect(page.getByTestId('panel-history')).toBeVisible();
});

test('6: bidi overrides and invisible characters are shown marked in ids, messages, flags, evidence and provenance', async ({ page, serve }) => {
  const output = `Your file: invoice_${RLO}gpj.exe and pass${ZWSP}word. Team: 👩‍💻`;
  const span = codePointSpan(output, 'invoice_');
  const served = await serve({
    demo: 0,
    files: [
      {
        name: 'spoof.jsonl',
        lines: [
          JSON.stringify(
            record({
              id: `item-${RLO}1234`,
              output,
              flags: [{ source: `det${ZWSP}ector`, category: `malware_${RLO}lmth`, score: 0.9, reason: `double ${RLO}extension`, spans: [{ field: 'output', ...span, label: `EXT${ZWSP}` }] }],
              evidence: [{ kind: 'retrieved_document', title: `doc ${RLO}fdp.exe`, uri: `https://example.com/${ZWSP}x`, content: `pass${ZWSP}word` }],
              provenance: { request_id: `req-${RLO}abc`, 'gen_ai.request.model': `model${ZWSP}` },
            }),
          ),
        ],
      },
    ],
  });
  await openApp(page, served);
  const pane = page.getByTestId('item-pane');
  const noLiveControls = async (where: string) => {
    const text = await pane.evaluate((el) => el.textContent ?? '');
    expect(text, where).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B\u200E\u200F]/);
  };
  await expect(page.getByTestId('item-external-id').getByTestId('hidden-char')).toHaveAttribute('data-cp', 'U+202E');
  await expect(page.getByTestId('message-output-0').getByTestId('hidden-char')).toHaveCount(2);
  // The emoji's zero width joiners are part of it, not hidden text.
  await expect(page.getByTestId('message-output-0')).toContainText('👩‍💻');
  await noLiveControls('conversation');
  // The queue row (snippet) too.
  expect(await page.getByTestId('queue-row').first().evaluate((el) => el.textContent ?? '')).not.toMatch(/[\u202E\u200B]/);
  for (const tab of ['flags', 'evidence', 'provenance'] as const) {
    await page.getByTestId(`tab-${tab}`).click();
    await expect(page.getByTestId(`panel-${tab}`)).toBeVisible();
    await expect(page.getByTestId(`panel-${tab}`).getByTestId('hidden-char').first()).toBeVisible();
    await noLiveControls(tab);
  }
});

test('7: e and n put the caret at the end; undo restores the form it undid', async ({ page, serve }) => {
  const served = await serve({ demo: 30 });
  const { firstId } = await openApp(page, served);
  const pane = page.getByTestId('item-pane');
  await pane.focus();
  const editor = page.getByTestId('correction-editor');
  const original = await editor.inputValue();
  expect(original.length).toBeGreaterThan(0);
  await page.keyboard.press('e');
  await expect(editor).toBeFocused();
  await page.keyboard.type(' [checked]');
  await expect(editor).toHaveValue(`${original} [checked]`);
  await page.keyboard.press('Escape');
  await page.keyboard.press('n');
  await page.keyboard.type('First line.');
  await page.keyboard.press('Escape');
  await page.keyboard.press('n');
  await page.keyboard.type(' Second.');
  await expect(page.getByTestId('rationale-editor')).toHaveValue('First line. Second.');
  await page.keyboard.press('Escape');
  await page.keyboard.press('3');
  await page.getByTestId('severity-high').click();
  await pane.focus();
  await decide(page, ['v']);
  const mark = await eventMark(page);
  await page.keyboard.press('z');
  await waitForAppEvent(page, 'verdict:verdict-saved', mark, { kind: 'undo', itemId: firstId });
  await waitForAppEvent(page, 'verdict:item-shown', mark, { id: firstId });
  await expect(page.getByTestId('decision-violation')).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('label-S3')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('severity-high')).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('rationale-editor')).toHaveValue('First line. Second.');
  await expect(editor).toHaveValue(`${original} [checked]`);
});

test('8: no reload button for an incomplete form; an empty queue shows no item; the span card stays in the viewport', async ({ page, serve }) => {
  const output = `${'Line of text. '.repeat(30)}\nThe dose is 40 units twice a day.`;
  const dose = codePointSpan(output, '40 units twice');
  const flags = Array.from({ length: 8 }, (_, i) => ({
    source: `detector-${i}`,
    category: `category-${i}`,
    score: 0.5 + i * 0.05,
    reason: `Reason ${i}: `.padEnd(300, 'x'),
    spans: [{ field: 'output', start: dose.start, end: dose.end - (i % 3), label: `L${i}` }],
  }));
  const served = await serve({ demo: 0, files: [{ name: 'spans.jsonl', lines: [JSON.stringify(record({ id: 'many-spans', output, flags }))] }] });
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page, served);
  await page.getByTestId('item-pane').focus();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('verdict-error')).toContainText('Choose a decision first');
  await expect(page.getByTestId('verdict-error').getByRole('button')).toHaveCount(0);

  const mark = page.locator('[data-span-label="L0"]').first();
  await mark.scrollIntoViewIfNeeded();
  await mark.hover();
  const card = page.getByTestId('span-card');
  await expect(card).toBeVisible();
  const inView = await card.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
  });
  expect(inView).toBe(true);

  const ev = await eventMark(page);
  await page.getByTestId('queue-search').fill('zzqxjvvk');
  await waitForAppEvent(page, 'verdict:queue-loaded', ev);
  await expect(page.getByTestId('queue-empty')).toBeVisible();
  await expect(page.getByTestId('verdict-submit')).toHaveCount(0);
  await expect(page.getByTestId('item-empty')).toBeVisible();
});

test('reference answer beside the output; U (or its button) makes it the correction, with the diff', async ({ page, serve }) => {
  const reference = 'I can’t give insulin doses. Please follow the plan from your care team.';
  const served = await serve({
    demo: 0,
    files: [
      {
        name: 'clinical.jsonl',
        lines: [
          JSON.stringify(
            record({
              id: 'dose-1',
              route: 'clinical',
              output: 'Take 12 units before dinner.',
              evidence: [{ kind: 'reference_response', title: 'Clinician reference', content: reference }],
            }),
          ),
        ],
      },
    ],
  });
  await openApp(page, served);
  const answer = page.getByTestId('reference-answer');
  await expect(answer).toContainText(reference);
  // Side by side at 1440: the reference starts level with the output, to its right.
  const [out, ref] = await Promise.all([page.getByTestId('message-output-0').boundingBox(), answer.boundingBox()]);
  expect(ref!.x).toBeGreaterThan(out!.x + out!.width - 1);
  expect(Math.abs(ref!.y - out!.y)).toBeLessThan(40);
  await page.getByTestId('item-pane').focus();
  await page.keyboard.press('u');
  await expect(page.getByTestId('correction-editor')).toHaveValue(reference);
  await expect(page.getByTestId('correction-diff')).toContainText('care team');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('item-pane');
});
