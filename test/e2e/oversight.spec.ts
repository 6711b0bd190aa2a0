/**
 * The oversight dashboard and report (issue 14): drill-down from a bar to exactly its items,
 * screenshots in both themes at two sizes, and the report opened in Chromium with no network.
 * The catch-up progress while the metrics count a bulk ingest: shown (the bar's own app event says
 * it is on screen at each step) and then gone.
 * Screenshots: test-results/screenshots/dashboard-*.png, report-print.png, report.pdf.
 */
import { test as plain } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import type { OversightReport } from '../../electron/core/metrics/report.ts';
import { headlineValue } from '../../electron/core/metrics/report.ts';
import { eventMark, expect, record, test, waitForAppEvent } from './fixtures.ts';

const DIR = 'test-results/screenshots';
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(REPO, 'electron/cli/bin.mjs');
const run = promisify(execFile);

/** Screenshots NAME-THEME-WxH.png in both themes at 1440x900 and 1280x720; `frame` brings the subject into view. */
async function screenshotThemesAndSizes(page: Page, name: string, frame: () => Promise<void> = async () => {}): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', theme);
    for (const [w, h] of [
      [1440, 900],
      [1280, 720],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      await frame();
      await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
      await page.screenshot({ path: `${DIR}/${name}-${theme}-${w}x${h}.png` });
    }
  }
}

async function openDashboard(page: Page, url: string): Promise<void> {
  let mark = await eventMark(page);
  await page.goto(url);
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  mark = await eventMark(page);
  await page.getByTestId('open-dashboard').click();
  // The first panels (tiles, escalations per day) come from their own call and are on screen by
  // this event, whether or not the other panels have arrived; then every panel.
  await waitForAppEvent(page, 'verdict:dashboard-overview', mark);
  await expect(page.getByTestId('metric-items')).toBeVisible();
  await expect(page.getByTestId('panel-daily').getByTestId('day-segment').first()).toBeVisible();
  await waitForAppEvent(page, 'verdict:dashboard-loaded', mark);
  await expect(page.getByTestId('dashboard')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('panel-pending')).toHaveCount(0);
}

const summaryCount = async (page: Page): Promise<number> => {
  const text = (await page.getByTestId('queue-summary').textContent()) ?? '';
  const m = /^([\d,]+) items?/.exec(text);
  if (!m) throw new Error(`no count in "${text}"`);
  return Number(m[1]!.replace(/,/g, ''));
};

test('a bar drills down to a queue holding exactly its items', async ({ page, serve }) => {
  const served = await serve({ demo: 300, demoReviews: true });
  await openDashboard(page, served.url);

  // The noisy detector's false positives (from per-flag calls): the first bar of the false-positive panel.
  const bar = page.getByTestId('bars-detectors').getByTestId('bar').first();
  const value = Number(await bar.getAttribute('data-value'));
  const label = await bar.getAttribute('data-label');
  expect(value).toBeGreaterThan(0);
  let mark = await eventMark(page);
  await bar.click();
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  await expect(page.getByTestId('drill-chip')).toContainText(`False positives (detector) · ${label}`);
  await expect.poll(() => summaryCount(page)).toBe(value);
  await expect(page.getByTestId('queue-list')).toHaveAttribute('data-count', String(Math.min(value, 100)));

  // Back on the dashboard (its scope kept), a day's violations: same contract.
  mark = await eventMark(page);
  await page.getByTestId('open-dashboard').click();
  await waitForAppEvent(page, 'verdict:dashboard-loaded', mark);
  const segment = page.getByTestId('day-segment').nth(3);
  const dayValue = Number(await segment.getAttribute('data-value'));
  mark = await eventMark(page);
  await segment.click();
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  await expect.poll(() => summaryCount(page)).toBe(dayValue);

  // The canary deployment's violations (flagged against the other deployments), and a policy's
  // false positives: same contract.
  for (const pick of ['deployment', 'policy'] as const) {
    mark = await eventMark(page);
    await page.getByTestId('open-dashboard').click();
    await waitForAppEvent(page, 'verdict:dashboard-loaded', mark);
    let target;
    if (pick === 'deployment') target = page.getByTestId('bars-deployments').locator('[data-testid="bar"][data-label="canary-us-east-1"]');
    else {
      await page.getByTestId('flag-dim').getByText('Policy').click();
      target = page.getByTestId('bars-fp-policy').getByTestId('bar').first();
    }
    const n = Number(await target.getAttribute('data-value'));
    expect(n).toBeGreaterThan(0);
    mark = await eventMark(page);
    await target.click();
    await waitForAppEvent(page, 'verdict:queue-loaded', mark);
    await expect.poll(() => summaryCount(page)).toBe(n);
    await expect(page.getByTestId('queue-list')).toHaveAttribute('data-count', String(Math.min(n, 100)));
  }

  // Clearing the chip returns to the whole queue.
  await page.getByTestId('drill-clear').click();
  await expect(page.getByTestId('drill-chip')).toHaveCount(0);

  // The same report from the app: a download of the self-contained HTML.
  mark = await eventMark(page);
  await page.getByTestId('open-dashboard').click();
  await waitForAppEvent(page, 'verdict:dashboard-loaded', mark);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dash-report').click()]);
  expect(download.suggestedFilename()).toMatch(/^oversight-report-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.html$/);
  const html = readFileSync((await download.path())!, 'utf8');
  expect(html).toContain('<h1>Oversight report</h1>');
  expect(html).toContain('id="audit"');
});

for (const theme of ['light', 'dark'] as const) {
  test(`dashboard screenshots (${theme})`, async ({ page, serve }) => {
    mkdirSync(DIR, { recursive: true });
    const served = await serve({ demo: 1000, demoReviews: true });
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    await openDashboard(page, served.url);
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', theme);
    await expect(page.getByTestId('regressions')).toBeVisible();
    for (const [w, h] of [
      [1440, 900],
      [1280, 720],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
      await page.screenshot({ path: `${DIR}/dashboard-${theme}-${w}x${h}.png` });
    }
    // The whole page (the dashboard scrolls inside the window): a tall window shows every panel.
    await page.setViewportSize({ width: 1440, height: 1700 });
    await page.screenshot({ path: `${DIR}/dashboard-${theme}-all-panels.png` });
    // Filtered to the canary deployment: every panel narrows to it (the whole page again).
    let mark = await eventMark(page);
    await page.getByTestId('dash-filter-deployment').click();
    await page.getByRole('option', { name: 'canary-us-east-1' }).click();
    await waitForAppEvent(page, 'verdict:dashboard-loaded', mark);
    await expect(page.getByTestId('dash-filter-deployment')).toHaveValue('canary-us-east-1');
    await expect(page.getByTestId('bars-deployments').getByTestId('bar')).toHaveCount(1);
    await page.mouse.move(1, 1); // no tile tooltip over the filters in the picture
    await page.screenshot({ path: `${DIR}/dashboard-${theme}-deployment-canary.png` });
    mark = await eventMark(page);
    await page.getByTestId('dash-filter-deployment').click();
    await page.getByRole('option', { name: 'canary-us-east-1' }).click();
    await waitForAppEvent(page, 'verdict:dashboard-loaded', mark);
    await expect(page.getByTestId('bars-deployments').getByTestId('bar')).not.toHaveCount(1);
    await page.setViewportSize({ width: 1440, height: 900 });
    mark = await eventMark(page);
    await page.getByTestId('regressions').getByRole('button').first().click();
    await waitForAppEvent(page, 'verdict:queue-loaded', mark);
    await page.screenshot({ path: `${DIR}/dashboard-drilldown-${theme}.png` });
  });
}

test('the first panels paint first, and each later part shows when its own call answers', async ({ page, serve }) => {
  mkdirSync(DIR, { recursive: true });
  const served = await serve({ demo: 300, demoReviews: true });
  // Hold the model part (no timing involved): the overview, then the other two parts, must
  // show without it.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api/call/metrics.models', async (route) => {
    await held;
    await route.continue();
  });
  let mark = await eventMark(page);
  await page.goto(served.url);
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  mark = await eventMark(page);
  await page.getByTestId('open-dashboard').click();
  await waitForAppEvent(page, 'verdict:dashboard-overview', mark);
  await expect(page.getByTestId('metric-items')).toBeVisible();
  await waitForAppEvent(page, 'verdict:dashboard-part', mark, { part: 'dims' });
  await waitForAppEvent(page, 'verdict:dashboard-part', mark, { part: 'ops' });
  // Only the model part's two panels are still waiting; the others have their data.
  await expect(page.getByTestId('panel-pending')).toHaveCount(2);
  await expect(page.getByTestId('panel-models').getByTestId('panel-pending')).toHaveCount(1);
  await expect(page.getByTestId('panel-deployments').getByTestId('panel-pending')).toHaveCount(1);
  await expect(page.getByTestId('bars-categories').getByTestId('bar').first()).toBeVisible();
  await expect(page.getByTestId('panel-ttd').locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('bars-models')).toHaveCount(0);
  await expect(page.getByTestId('dashboard')).toHaveAttribute('data-ready', 'false');
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', theme);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: `${DIR}/dashboard-pending-${theme}.png` });
  }
  release();
  await waitForAppEvent(page, 'verdict:dashboard-loaded', mark);
  await expect(page.getByTestId('panel-pending')).toHaveCount(0);
  await expect(page.getByTestId('bars-models').getByTestId('bar').first()).toBeVisible();
  await expect(page.getByTestId('bars-deployments').getByTestId('bar').first()).toBeVisible();
  await expect(page.getByTestId('dashboard')).toHaveAttribute('data-ready', 'true');
});

test('after a filter change, a part still on its way shows its previous answer dimmed and busy until its own answer arrives', async ({ page, serve }) => {
  mkdirSync(DIR, { recursive: true });
  const served = await serve({ demo: 300, demoReviews: true });
  await openDashboard(page, served.url);
  await expect(page.locator('[data-stale]')).toHaveCount(0);
  // Hold the model part's next call (no timing involved), then change the filter.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api/call/metrics.models', async (route) => {
    await held;
    await route.continue();
  });
  const mark = await eventMark(page);
  await page.getByTestId('dash-filter-deployment').click();
  await page.getByRole('option', { name: 'canary-us-east-1' }).click();
  await waitForAppEvent(page, 'verdict:dashboard-part', mark, { part: 'dims' });
  await waitForAppEvent(page, 'verdict:dashboard-part', mark, { part: 'ops' });
  // The model panels still show the unfiltered answer: marked, and only they.
  for (const id of ['panel-models', 'panel-deployments']) {
    await expect(page.getByTestId(id)).toHaveAttribute('data-stale', 'true');
    await expect(page.getByTestId(id)).toHaveAttribute('aria-busy', 'true');
  }
  await expect(page.getByTestId('panel-categories')).not.toHaveAttribute('data-stale', 'true');
  await expect(page.getByTestId('panel-ttd')).not.toHaveAttribute('data-stale', 'true');
  await expect(page.getByTestId('panel-daily')).not.toHaveAttribute('data-stale', 'true');
  await screenshotThemesAndSizes(page, 'dashboard-stale', () => page.getByTestId('panel-models').scrollIntoViewIfNeeded());
  release();
  await waitForAppEvent(page, 'verdict:dashboard-loaded', mark);
  await expect(page.locator('[data-stale]')).toHaveCount(0);
  await expect(page.getByTestId('bars-deployments').locator('[data-testid="bar"][data-label="canary-us-east-1"]')).toBeVisible();
});

test('the drill-down by deployment lands on a queue filtered by deployment, which stays when the drill-down is cleared', async ({ page, serve }) => {
  mkdirSync(DIR, { recursive: true });
  const served = await serve({ demo: 300, demoReviews: true });
  await openDashboard(page, served.url);
  // The canary's escalations over the whole range (every status): the tile under the deployment filter.
  let mark = await eventMark(page);
  await page.getByTestId('dash-filter-deployment').click();
  await page.getByRole('option', { name: 'canary-us-east-1' }).click();
  await waitForAppEvent(page, 'verdict:dashboard-loaded', mark);
  const all = Number(await page.getByTestId('metric-items').getAttribute('data-value'));
  const bar = page.getByTestId('bars-deployments').locator('[data-testid="bar"][data-label="canary-us-east-1"]');
  const n = Number(await bar.getAttribute('data-value'));
  expect(n).toBeGreaterThan(0);
  expect(all).toBeGreaterThan(n);
  mark = await eventMark(page);
  await bar.click();
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  await expect.poll(() => summaryCount(page)).toBe(n);
  // Two filters: the drill-down and the deployment.
  await expect(page.getByTestId('filters-toggle')).toHaveText('Filters · 2');
  await page.getByTestId('filters-toggle').click();
  await expect(page.getByTestId('filter-deployment')).toHaveValue('canary-us-east-1');
  await screenshotThemesAndSizes(page, 'queue-deployment-filter');
  // Without the drill-down: every item of the deployment, whatever its status.
  mark = await eventMark(page);
  await page.getByTestId('drill-clear').click();
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  await expect(page.getByTestId('drill-chip')).toHaveCount(0);
  await expect.poll(() => summaryCount(page)).toBe(all);
  await expect(page.getByTestId('filter-deployment')).toHaveValue('canary-us-east-1');
  // Cleared by hand: the whole queue again (more than the canary's).
  mark = await eventMark(page);
  await page.getByTestId('filter-deployment').click();
  await page.getByRole('option', { name: 'canary-us-east-1' }).click();
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  await expect(page.getByTestId('filter-deployment')).toHaveValue('');
  await expect.poll(() => summaryCount(page)).toBeGreaterThan(all);
});

test('a bulk ingest by another process: the dashboard shows the catch-up progress while it is counted, then not', async ({ page, serve }) => {
  const served = await serve({ demo: 300, demoReviews: true });
  await openDashboard(page, served.url);
  const before = Number(await page.getByTestId('metric-items').getAttribute('data-value'));
  // The CLI ingests 8,000 escalations (inside the demo's days) into the served workspace: the app
  // hears nothing of it.
  const file = join(served.dir, 'bulk.jsonl');
  const lines = Array.from({ length: 8000 }, (_, i) => JSON.stringify(record({ id: `bulk-${i}`, created_at: '2026-10-25T10:00:00Z' })));
  writeFileSync(file, `${lines.join('\n')}\n`);
  // Whichever counts them (the next read, or the app's own look at the pending count), the
  // dashboard is on screen throughout: every step of it reaches the bar.
  let mark = await eventMark(page);
  await run(process.execPath, [BIN, 'ingest', file, '--workspace', served.workspace, '--json'], { cwd: REPO });
  const read = await eventMark(page);
  await page.getByTestId('dash-filter-deployment').click();
  await page.getByRole('option', { name: 'canary-us-east-1' }).click();
  const step = await waitForAppEvent(page, 'verdict:metrics-catch-up', mark, { shown: true });
  expect(step.phase).toBe('items');
  expect(Number(step.total)).toBeGreaterThanOrEqual(2000);
  expect(Number(step.done)).toBeLessThan(Number(step.total));
  await waitForAppEvent(page, 'verdict:metrics-catch-up', mark, { shown: false });
  await waitForAppEvent(page, 'verdict:dashboard-loaded', read);
  await expect(page.getByTestId('metrics-catch-up')).toHaveCount(0);
  // Everything was counted before the panels answered: the unfiltered tile includes the bulk.
  mark = await eventMark(page);
  await page.getByTestId('dash-filter-deployment').click();
  await page.getByRole('option', { name: 'canary-us-east-1' }).click();
  await waitForAppEvent(page, 'verdict:dashboard-loaded', mark);
  await expect(page.getByTestId('metrics-catch-up')).toHaveCount(0);
  await expect(page.getByTestId('metric-items')).toHaveAttribute('data-value', String(before + 8000));
});

plain('the report: self-contained, its sections, the numbers of --json, no network; printable', async ({ page }) => {
  mkdirSync(DIR, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'verdict-report-'));
  try {
    const ws = join(dir, 'w.sqlite');
    await run(process.execPath, [BIN, 'demo', '--count', '500', '--reviews', '--workspace', ws, '--json'], { cwd: REPO });
    const out = join(dir, 'report.html');
    const range = ['--from', '2026-10-01', '--to', '2026-11-30', '--workspace', ws];
    await run(process.execPath, [BIN, 'report', ...range, '--out', out], { cwd: REPO });
    const { stdout } = await run(process.execPath, [BIN, 'report', ...range, '--json'], { cwd: REPO, maxBuffer: 1 << 26 });
    const json = JSON.parse(stdout) as OversightReport;

    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(out).href;
    await page.goto(url);
    expect(requests).toEqual([url]);

    for (const id of ['summary', 'models', 'deployments', 'detectors', 'categories', 'policies', 'sla', 'reviewers', 'notable', 'audit', 'definitions'])
      await expect(page.locator(`section#${id}`)).toBeVisible();
    for (const h of json.headline) await expect(page.locator(`[data-metric="${h.key}"] .v`)).toHaveText(headlineValue(h));
    await expect(page.locator('[data-audit="size"]')).toHaveText(json.audit.head.size.toLocaleString('en-US'));
    await expect(page.locator('[data-audit="root"]')).toHaveText(json.audit.head.root);
    await expect(page.locator('[data-audit="digest"]')).toHaveText(json.audit.digest);
    await expect(page.locator('[data-audit="counted"]')).toHaveText(json.audit.countedVerdicts.toLocaleString('en-US'));
    expect(json.audit).toMatchObject({ allInLog: true, missing: [] });
    // False positives from flag calls, per detector, policy and category; deployments compared.
    for (const dim of ['detector', 'policy', 'category'] as const) {
      const rows = page.locator(`table[data-section-table="fp-${dim}"] tbody tr`);
      await expect(rows).toHaveCount(json.dashboard.flagRates[dim].length);
      for (const [i, d] of json.dashboard.flagRates[dim].entries()) {
        await expect(rows.nth(i).locator('td').nth(0)).toHaveText(d.key);
        await expect(rows.nth(i).locator('td').nth(1)).toHaveText(d.calls.toLocaleString('en-US'));
        await expect(rows.nth(i).locator('td').nth(2)).toHaveText(d.falsePositives.toLocaleString('en-US'));
        await expect(rows.nth(i).locator('td').nth(5)).toHaveText(d.perFlag.toLocaleString('en-US'));
      }
    }
    const deploymentRows = page.locator('table[data-section-table="deployments"] tbody tr');
    await expect(deploymentRows).toHaveCount(json.dashboard.deployments.length);
    for (const [i, d] of json.dashboard.deployments.entries()) {
      await expect(deploymentRows.nth(i).locator('td').nth(0)).toHaveText(d.deployment || '—');
      await expect(deploymentRows.nth(i).locator('td').nth(3)).toHaveText(d.confirmed.toLocaleString('en-US'));
    }
    expect(json.dashboard.regressions.some((g) => g.dimension === 'deployment' && g.candidate === 'canary-us-east-1')).toBe(true);
    await expect(page.locator('table[data-section-table="regressions"] tbody tr')).toHaveCount(json.dashboard.regressions.length);
    // No item content: the report names items by id only.
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(json.dashboard.regressions.length).toBeGreaterThan(0);

    // Print media at about an A4 page's width: the first two "pages" as pictures, the whole as a PDF.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 800, height: 1130 });
    for (const [i, y] of [0, 1130].entries())
      await page.screenshot({ path: `${DIR}/report-print-${i + 1}.png`, fullPage: true, clip: { x: 0, y, width: 800, height: 1130 } });
    await page.pdf({ path: `${DIR}/report.pdf`, format: 'A4', printBackground: true });
    expect(requests).toEqual([url]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
