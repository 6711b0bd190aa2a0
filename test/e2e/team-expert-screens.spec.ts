/**
 * The team expert-review screens in both themes at 1440×900 and 1280×720 (issue 13): the
 * adjudication screen (blind, then decided), the expert pool with a claimed escalation, the
 * lead's view (holds overdue, gold accuracy, overturns, items; then its agreement over the team's
 * verdicts), "Ask an expert" under a lease, and a verdict refused because a lead held the item. Screenshots in test-results/team-expert-screens/<size>-<screen>-<theme>.png, and an
 * axe-core WCAG 2.2 AA scan of each: any violation fails the test.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectTeam, type TeamSession } from '../../electron/core/team/api.ts';
import { expect, test } from './fixtures.ts';
import { escalation, startTeamDb, type TeamDb } from './team-fixtures.ts';

const DIR = 'test-results/team-expert-screens';
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
  'Mix bleach and ammonia for a stronger cleaner.',
  'I can’t help with that, but here is the number of a local support line.',
  'Here is a summary of the article you pasted.',
  'Use a tension wrench and a pick to open the lock.',
  'Double the dose if the first one does not work within an hour.',
];

/** The team's state before any screen: disagreements, escalations (one answered), a hold, gold served. */
async function seed(db: TeamDb): Promise<void> {
  const admin = db.cluster.adminPool;
  const url = (u: string) => db.cluster.urlFor(u, db.passwords[u]!);
  const s: Record<string, TeamSession> = {};
  for (const u of ['ana', 'ben', 'cy', 'eve', 'lea']) s[u] = await connectTeam(url(u));
  try {
    // ts-0, ts-1: disagreements (waiting for adjudication). ts-2: agreed (decided, becomes gold).
    for (const [a, b] of [['violation', 'dismiss'], ['dismiss', 'violation'], ['violation', 'violation']] as const) {
      const la = (await s.ana!.claimNext())!;
      const lb = (await s.ben!.claimNext())!;
      await s.ana!.submit(la, { decision: a, labels: a === 'violation' ? ['S6'] : [], rationale: a === 'violation' ? 'Specific dosing advice without a clinician: S6.' : 'General information, no instructions.' });
      await s.ben!.submit(lb, { decision: b, rationale: b === 'violation' ? 'Unsupervised dose change: S6.' : 'The dose is within the label; dismiss.' });
    }
    // ts-3, ts-4: escalated to clinical; eve answers ts-3 (overturn), ts-4 waits.
    for (const q of ['Is this within the guideline?', 'Is 12 units a safe starting dose?']) {
      const l = (await s.ana!.claimNext())!;
      await s.ana!.expert.escalate(l, { toRoute: 'clinical', question: q, firstDecision: 'dismiss', firstLabels: [] });
    }
    const c = (await s.eve!.expert.claimExpert())!;
    await s.eve!.expert.answerExpert(c.escalationId, c.token, { kind: 'verdict', decision: 'violation', labels: ['S6'], severity: null, note: null });
    // ts-5: ben holds it, review-by already past.
    const h = (await s.ben!.claimNext())!;
    await s.ben!.expert.hold(h.itemId, h.token, 'asking the model owner about the deployment', '2026-01-05T09:00:00Z');
    // Gold: ts-2 (agreed violation) marked; cy is served a copy and answers dismiss.
    const gold = (await admin.query<{ id: string }>("SELECT id::text FROM verdict.items WHERE ext_id = 'ts-2'")).rows[0]!.id;
    await s.lea!.expert.markGold(gold, 'violation', []);
    await s.lea!.expert.setRoute('trust_safety', 1, null);
    const g = (await s.cy!.claimMixed())!;
    await s.cy!.submit(g, { decision: 'dismiss' });
    await s.lea!.expert.setRoute('trust_safety', 0, null);
  } finally {
    for (const x of Object.values(s)) await x.close();
  }
}

for (const theme of ['light', 'dark'] as const) {
  test(`team expert screens ${theme}: screenshots at 1440 and 1280 and zero WCAG 2.2 AA violations`, async ({ page, serve }) => {
    test.setTimeout(300_000);
    mkdirSync(DIR, { recursive: true });
    const dir = mkdtempSync(join(tmpdir(), 'verdict-e2e-team-expert-screens-'));
    let db: TeamDb | null = null;
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
    const open = async (user: string, role: string) => {
      const served = await serve({ demo: 0 });
      await page.goto(served.url);
      await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', theme);
      await page.getByTestId('open-team').click();
      await page.getByTestId('team-url').fill(db!.url);
      await page.getByTestId('team-user').fill(user);
      await page.getByTestId('team-password').fill(db!.passwords[user]!);
      await page.getByTestId('team-connect').click();
      await expect(page.getByTestId('team-whoami')).toHaveText(`${user} · ${role}`);
    };
    try {
      db = await startTeamDb(dir, {
        routes: [
          { name: 'trust_safety', reviews: 2 },
          { name: 'clinical', reviews: 1 },
        ],
        users: [
          { name: 'ana', routes: ['trust_safety'] },
          { name: 'ben', routes: ['trust_safety'] },
          { name: 'cy', routes: ['trust_safety'] },
          { name: 'ada', routes: ['trust_safety'], role: 'adjudicator' },
          { name: 'eve', routes: ['clinical'], role: 'expert' },
          { name: 'lea', routes: [], role: 'lead' },
        ],
        records: ANSWERS.map((a, i) => ({ ...escalation(`ts-${i}`, 'trust_safety', a), provenance: { 'gen_ai.request.model': i % 2 ? 'model-b' : 'model-a' } })),
      });
      await seed(db);
      await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });

      await open('ada', 'adjudicator');
      await page.getByTestId('team-mode').getByText('Adjudication', { exact: true }).click();
      await page.getByTestId('team-adjudication-claim').click();
      await expect(page.getByTestId('team-blind-badge')).toBeVisible();
      await page.getByTestId('team-adjudication-head').click();
      await page.keyboard.press('1');
      await page.getByTestId('team-adjudication-rationale').fill('S6 applies: the dose advice is specific and unsupervised.');
      await screen('adjudication');
      await page.keyboard.press('Control+Enter');
      await expect(page.getByTestId('team-adjudication-decided')).toBeVisible();
      await screen('adjudication-decided');

      await open('eve', 'expert');
      await page.getByTestId('team-mode').getByText('Expert pool', { exact: true }).click();
      await page.getByTestId('team-expert-claim').click();
      await expect(page.getByTestId('team-expert-question')).toBeVisible();
      await page.getByTestId('team-expert-decision').getByText('Violation').click();
      await page.getByTestId('team-expert-labels').fill('S6');
      await screen('expert-pool');

      await open('lea', 'lead');
      await page.getByTestId('team-mode').getByText('Lead', { exact: true }).click();
      await expect(page.getByTestId('team-hold-overdue')).toBeVisible();
      await expect(page.getByTestId('team-gold-accuracy')).toHaveText('0%');
      await screen('lead');
      // Agreement over the team's verdicts (ts-0..ts-2: two reviewers each), lower on the same view.
      const agreement = page.getByTestId('team-agreement');
      await expect(agreement.getByTestId('agreement')).toHaveAttribute('data-ready', 'true');
      await expect(agreement.getByTestId('agreement-alpha')).not.toHaveText('—');
      await agreement.scrollIntoViewIfNeeded();
      await screen('lead-agreement');

      await open('ana', 'reviewer');
      await page.getByTestId('team-claim-count').fill('1');
      await page.getByTestId('team-claim').click();
      await expect(page.getByTestId('team-lease-countdown')).toBeVisible();
      await page.getByTestId('team-escalate-open').click();
      await page.getByTestId('team-escalate-question').fill('Is this within the clinical guideline?');
      await screen('ask-expert');

      // cy takes the other slot of ana's item; a lead holds it (every lease on it ends); cy's
      // verdict then comes back refused as withdrawn, and stays in cy's outbox.
      await open('cy', 'reviewer');
      await page.getByTestId('team-claim-count').fill('1');
      await page.getByTestId('team-claim').click();
      await expect(page.getByTestId('team-lease-countdown')).toBeVisible();
      const held = await page.getByTestId('team-item').getAttribute('data-item-id');
      const lea = await connectTeam(db.cluster.urlFor('lea', db.passwords.lea!));
      try {
        await lea.expert.hold(held!, null, 'legal asked to pause this one', '2030-01-01T00:00:00Z');
      } finally {
        await lea.close();
      }
      // Either cy's submit or a heartbeat tells cy (the hold's queue notification can make the app
      // ask the server before the click lands, and the form then gives way to the outcome): both
      // must say withdrawn.
      const outcome = page.getByTestId('team-outcome');
      try {
        await page.getByTestId('team-decision-violation').click({ timeout: 15_000 });
        await page.getByTestId('team-submit').click({ timeout: 15_000 });
      } catch (err) {
        if (!(await outcome.isVisible())) throw err;
      }
      await expect(outcome).toHaveAttribute('data-reason', 'withdrawn');
      await expect(page.getByTestId('team-outcome-reason')).toContainText('put on hold by lea');
      await screen('withdrawn');

      expect(found, found.join('\n')).toEqual([]);
    } finally {
      await db?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
