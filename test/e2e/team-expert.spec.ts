/**
 * Expert review in team mode, end to end in browser mode against a real PostgreSQL (issue 13):
 * two reviewers, an adjudicator, an expert and a lead, each with their own Verdict server and
 * workspace in their own browser context, connected as their own database user.
 * Disagreement -> adjudication (blind) -> decided; escalate -> expert verdict -> overturn counted;
 * hold -> overdue seen by the lead; gold served and scored; reopen keeps the lineage; the team
 * audit verifies. Waits are on app events and on the states checked, never on time.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyTeam } from '../../electron/core/team/verify.ts';
import { expect, test, type Served } from './fixtures.ts';
import { escalation, startTeamDb, type TeamDb } from './team-fixtures.ts';

interface TeamEvent {
  name: string;
  detail: Record<string, unknown>;
}

declare global {
  interface Window {
    __teamEvents?: TeamEvent[];
  }
}

const EVENTS = [
  'verdict:team-status',
  'verdict:team-claimed',
  'verdict:team-item-shown',
  'verdict:team-verdict',
  'verdict:team-adjudication-claimed',
  'verdict:team-adjudicated',
  'verdict:team-handed-over',
  'verdict:team-expert-claimed',
  'verdict:team-expert-answered',
  'verdict:team-lead-loaded',
];

async function personPage(browser: Browser, served: Served): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript((names) => {
    const events: TeamEvent[] = [];
    window.__teamEvents = events;
    for (const name of names) document.addEventListener(name, (e) => events.push({ name, detail: (e as CustomEvent<Record<string, unknown>>).detail }));
  }, EVENTS);
  await page.goto(served.url);
  return { context, page };
}

const mark = (page: Page) => page.evaluate(() => window.__teamEvents?.length ?? 0);

async function teamEvent(page: Page, name: string, match: Record<string, unknown> = {}, since = 0): Promise<Record<string, unknown>> {
  const h = await page.waitForFunction(
    ({ name, match, since }) =>
      (window.__teamEvents ?? []).slice(since).find((e) => e.name === name && Object.entries(match).every(([k, v]) => e.detail[k] === v))?.detail ?? null,
    { name, match, since },
  );
  return (await h.jsonValue()) as Record<string, unknown>;
}

async function connect(page: Page, db: TeamDb, user: string, role: string): Promise<void> {
  await page.getByTestId('open-team').click();
  await page.getByTestId('team-url').fill(db.url);
  await page.getByTestId('team-user').fill(user);
  await page.getByTestId('team-password').fill(db.passwords[user]!);
  await page.getByTestId('team-connect').click();
  await teamEvent(page, 'verdict:team-status', { online: true });
  await expect(page.getByTestId('team-whoami')).toHaveText(`${user} · ${role}`);
}

/** Claims one item and waits until it is open; returns its producer id. */
async function claimOne(page: Page): Promise<string> {
  await page.getByTestId('team-claim-count').fill('1');
  const since = await mark(page);
  await page.getByTestId('team-claim').click();
  const done = await teamEvent(page, 'verdict:team-claimed', {}, since);
  const ids = done.claimed as string[];
  const id = ids[ids.length - 1]!;
  // Open it explicitly: the desk opens the first claim by itself only when nothing is open.
  await page.getByTestId(`team-row-${id}`).click();
  await teamEvent(page, 'verdict:team-item-shown', { itemId: id, state: 'claimed' }, since);
  return (await page.getByTestId('team-item-id').textContent()) ?? '';
}

async function submit(page: Page, decision: 'violation' | 'dismiss'): Promise<void> {
  await page.getByTestId(`team-decision-${decision}`).click();
  // Save and stop: these steps claim each item themselves.
  await page.getByTestId('team-save-stop').click();
  await expect(page.getByTestId('team-outcome')).toHaveAttribute('data-state', 'accepted');
}

async function mode(page: Page, label: string): Promise<void> {
  await page.getByTestId('team-mode').getByText(label, { exact: true }).click();
}

async function leadRefresh(page: Page): Promise<Record<string, unknown>> {
  const since = await mark(page);
  await page.getByTestId('team-lead-refresh').click();
  return teamEvent(page, 'verdict:team-lead-loaded', {}, since);
}

test.describe('team expert review (browser mode, real PostgreSQL)', () => {
  let db: TeamDb | null = null;
  let dir = '';
  test.afterEach(async () => {
    await db?.stop();
    db = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('adjudication, expert escalation, hold, gold and reopen across five people; the team audit verifies', async ({ browser, serve }) => {
    test.setTimeout(300_000);
    dir = mkdtempSync(join(tmpdir(), 'verdict-e2e-team-expert-'));
    db = await startTeamDb(dir, {
      routes: [
        { name: 'trust_safety', reviews: 2 },
        { name: 'clinical', reviews: 1 },
      ],
      users: [
        { name: 'ana', routes: ['trust_safety'] },
        { name: 'ben', routes: ['trust_safety'] },
        { name: 'ada', routes: ['trust_safety'], role: 'adjudicator' },
        { name: 'eve', routes: ['clinical'], role: 'expert' },
        { name: 'lea', routes: [], role: 'lead' },
      ],
      records: ['ts-1', 'ts-2', 'ts-3'].map((id) => ({ ...escalation(id, 'trust_safety', `Answer ${id}: use a tension wrench.`), provenance: { 'gen_ai.request.model': 'model-a' } })),
    });
    const servers = await Promise.all([0, 1, 2, 3, 4].map(() => serve({ demo: 0 })));
    const [ana, ben, ada, eve, lea] = await Promise.all(servers.map((s) => personPage(browser, s)));
    const people = { ana: ana!, ben: ben!, ada: ada!, eve: eve!, lea: lea! };
    try {
      await connect(people.ana.page, db, 'ana', 'reviewer');
      await connect(people.ben.page, db, 'ben', 'reviewer');
      await connect(people.ada.page, db, 'ada', 'adjudicator');
      await connect(people.eve.page, db, 'eve', 'expert');
      await connect(people.lea.page, db, 'lea', 'lead');

      // 1. Disagreement -> adjudication -> decided. Both reviewers get ts-1 (N = 2) and disagree.
      expect(await claimOne(people.ana.page)).toBe('ts-1');
      expect(await claimOne(people.ben.page)).toBe('ts-1');
      await submit(people.ana.page, 'violation');
      await submit(people.ben.page, 'dismiss');
      const adjPage = people.ada.page;
      await mode(adjPage, 'Adjudication');
      let since = await mark(adjPage);
      await adjPage.getByTestId('team-adjudication-claim').click();
      const claimed = await teamEvent(adjPage, 'verdict:team-adjudication-claimed', {}, since);
      expect(claimed.sides).toEqual(['Reviewer 1', 'Reviewer 2']);
      await expect(adjPage.getByTestId('team-blind-badge')).toBeVisible();
      await expect(adjPage.getByTestId('team-adjudication-sides')).not.toContainText('ana');
      await expect(adjPage.getByTestId('team-adjudication-output')).toContainText('Answer ts-1');
      // Keyboard: adopt verdict 1 (violation), then Ctrl+Enter.
      await adjPage.getByTestId('team-adjudication-head').click();
      await adjPage.keyboard.press('1');
      await expect(adjPage.getByTestId('team-adjudication-side').first()).toHaveAttribute('data-chosen', 'true');
      since = await mark(adjPage);
      await adjPage.keyboard.press('Control+Enter');
      const decided = await teamEvent(adjPage, 'verdict:team-adjudicated', { status: 'accepted' }, since);
      expect(decided.sides).toEqual(['ana', 'ben']);
      await expect(adjPage.getByTestId('team-adjudication-decided')).toBeVisible();

      // 2. Escalate with a question: ts-2 leaves ana's queue and waits in the expert pool.
      expect(await claimOne(people.ana.page)).toBe('ts-2');
      await people.ana.page.getByTestId('team-escalate-open').click();
      await people.ana.page.getByTestId('team-escalate-question').fill('Is lock-picking advice allowed for locksmith training?');
      await people.ana.page.getByTestId('team-escalate-first').getByText('False positive').click();
      since = await mark(people.ana.page);
      await people.ana.page.getByTestId('team-escalate-send').click();
      await teamEvent(people.ana.page, 'verdict:team-handed-over', { how: 'escalated', state: 'released' }, since);
      await expect(people.ana.page.getByTestId('team-outcome-reason')).toContainText('escalated to clinical');
      // ben is handed ts-3, not the escalated ts-2.
      expect(await claimOne(people.ben.page)).toBe('ts-3');
      const expertPage = people.eve.page;
      await mode(expertPage, 'Expert pool');
      await expect(expertPage.getByTestId('team-pool-row')).toHaveCount(1);
      await expect(expertPage.getByTestId('team-pool')).toContainText('locksmith training');
      since = await mark(expertPage);
      await expertPage.getByTestId('team-expert-claim').click();
      await teamEvent(expertPage, 'verdict:team-expert-claimed', {}, since);
      await expect(expertPage.getByTestId('team-expert-question')).toContainText('First-line verdict: dismiss');
      await expertPage.getByTestId('team-expert-decision').getByText('Violation').click();
      await expertPage.getByTestId('team-expert-labels').fill('S2');
      since = await mark(expertPage);
      await expertPage.getByTestId('team-expert-send').click();
      const answered = await teamEvent(expertPage, 'verdict:team-expert-answered', { status: 'accepted' }, since);
      expect(answered.overturned).toBe(true);
      await expect(expertPage.getByTestId('team-pool-empty')).toBeVisible();

      // 3. Hold with a review-by time already past: the lead sees it overdue.
      await people.ben.page.getByTestId('team-hold-open').click();
      await people.ben.page.getByTestId('team-hold-reason').fill('asking the model owner');
      await people.ben.page.getByTestId('team-hold-review-by').fill('2020-01-01T09:00');
      since = await mark(people.ben.page);
      await people.ben.page.getByTestId('team-hold-send').click();
      await teamEvent(people.ben.page, 'verdict:team-handed-over', { how: 'held', state: 'released' }, since);
      const leadPage = people.lea.page;
      await mode(leadPage, 'Lead');
      const view = await leadRefresh(leadPage);
      expect(view.holds).toEqual([{ itemId: expect.any(String), overdue: true }]);
      await expect(leadPage.getByTestId('team-hold-overdue')).toBeVisible();
      expect(view.overturns).toContainEqual({ route: 'trust_safety', label: '(any)', model: 'model-a', answered: 1, overturned: 1 });
      await expect(leadPage.getByTestId('team-overturns')).toContainText('100%');

      // 4. Gold: the lead marks ts-2 (decided by the expert: violation); at gold rate 1 ben's next
      // claim is a copy of it, shown like any item; his dismiss scores 0 of 1.
      const ts = leadPage.locator('[data-testid="team-route-row"][data-route="trust_safety"]');
      await ts.getByTestId('team-route-gold').fill('100');
      since = await mark(leadPage);
      await ts.getByTestId('team-route-save').click();
      await teamEvent(leadPage, 'verdict:team-lead-loaded', {}, since);
      await expect(ts.getByTestId('team-route-save')).toBeDisabled();
      await leadPage.locator('[data-testid="team-lead-item"][data-ext-id="ts-2"]').getByTestId('team-lead-gold').click();
      await expect(leadPage.locator('[data-testid="team-lead-item"][data-ext-id="ts-2"]')).toContainText('Gold');
      expect(await claimOne(people.ben.page)).toBe('ts-2');
      await expect(people.ben.page.locator('body')).not.toContainText(/gold/i);
      await submit(people.ben.page, 'dismiss');
      const scored = await leadRefresh(leadPage);
      expect(scored.gold).toEqual([{ reviewer: 'ben', route: 'trust_safety', month: expect.any(String), served: 1, answered: 1, correct: 0 }]);
      await expect(leadPage.getByTestId('team-gold-accuracy')).toHaveText('0%');

      // 5. Reopen ts-1 with a reason: back to adjudication, the lineage keeps every step.
      const row = leadPage.locator('[data-testid="team-lead-item"][data-ext-id="ts-1"]');
      await row.getByTestId('team-lead-reopen').click();
      await leadPage.getByTestId('team-lead-reopen-reason').fill('policy 4.2 changed');
      since = await mark(leadPage);
      await leadPage.getByTestId('team-lead-reopen-confirm').click();
      await teamEvent(leadPage, 'verdict:team-lead-loaded', {}, since);
      await expect(row).toHaveAttribute('data-status', 'adjudication');
      await row.getByTestId('team-lead-history').click();
      const history = leadPage.getByTestId('team-lead-history-rows');
      await expect(history.locator('[data-kind="verdict"]')).toHaveCount(2);
      await expect(history.locator('[data-kind="adjudication"]')).toContainText('ada');
      await expect(history.locator('[data-kind="reopened"]')).toContainText('policy 4.2 changed');

      // 6. The team audit log replays to exactly these tables.
      const verified = await verifyTeam(db.cluster.url);
      expect(verified).toMatchObject({ ok: true });
    } finally {
      for (const p of Object.values(people)) await p.context.close();
    }
  });
});
