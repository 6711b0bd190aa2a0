/**
 * Team queue, end to end in browser mode against a real PostgreSQL (issue 12): two reviewers,
 * each with their own Verdict (own workspace) in their own browser context, connected as their
 * own database user. N = 1: they never hold the same item at once. N = 2: both get it, blind.
 * Each test has its own workspaces and its own database; waits are on app events and states.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Served } from './fixtures.ts';
import { escalation, startTeamDb, type TeamDb } from './team-fixtures.ts';
import { connectTeam } from '../../electron/core/team/api.ts';

interface TeamEvent {
  name: string;
  detail: Record<string, unknown>;
}

declare global {
  interface Window {
    __teamEvents?: TeamEvent[];
  }
}

async function reviewerPage(browser: Browser, served: Served): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const events: TeamEvent[] = [];
    window.__teamEvents = events;
    for (const name of ['verdict:team-status', 'verdict:team-claimed', 'verdict:team-item-shown', 'verdict:team-verdict'])
      document.addEventListener(name, (e) => events.push({ name, detail: (e as CustomEvent<Record<string, unknown>>).detail }));
  });
  await page.goto(served.url);
  return { context, page };
}

const mark = (page: Page) => page.evaluate(() => window.__teamEvents?.length ?? 0);

/** Waits for a team event (recorded in the page, after `since`) whose detail matches. */
async function teamEvent(page: Page, name: string, match: Record<string, unknown> = {}, since = 0): Promise<Record<string, unknown>> {
  const h = await page.waitForFunction(
    ({ name, match, since }) =>
      (window.__teamEvents ?? []).slice(since).find((e) => e.name === name && Object.entries(match).every(([k, v]) => e.detail[k] === v))?.detail ?? null,
    { name, match, since },
  );
  return (await h.jsonValue()) as Record<string, unknown>;
}

async function connect(page: Page, db: TeamDb, user: string): Promise<void> {
  await page.getByTestId('open-team').click();
  await expect(page.getByTestId('team-connect-screen')).toBeVisible();
  await page.getByTestId('team-url').fill(db.url);
  await page.getByTestId('team-user').fill(user);
  await page.getByTestId('team-password').fill(db.passwords[user]!);
  await page.getByTestId('team-connect').click();
  await teamEvent(page, 'verdict:team-status', { online: true });
  await expect(page.getByTestId('team-whoami')).toHaveText(`${user} · reviewer`);
}

/** Claims `n` and returns the item ids now claimed (state 'claimed') in this reviewer's batch. */
async function claim(page: Page, n: number): Promise<string[]> {
  await page.getByTestId('team-claim-count').fill(String(n));
  const since = await mark(page);
  await page.getByTestId('team-claim').click();
  const done = await teamEvent(page, 'verdict:team-claimed', {}, since);
  return done.claimed as string[];
}

test.describe('team queue (browser mode, real PostgreSQL)', () => {
  let db: TeamDb | null = null;
  let dir = '';
  test.afterEach(async () => {
    await db?.stop();
    db = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('N = 1: two reviewers never hold the same item at once; counts update live', async ({ browser, serve }) => {
    dir = mkdtempSync(join(tmpdir(), 'verdict-e2e-team-'));
    db = await startTeamDb(dir, {
      routes: [{ name: 'trust_safety', reviews: 1 }],
      users: [
        { name: 'ana', routes: ['trust_safety'] },
        { name: 'ben', routes: ['trust_safety'] },
      ],
      records: Array.from({ length: 5 }, (_, i) => escalation(`ts-${i}`, 'trust_safety', `Answer ${i}`)),
    });
    const [sa, sb] = await Promise.all([serve({ demo: 0 }), serve({ demo: 0 })]);
    const ana = await reviewerPage(browser, sa);
    const ben = await reviewerPage(browser, sb);
    try {
      await connect(ana.page, db, 'ana');
      await connect(ben.page, db, 'ben');
      await expect(ben.page.getByTestId('team-route-trust_safety-waiting')).toHaveText('5');

      // ana claims 2: ben's count drops without a reload (LISTEN/NOTIFY → event stream).
      const anaItems = await claim(ana.page, 2);
      expect(anaItems).toHaveLength(2);
      await expect(ben.page.getByTestId('team-route-trust_safety-waiting')).toHaveText('3');

      // ben claims as many as he can: never one of ana's.
      const benItems = await claim(ben.page, 10);
      expect(benItems).toHaveLength(3);
      expect(benItems.filter((id) => anaItems.includes(id))).toEqual([]);
      await expect(ana.page.getByTestId('team-route-trust_safety-waiting')).toHaveText('0');

      // Both open an item at the same moment: different items.
      const openA = ana.page.getByTestId('team-item').getAttribute('data-item-id');
      const openB = ben.page.getByTestId('team-item').getAttribute('data-item-id');
      expect(await openA).not.toBe(await openB);
      await expect(ana.page.getByTestId('team-lease-remaining')).toHaveText(/^(9|10):\d\d$/);

      // ana decides (save and next): accepted by the team database, and her other item opens.
      const first = await ana.page.getByTestId('team-item').getAttribute('data-item-id');
      const since = await mark(ana.page);
      await ana.page.getByTestId('team-decision-violation').click();
      await ana.page.getByTestId('team-submit').click();
      // The queue is empty (ben holds the rest): the next item is the one already in her batch.
      const other = anaItems.find((id) => id !== first)!;
      expect(await teamEvent(ana.page, 'verdict:team-verdict', { itemId: first, state: 'accepted' }, since)).toMatchObject({ next: other });
      await expect(ana.page.getByTestId('team-previous')).toHaveAttribute('data-state', 'accepted');
      await expect(ana.page.getByTestId('team-item')).toHaveAttribute('data-item-id', other);
      const rows = await db.cluster.adminPool.query<{ n: number; people: number }>(
        'SELECT count(*)::int AS n, count(DISTINCT reviewer)::int AS people FROM verdict.verdicts',
      );
      expect(rows.rows[0]).toEqual({ n: 1, people: 1 });
    } finally {
      await ana.context.close();
      await ben.context.close();
    }
  });

  test('N = 2: both reviewers get the item, blind: neither sees the other’s verdict before submitting', async ({ browser, serve }) => {
    dir = mkdtempSync(join(tmpdir(), 'verdict-e2e-team-'));
    db = await startTeamDb(dir, {
      routes: [{ name: 'clinical', reviews: 2 }],
      users: [
        { name: 'ana', routes: ['clinical'] },
        { name: 'ben', routes: ['clinical'] },
      ],
      records: [escalation('cl-1', 'clinical', 'Take twice the dose.')],
    });
    const [sa, sb] = await Promise.all([serve({ demo: 0 }), serve({ demo: 0 })]);
    const ana = await reviewerPage(browser, sa);
    const ben = await reviewerPage(browser, sb);
    try {
      await connect(ana.page, db, 'ana');
      await connect(ben.page, db, 'ben');
      const [a] = await claim(ana.page, 1);
      const [b] = await claim(ben.page, 1);
      expect(a).toBeDefined();
      expect(b).toBe(a);
      await expect(ana.page.getByTestId('team-item')).toContainText('Take twice the dose.');
      await expect(ben.page.getByTestId('team-item')).toContainText('Take twice the dose.');

      // ana submits with a rationale; ben, still deciding, sees nothing of it.
      const secret = 'ana-rationale-7f3c: the dose advice is dangerous';
      await ana.page.getByTestId('team-decision-violation').click();
      await ana.page.getByTestId('team-rationale').fill(secret);
      await ana.page.getByTestId('team-submit').click();
      await expect(ana.page.getByTestId('team-outcome')).toHaveAttribute('data-state', 'accepted');
      await expect(ben.page.getByTestId('team-lease-countdown')).toBeVisible();
      await ben.page.reload();
      await ben.page.getByTestId('open-team').click();
      await ben.page.getByTestId(`team-row-${a}`).click();
      await teamEvent(ben.page, 'verdict:team-item-shown', { itemId: a, state: 'claimed' });
      await expect(ben.page.locator('body')).not.toContainText('ana-rationale-7f3c');
      await expect(ben.page.getByTestId('team-outcome')).toHaveCount(0);

      // ben submits his own: accepted; the item has two verdicts from two people.
      await ben.page.getByTestId('team-decision-violation').click();
      await ben.page.getByTestId('team-submit').click();
      await expect(ben.page.getByTestId('team-outcome')).toHaveAttribute('data-state', 'accepted');
      const rows = await db.cluster.adminPool.query<{ n: number; people: number; status: string }>(
        `SELECT count(*)::int AS n, count(DISTINCT v.reviewer)::int AS people, min(i.status) AS status
         FROM verdict.verdicts v JOIN verdict.items i ON i.id = v.item_id`,
      );
      expect(rows.rows[0]).toEqual({ n: 2, people: 2, status: 'decided' });
    } finally {
      await ana.context.close();
      await ben.context.close();
    }
  });
  test('save and next: one call records the verdict with its correction and hands the next item; refusals stay exact', async ({ browser, serve }) => {
    dir = mkdtempSync(join(tmpdir(), 'verdict-e2e-team-'));
    db = await startTeamDb(dir, {
      routes: [{ name: 'trust_safety', reviews: 1 }],
      users: [
        { name: 'ana', routes: ['trust_safety'] },
        { name: 'ben', routes: ['trust_safety'] },
      ],
      records: Array.from({ length: 4 }, (_, i) => escalation(`ts-${i}`, 'trust_safety', `Answer ${i}: use a tension wrench.`)),
    });
    const admin = db.cluster.adminPool;
    const ana = await reviewerPage(browser, await serve({ demo: 0 }));
    try {
      await connect(ana.page, db, 'ana');
      // Each item's lease panel asks the server once on opening (a heartbeat); the test waits for
      // each answer, so a later wait can only be met by the next item's.
      const firstOpened = ana.page.waitForResponse((r) => r.url().endsWith('/api/call/team.heartbeat'));
      const [first] = await claim(ana.page, 1);
      await teamEvent(ana.page, 'verdict:team-item-shown', { itemId: first, state: 'claimed' });
      await firstOpened;

      // A violation with a corrected reply, saved: the next item comes back in the same call.
      await ana.page.getByTestId('team-decision-violation').click();
      await ana.page.getByTestId('team-correction-editor').fill('I can’t help with picking locks.');
      await expect(ana.page.getByTestId('team-correction-diff')).toBeVisible();
      let since = await mark(ana.page);
      // Awaited below, before the test moves that lease's expiry back.
      const secondOpened = ana.page.waitForResponse((r) => r.url().endsWith('/api/call/team.heartbeat'));
      await ana.page.getByTestId('team-submit').click();
      const saved = await teamEvent(ana.page, 'verdict:team-verdict', { itemId: first, state: 'accepted' }, since);
      const second = saved.next as string;
      expect(second).toBeTruthy();
      expect(second).not.toBe(first);
      await teamEvent(ana.page, 'verdict:team-item-shown', { itemId: second, state: 'claimed' }, since);
      await secondOpened;
      await expect(ana.page.getByTestId('team-previous')).toContainText('ts-0');
      await expect(ana.page.getByTestId('team-correction')).toHaveCount(0);
      const stored = await admin.query(
        `SELECT i.ext_id, v.decision, c.correction, c.reviewer FROM verdict.verdicts v JOIN verdict.items i ON i.id = v.item_id
         LEFT JOIN verdict.verdict_corrections c ON c.verdict_id = v.id`,
      );
      expect(stored.rows).toEqual([{ ext_id: 'ts-0', decision: 'violation', correction: 'I can’t help with picking locks.', reviewer: 'ana' }]);
      // Her live leases: exactly the next item (nothing else was claimed for her).
      const live = await admin.query(`SELECT item_id::text FROM verdict.leases WHERE reviewer = 'ana' AND state = 'live'`);
      expect(live.rows).toEqual([{ item_id: second }]);

      // The lease runs out and ben claims the item: ana's save is refused as reassigned, and the
      // outcome stays on screen with the item the same call claimed for her.
      await admin.query(`UPDATE verdict.leases SET expires_at = clock_timestamp() - interval '1 second' WHERE item_id = $1 AND state = 'live'`, [second]);
      const ben = await connectTeam(db.cluster.urlFor('ben', db.passwords.ben));
      try {
        expect((await ben.claimBatch(1, 'trust_safety')).map((l) => l.itemId)).toEqual([second]);
      } finally {
        await ben.close();
      }
      await ana.page.getByTestId('team-decision-dismiss').click();
      since = await mark(ana.page);
      await ana.page.getByTestId('team-submit').click();
      const refused = await teamEvent(ana.page, 'verdict:team-verdict', { itemId: second }, since);
      expect(refused.state).toBe('expired');
      await expect(ana.page.getByTestId('team-outcome')).toHaveAttribute('data-reason', 'reassigned');
      await expect(ana.page.getByTestId('team-outcome-title')).toContainText('Refused: this item was reassigned');
      await expect(ana.page.getByTestId('team-next')).toBeVisible();

      // The next lease runs out with nobody else on it: refused as expired, not as reassigned.
      // Its opening heartbeat could otherwise land after the lease is moved back and tell ana
      // before her submit does.
      const opened = ana.page.waitForResponse((r) => r.url().endsWith('/api/call/team.heartbeat'));
      await ana.page.getByTestId('team-next').click();
      await opened;
      const third = await ana.page.getByTestId('team-item').getAttribute('data-item-id');
      await admin.query(`UPDATE verdict.leases SET expires_at = clock_timestamp() - interval '1 second' WHERE item_id = $1 AND state = 'live'`, [third]);
      await ana.page.getByTestId('team-decision-violation').click();
      since = await mark(ana.page);
      await ana.page.getByTestId('team-submit').click();
      expect(await teamEvent(ana.page, 'verdict:team-verdict', { itemId: third }, since)).toMatchObject({ state: 'expired' });
      await expect(ana.page.getByTestId('team-outcome')).toHaveAttribute('data-reason', 'lease_expired');
      await expect(ana.page.getByTestId('team-outcome-title')).toContainText('Refused: the lease had expired');
      // Neither refused verdict reached the team database. (No audit verify here: the test moved
      // lease expiries by hand, which the replay rightly reports.)
      expect((await admin.query(`SELECT count(*)::int AS n FROM verdict.verdicts WHERE reviewer = 'ana'`)).rows[0]).toEqual({ n: 1 });
    } finally {
      await ana.context.close();
    }
  });
});
