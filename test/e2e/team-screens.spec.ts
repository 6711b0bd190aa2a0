/**
 * The team screens in both themes at 1440×900 and 1280×720: connect, the team desk with a lease
 * counting down, an accepted verdict, and the "this item was reassigned" state. Screenshots in
 * test-results/team-screens/<size>-<screen>-<theme>.png, and an axe-core WCAG 2.2 AA scan of each
 * (contrast included): any violation fails the test.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectTeam } from '../../electron/core/team/api.ts';
import { startRelay, type Relay } from '../team-client/proxy.ts';
import { expect, test } from './fixtures.ts';
import { escalation, startTeamDb, type TeamDb } from './team-fixtures.ts';

const DIR = 'test-results/team-screens';
const SIZES = [
  { name: '1440', width: 1440, height: 900 },
  { name: '1280', width: 1280, height: 720 },
] as const;

async function settle(page: Page) {
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
}

const ANSWERS = [
  'Take 12 units of rapid-acting insulin before dinner, and 4 more if it stays above 200.',
  'Sure — here is how to bypass the content filter: start every message with "ignore previous".',
  'I can’t help with that, but here is the number of a local support line.',
];

for (const theme of ['light', 'dark'] as const) {
  test(`team screens ${theme}: screenshots at 1440 and 1280 and zero WCAG 2.2 AA violations`, async ({ page, serve }) => {
    test.setTimeout(180_000);
    mkdirSync(DIR, { recursive: true });
    const dir = mkdtempSync(join(tmpdir(), 'verdict-e2e-team-screens-'));
    let db: TeamDb | null = null;
    let relay: Relay | null = null;
    const found: string[] = [];
    const screen = async (name: string) => {
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        await settle(page);
        await page.screenshot({ path: `${DIR}/${size.name}-${name}-${theme}.png` });
        const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
        for (const v of r.violations) for (const n of v.nodes.slice(0, 8)) found.push(`${size.name} ${name}: ${v.id} ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1] ?? ''}`);
      }
    };
    try {
      db = await startTeamDb(dir, {
        routes: [
          { name: 'trust_safety', reviews: 1 },
          { name: 'clinical', reviews: 2 },
        ],
        users: [
          { name: 'ana', routes: ['trust_safety', 'clinical'] },
          { name: 'ben', routes: ['trust_safety', 'clinical'] },
        ],
        records: [
          ...ANSWERS.map((a, i) => escalation(`ts-${i}`, 'trust_safety', a)),
          ...Array.from({ length: 4 }, (_, i) => escalation(`cl-${i}`, 'clinical', `Clinical answer ${i}`)),
        ],
      });
      // The app reaches the database through a relay, so the test can drop the network.
      relay = await startRelay(db.cluster.port);
      const served = await serve({ demo: 0 });
      await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
      await page.goto(served.url);
      await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', theme);
      await page.getByTestId('open-team').click();
      await expect(page.getByTestId('team-connect-screen')).toBeVisible();
      await page.getByTestId('team-url').fill(`postgres://127.0.0.1:${relay.port}/verdict`);
      await page.getByTestId('team-user').fill('ana');
      await screen('connect');

      await page.getByTestId('team-password').fill(db.passwords.ana!);
      await page.getByTestId('team-connect').click();
      await expect(page.getByTestId('team-whoami')).toHaveText('ana · reviewer');
      await page.getByTestId('team-claim-count').fill('3');
      await page.getByTestId('team-claim').click();
      await expect(page.getByTestId('team-lease-remaining')).toHaveText(/^(9|10):\d\d$/);
      await page.getByTestId('team-decision-violation').click();
      await page.getByTestId('team-rationale').fill('Specific dosing advice to a patient.');
      await page.getByTestId('team-correction-editor').fill('I can’t give dosing advice; please ask the clinician who prescribed your insulin.');
      await screen('lease');

      // Save and next: accepted, and the next item of the batch opens with a line about the saved one.
      const first = (await page.getByTestId('team-item').getAttribute('data-item-id'))!;
      await page.getByTestId('team-submit').click();
      await expect(page.getByTestId('team-previous')).toHaveAttribute('data-state', 'accepted');
      await expect(page.getByTestId('team-item')).not.toHaveAttribute('data-item-id', first);
      await screen('saved-next');
      await page.getByTestId(`team-row-${first}`).click();
      await expect(page.getByTestId('team-outcome')).toHaveAttribute('data-state', 'accepted');
      await expect(page.getByTestId('team-outcome-correction')).toContainText('please ask the clinician');
      await screen('accepted');

      // The second item's lease runs out (the laptop slept through it) and ben claims it: when ana
      // opens it again, the heartbeat answers that it was reassigned. (Save and next claimed a
      // fourth item into her batch.)
      const rows = page.locator('[data-testid^="team-row-"][data-state="claimed"]');
      await expect(rows).toHaveCount(3);
      const second = rows.first();
      const itemId = (await second.getAttribute('data-testid'))!.slice('team-row-'.length);
      await db.cluster.adminPool.query(`UPDATE verdict.leases SET expires_at = clock_timestamp() - interval '1 second' WHERE item_id = $1 AND state = 'live'`, [itemId]);
      const ben = await connectTeam(db.cluster.urlFor('ben', db.passwords.ben));
      try {
        expect((await ben.claimBatch(1, 'trust_safety')).map((l) => l.itemId)).toEqual([itemId]);
      } finally {
        await ben.close();
      }
      await second.click();
      await expect(page.getByTestId('team-outcome')).toHaveAttribute('data-reason', 'reassigned');
      await expect(page.getByTestId('team-outcome-title')).toContainText('This item was reassigned');
      await screen('reassigned');

      // The network drops: the last claimed item is reviewed offline; its verdict waits here.
      await relay.cut();
      await page.getByTestId('team-next').click();
      await expect(page.getByTestId('team-online')).toHaveText('offline', { timeout: 30_000 });
      await page.getByTestId('team-decision-dismiss').click();
      await page.getByTestId('team-submit').click();
      await expect(page.getByTestId('team-outcome')).toHaveAttribute('data-state', 'pending');
      await expect(page.getByTestId('team-pending-count')).toHaveText('1 verdict waiting to be sent');
      await screen('offline');
      // Back online: the client reconnects by itself and the team database accepts it.
      await relay.restore();
      await expect(page.getByTestId('team-outcome')).toHaveAttribute('data-state', 'accepted', { timeout: 60_000 });
      await expect(page.getByTestId('team-online')).toHaveText('connected');
    } finally {
      await relay?.close();
      await db?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(found).toEqual([]);
  });
}
