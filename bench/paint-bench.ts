/**
 * Dashboard first paint in Chromium (browser mode) on the bench workspace (issue 14, target
 * ≤ 1 s): from the click on "Oversight" to the frame that paints the dashboard with its panels
 * (the `verdict:dashboard-loaded` event is emitted once its data are rendered; the next animation
 * frame is the paint). The first open after `serve` starts is reported apart: it may fold what
 * landed since the metrics were last read.
 */
import { chromium, type Page } from 'playwright-core';
import { percentile } from './phases.ts';
import { CHROMIUM_ARGS, serve } from './review-bench.ts';

type Win = { __appEvents?: { name: string; t: number }[]; __clickAt?: number };
const PARTS = ['dims', 'models', 'ops'] as const;

/** Click "Oversight" → the frame after the first panels, and after every panel, were rendered (ms since the click event). */
async function openOnce(page: Page, url: string): Promise<{ first: number; all: number; parts: number[] }> {
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as Win).__appEvents?.some((e) => e.name === 'verdict:queue-loaded'), undefined, {
    timeout: 300_000,
  });
  const since = await page.evaluate(() => (window as unknown as Win).__appEvents?.length ?? 0);
  await page.getByTestId('open-dashboard').click();
  const painted = async (name: string) => {
    await page.waitForFunction(
      ([n, at]) => ((window as unknown as Win).__appEvents ?? []).slice(at).some((e) => e.name === n),
      [name, since] as const,
      { timeout: 300_000, polling: 'raf' },
    );
    // Each event is stamped with the frame after it (its panels are on screen by then).
    return page.evaluate(([n, at]) => {
      const w = window as unknown as Win;
      return w.__appEvents!.slice(at).find((e) => e.name === n)!.t - w.__clickAt!;
    }, [name, since] as const);
  };
  const first = await painted('verdict:dashboard-overview');
  const all = await painted('verdict:dashboard-loaded');
  // Each later part (its panels show as soon as its own call answers).
  const parts = await Promise.all(PARTS.map((p) => painted(`verdict:dashboard-part:${p}`)));
  return { first, all, parts };
}

export async function paintBench(workspace: string, log: (s: string) => void, runs = 6): Promise<Record<string, number>> {
  const { url, child } = await serve(workspace);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const times: { first: number; all: number; parts: number[] }[] = [];
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.addInitScript(() => {
        const w = window as unknown as Win;
        const events: { name: string; t: number }[] = [];
        w.__appEvents = events;
        // The click as the page sees it (not Playwright's round trips before it).
        document.addEventListener('click', () => (w.__clickAt = performance.now()), true);
        for (const name of ['verdict:queue-loaded', 'verdict:dashboard-overview', 'verdict:dashboard-loaded'])
          document.addEventListener(name, () => requestAnimationFrame(() => requestAnimationFrame(() => events.push({ name, t: performance.now() }))));
        document.addEventListener('verdict:dashboard-part', (e) => {
          const name = `verdict:dashboard-part:${String((e as CustomEvent<{ part: string }>).detail.part)}`;
          requestAnimationFrame(() => requestAnimationFrame(() => events.push({ name, t: performance.now() })));
        });
      });
      times.push(await openOnce(page, url));
      await page.close();
    }
    const [once, ...rest] = times as [{ first: number; all: number; parts: number[] }, ...{ first: number; all: number; parts: number[] }[]];
    const firsts = rest.map((r) => r.first);
    const alls = rest.map((r) => r.all);
    const r: Record<string, number> = { onceFirst: once.first, onceAll: once.all, firstP50: percentile(firsts, 50), firstMax: Math.max(...firsts), allP50: percentile(alls, 50), allMax: Math.max(...alls) };
    PARTS.forEach((p, i) => (r[`${p}P50`] = percentile(rest.map((x) => x.parts[i]!), 50)));
    const ms = (n: number) => `${n.toFixed(0)} ms`;
    log('');
    log(`Dashboard paint in Chromium (click "Oversight" → the frame after the panels rendered), ${runs} opens`);
    log(`  first open after serve started: first panels ${ms(once.first)}, every panel ${ms(once.all)}`);
    log(`  then: first panels p50 ${ms(r.firstP50!)}, max ${ms(r.firstMax!)} (target ≤ 1,000 ms); every panel p50 ${ms(r.allP50!)}, max ${ms(r.allMax!)}`);
    log(`  each later part shown, p50: ${PARTS.map((p) => `${p} ${ms(r[`${p}P50`]!)}`).join(', ')}`);
    return r;
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
}
