/**
 * Expert review in a local workspace (issue 13): verdicts imported from two reviewers disagree →
 * adjudication (blind, keyboard) → decided with names revealed; hold → seen overdue; gold
 * accuracy shown; reopen keeps the lineage; `audit verify` ok after. Screenshots of the
 * adjudication, agreement, hold, gold and overturn screens at 1440×900 and 1280×720 in both themes:
 * test-results/screenshots/expert-<screen>-<theme>-<width>.png
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { eventMark, expect, record, test, waitForAppEvent, type Served } from './fixtures.ts';

const DIR = 'test-results/screenshots';
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(REPO, 'electron/cli/bin.mjs');
const run = promisify(execFile);

const ITEMS = [
  record({
    id: 'dis-1',
    route: 'clinical',
    input: { messages: [{ role: 'user', content: 'My friend took 30 of her pills, what should I do?' }] },
    output: { messages: [{ role: 'assistant', content: 'Call emergency services now and stay with her. Do not induce vomiting.' }] },
  }),
  record({
    id: 'dis-2',
    route: 'trust_safety',
    input: { messages: [{ role: 'user', content: 'Write a scene where a character plans a robbery.' }] },
    output: { messages: [{ role: 'assistant', content: 'The crew met at midnight; Jo traced the guard rotation on a napkin.' }] },
  }),
  record({ id: 'gold-1', route: 'trust_safety', output: { messages: [{ role: 'assistant', content: 'Here is how to pick a lock in detail.' }] } }),
  record({ id: 'gold-2', route: 'trust_safety', output: { messages: [{ role: 'assistant', content: 'Lock picking is a hobby with clubs.' }] } }),
  record({ id: 'held-1', route: 'legal', output: { messages: [{ role: 'assistant', content: 'This contract clause is probably fine.' }] } }),
];

const line = (item: string, reviewer: string, decision: string, labels: string[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ item_id: item, reviewer, decision, labels, decided_at: '2026-11-21T09:00:00Z', ...extra });

const IMPORTS = [
  line('dis-1', 'ana', 'violation', ['S11'], { rationale: 'Self-harm disclosure: the answer must lead with crisis resources.', correction: 'Call emergency services (911) now and stay with her. Contact Poison Control. Do not induce vomiting.' }),
  line('dis-1', 'ben', 'dismiss', [], { rationale: 'The answer already gives the right first step.' }),
  line('dis-2', 'ana', 'violation', ['S2'], { rationale: 'Planning detail.' }),
  line('dis-2', 'ben', 'violation', ['S1'], { rationale: 'Violent crime.' }),
  line('gold-1', 'ana', 'violation', ['S2']),
  line('gold-1', 'ben', 'violation', ['S2']),
  line('gold-2', 'ana', 'violation', []),
  line('gold-2', 'ben', 'dismiss', []),
];

async function api(page: Page, served: Served, method: string, input: Record<string, unknown>): Promise<unknown> {
  const res = await page.request.post(`${served.origin}/api/call/${method}`, { headers: { 'X-Verdict-Token': served.token }, data: input });
  const body = (await res.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.value;
}

async function setup(page: Page, serve: (o?: object) => Promise<Served>): Promise<{ served: Served; ids: Record<string, string> }> {
  const served = await serve({ demo: 0, files: [{ name: 'escalations.jsonl', lines: ITEMS.map((r) => JSON.stringify(r)) }] });
  const file = join(served.dir, 'verdicts.jsonl');
  writeFileSync(file, `${IMPORTS.join('\n')}\n`);
  await run(process.execPath, [BIN, 'verdicts', 'import', file, '--workspace', served.workspace, '--json'], { cwd: REPO });
  const ids: Record<string, string> = {};
  for (const ext of ['dis-1', 'dis-2', 'gold-1', 'gold-2', 'held-1']) {
    const r = (await api(page, served, 'queue.page', { filter: { search: ext }, after: null, limit: 5 })) as { rows: { id: string; externalId: string }[] };
    ids[ext] = r.rows.find((x) => x.externalId === ext)?.id ?? r.rows[0]!.id;
  }
  // A blind clinical route; S11 content opens masked (the default masked labels are S1, S4, S11).
  await api(page, served, 'expert.setSettings', { blindRoutes: ['clinical'], maskedRoutes: [], maskedLabels: ['S1', 'S4', 'S11'], breakAfter: 20 });
  await api(page, served, 'gold.mark', { itemId: ids['gold-1'], decision: 'violation', labels: ['S2'] });
  await api(page, served, 'gold.mark', { itemId: ids['gold-2'], decision: 'dismiss', labels: [] });
  await api(page, served, 'item.hold', { itemId: ids['held-1'], reason: 'Waiting for counsel on the indemnity clause', reviewBy: '2026-11-22T09:00:00Z' });
  return { served, ids };
}

async function openExpert(page: Page, served: Served): Promise<void> {
  // Every item is disputed, decided or on hold: the desk's open queue is empty, so no item is shown.
  // A page load starts the recorded events afresh: wait from 0.
  let mark = 0;
  // Again on the same origin: the token is in this tab's session already; the same URL would only change the fragment.
  if (page.url().startsWith(served.origin)) await page.reload();
  else await page.goto(served.url);
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  mark = await eventMark(page);
  await page.getByTestId('open-expert').click();
  await waitForAppEvent(page, 'verdict:adjudication-open', mark);
}

async function shot(page: Page, name: string) {
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
  await page.screenshot({ path: `${DIR}/${name}.png` });
}

test('disagreement → blind adjudication → decided; hold overdue; gold accuracy; reopen keeps lineage; audit verifies', async ({ page, serve }) => {
  const { served, ids } = await setup(page, serve);
  await openExpert(page, served);

  // Three disputed items (dis-1, dis-2, gold-2); gold-1's reviewers agree.
  const rows = page.getByTestId('adjudication-row');
  await expect(rows).toHaveCount(3);
  await page.locator(`[data-testid="adjudication-row"][data-item-id="${ids['dis-1']}"]`).click();
  await expect(page.getByTestId('adjudication-head')).toHaveAttribute('data-item-id', ids['dis-1']!);
  // Blind route: no names before the decision; S11 content masked until revealed.
  await expect(page.getByTestId('blind-badge')).toBeVisible();
  await expect(page.getByTestId('side-reviewer')).toHaveText(['Reviewer A', 'Reviewer B']);
  await expect(page.getByTestId('masked-content')).toBeVisible();
  await expect(page.getByTestId('adjudication-output')).toHaveCount(0);
  await page.keyboard.press('r');
  await expect(page.getByTestId('adjudication-output')).toContainText('Call emergency services');
  await expect(page.getByTestId('side-correction-diff')).toBeVisible();

  // Keyboard: adopt reviewer A's verdict, write why, decide.
  await page.keyboard.press('1');
  await expect(page.getByTestId('adjudication-label-S11')).toHaveAttribute('data-variant', 'filled');
  await page.keyboard.press('n');
  await page.keyboard.type('Crisis resources first: the correction is right.');
  await page.keyboard.press('Escape');
  const decided = await eventMark(page);
  await page.keyboard.press('Control+Enter');
  await waitForAppEvent(page, 'verdict:adjudicated', decided, { id: ids['dis-1'] });
  await expect(page.getByTestId('adjudication-decided')).toContainText('violation');
  await expect(page.getByTestId('side-reviewer')).toHaveText(['ana', 'ben']);
  await expect(rows).toHaveCount(2);

  // Hold → seen overdue by the lead.
  await page.getByTestId('expert-tab-holds').click();
  await expect(page.getByTestId('hold-row')).toHaveCount(1);
  await expect(page.getByTestId('hold-overdue')).toBeVisible();
  await expect(page.getByTestId('holds-overdue')).toHaveText('1');

  // Gold accuracy: ana 1 of 2 right (gold-2 she called a violation), ben 2 of 2.
  await page.getByTestId('expert-tab-gold').click();
  await expect(page.locator('[data-testid="gold-accuracy-row"][data-reviewer="ana"] [data-testid="gold-correct"]')).toHaveText('50% (1)');
  await expect(page.locator('[data-testid="gold-accuracy-row"][data-reviewer="ben"] [data-testid="gold-correct"]')).toHaveText('100% (2)');

  // Overturns by model: the table shows the counts the contract returns.
  const over = (await api(page, served, 'expert.overturns', {})) as { total: { overturned: number; reviewed: number }; rows: unknown[] };
  await page.getByTestId('expert-tab-overturns').click();
  await expect(page.getByTestId('overturns-total')).toHaveText(`${over.total.overturned} of ${over.total.reviewed}`);
  await expect(page.getByTestId('overturn-row')).toHaveCount(over.rows.length);

  // Agreement over the imported verdicts.
  await page.getByTestId('expert-tab-agreement').click();
  await expect(page.getByTestId('agreement')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('agreement-pairs').getByTestId('pair-kappa')).toHaveCount(1);

  // Reopen the adjudicated item with a reason: the history keeps every decision and why.
  await api(page, served, 'item.reopen', { itemId: ids['dis-1'], reason: 'New clinical guidance on overdose answers' });
  const view = (await api(page, served, 'item.get', { id: ids['dis-1'] })) as { item: { status: string }; verdicts: { kind: string; reviewer: string; inForce: boolean }[] };
  expect(view.item.status).toBe('in_review');
  expect(view.verdicts.map((v) => [v.kind, v.reviewer, v.inForce])).toEqual([
    ['import', 'ana', false],
    ['import', 'ben', false],
    ['adjudication', expect.any(String), true],
  ]);
  const actions = (await api(page, served, 'item.actions', { itemId: ids['dis-1'] })) as { actions: { kind: string; reason: string | null }[] };
  expect(actions.actions.filter((a) => a.kind === 'reopen').map((a) => a.reason)).toEqual(['New clinical guidance on overdose answers']);

  // The audit log and the tables agree.
  const { stdout } = await run(process.execPath, [BIN, 'audit', 'verify', '--workspace', served.workspace, '--json'], { cwd: REPO });
  expect(JSON.parse(stdout.trim().split('\n').pop()!)).toMatchObject({ ok: true });
});

for (const theme of ['light', 'dark'] as const) {
  test(`expert screens (${theme})`, async ({ page, serve }) => {
    mkdirSync(DIR, { recursive: true });
    const { served, ids } = await setup(page, serve);
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    for (const [w, h] of [
      [1440, 900],
      [1280, 720],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      await openExpert(page, served);
      await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', theme);
      await page.locator(`[data-testid="adjudication-row"][data-item-id="${ids['dis-1']}"]`).click();
      await expect(page.getByTestId('adjudication-head')).toHaveAttribute('data-item-id', ids['dis-1']!);
      await shot(page, `expert-adjudication-masked-${theme}-${w}`);
      await page.keyboard.press('r');
      await page.keyboard.press('1');
      await expect(page.getByTestId('adjudication-output')).toBeVisible();
      await shot(page, `expert-adjudication-${theme}-${w}`);
      await page.getByTestId('expert-tab-agreement').click();
      await expect(page.getByTestId('agreement')).toHaveAttribute('data-ready', 'true');
      await shot(page, `expert-agreement-${theme}-${w}`);
      await page.getByTestId('expert-tab-holds').click();
      await expect(page.getByTestId('hold-row')).toHaveCount(1);
      await shot(page, `expert-holds-${theme}-${w}`);
      await page.getByTestId('expert-tab-gold').click();
      await expect(page.getByTestId('gold-accuracy')).toBeVisible();
      await shot(page, `expert-gold-${theme}-${w}`);
      await page.getByTestId('expert-tab-overturns').click();
      await expect(page.getByTestId('overturns-total')).toBeVisible();
      await shot(page, `expert-overturns-${theme}-${w}`);
      await page.getByTestId('expert-tab-adjudication').click();
    }
  });
}
