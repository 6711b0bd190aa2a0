/**
 * A keyboard-only review session of twenty items: labels (1–0, Shift+digit), severity (h),
 * escalation with a typed route, rationale, amend (a), undo (z). The mouse is never used, focus
 * is checked after every step, and every decision is checked against what the core recorded.
 */
import type { Page } from '@playwright/test';
import { eventMark, expect, openApp, test, waitForAppEvent } from './fixtures.ts';

const focused = (page: Page) => page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName ?? '');

async function itemView(page: Page, id: string) {
  return page.evaluate(async (id) => {
    // The app keeps its launch token in this tab's sessionStorage; a test's own call sends it too.
    const token = sessionStorage.getItem('verdict.token') ?? '';
    const r = await fetch('/api/call/item.get', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Verdict-Token': token },
      body: JSON.stringify({ id }),
    });
    return ((await r.json()) as { value: { current: { decision: string; labels: string[]; severity: string | null; routeTo: string | null; kind: string } | null } })
      .value;
  }, id);
}

test('keyboard only: twenty items with labels, severity, escalate, amend and undo, focus never lost', async ({ page, serve }) => {
  test.setTimeout(180_000);
  const served = await serve({ demo: 60 });
  await openApp(page, served);
  // The one programmatic step: where the session starts (as a reviewer's first click would).
  await page.getByTestId('item-pane').focus();
  const k = page.keyboard;
  // g d: decided items stay in the list, so k can go back to one.
  const start = await eventMark(page);
  await k.press('g');
  await k.press('d');
  await waitForAppEvent(page, 'verdict:queue-loaded', start);
  await expect(page.getByTestId('status-decided')).toHaveAttribute('aria-pressed', 'true');
  const expected = new Map<string, { decision: string; labels: string[]; severity: string | null; routeTo: string | null }>();

  const submit = async (id: string, kind = 'verdict') => {
    const mark = await eventMark(page);
    await k.press('Control+Enter');
    await waitForAppEvent(page, 'verdict:verdict-saved', mark, { kind, itemId: id });
    return mark;
  };

  for (let i = 0; i < 20; i++) {
    const id = (await page.getByTestId('item-pane').getAttribute('data-item-id'))!;
    expect(id).not.toBe('');
    // Labels the item's flags suggest start preselected; a label key toggles them like any other.
    const suggested = (await page.locator('[data-testid="verdict-pane"] [data-suggested]').evaluateAll((els) => els.map((e) => e.getAttribute('data-label-id')!)));
    const toggled = (keys: string[]) => [...suggested.filter((l) => !keys.includes(l)), ...keys.filter((l) => !suggested.includes(l))].sort();
    switch (i % 5) {
      case 0: // escalate: type part of the route, Enter, then severity and a label by key
        await k.press('x');
        await k.type('leg');
        await k.press('Enter');
        // Focus comes back on the next frame (onOptionSubmit), before the next key is read.
        await expect.poll(() => focused(page)).toBe('item-pane');
        await k.press('h');
        await k.press('6');
        expected.set(id, { decision: 'escalate', labels: toggled(['S6']), severity: 'low', routeTo: 'legal' });
        break;
      case 1: // violation with two labels and severity high
        await k.press('1');
        await k.press('2');
        for (let j = 0; j < 3; j++) await k.press('h');
        await k.press('v');
        expected.set(id, { decision: 'violation', labels: toggled(['S1', 'S2']), severity: 'high', routeTo: null });
        break;
      case 2: // false positive
        await k.press('f');
        expected.set(id, { decision: 'dismiss', labels: [], severity: null, routeTo: null });
        break;
      case 3: // labels 10 and 11 by key, severity critical (Shift+H from none wraps), a rationale
        await k.press('0');
        await k.press('Shift+Digit1');
        await k.press('Shift+H');
        await k.press('v');
        await k.press('n');
        await k.type('Keyboard only.');
        await k.press('Escape');
        expect(await focused(page)).toBe('item-pane');
        expected.set(id, { decision: 'violation', labels: toggled(['S10', 'S11']), severity: 'critical', routeTo: null });
        break;
      case 4: {
        // violation, then undo: back on the item with the form as it was; change it to a false positive.
        await k.press('3');
        await k.press('v');
        const mark = await submit(id);
        await waitForAppEvent(page, 'verdict:item-shown', mark, { notId: id });
        const undoMark = await eventMark(page);
        await k.press('z');
        await waitForAppEvent(page, 'verdict:verdict-saved', undoMark, { kind: 'undo', itemId: id });
        await waitForAppEvent(page, 'verdict:item-shown', undoMark, { id });
        await expect(page.getByTestId('label-S3')).toHaveAttribute('aria-pressed', suggested.includes('S3') ? 'false' : 'true');
        await expect(page.getByTestId('decision-violation')).toHaveAttribute('aria-checked', 'true');
        expect(await focused(page)).toBe('item-pane');
        await k.press('f');
        await expect(page.getByTestId('label-S3')).toHaveAttribute('aria-pressed', 'false');
        expected.set(id, { decision: 'dismiss', labels: [], severity: null, routeTo: null });
        break;
      }
    }
    const mark = await submit(id);
    await waitForAppEvent(page, 'verdict:item-shown', mark, { notId: id });
    expect(await focused(page), `after item ${i + 1}`).toBe('item-pane');

    if (i === 11) {
      // Back to the item just decided (k) and amend it by key: a, then a false positive.
      const prev = id;
      let m = await eventMark(page);
      await k.press('k');
      await waitForAppEvent(page, 'verdict:item-shown', m, { id: prev });
      await k.press('a');
      await expect(page.getByTestId('amend-banner')).toBeVisible();
      await k.press('f');
      m = await eventMark(page);
      await k.press('Control+Enter');
      await waitForAppEvent(page, 'verdict:verdict-saved', m, { kind: 'amendment', itemId: prev });
      expect(await focused(page)).toBe('item-pane');
      expected.set(prev, { decision: 'dismiss', labels: [], severity: null, routeTo: null });
      m = await eventMark(page);
      await k.press('j');
      await waitForAppEvent(page, 'verdict:item-shown', m, { notId: prev });
    }
  }

  expect(expected.size).toBe(20);
  for (const [id, want] of expected) {
    const v = await itemView(page, id);
    expect(v.current, id).toMatchObject(want);
  }
});
