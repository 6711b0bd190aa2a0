/**
 * Cold open: a fresh `verdict serve` on the bench workspace, then Chromium navigates to it; the
 * figure is the time from navigation start to the frame after the first queue page is on
 * screen (the `verdict:queue-loaded` event, then the next animation frame). Each run starts a
 * new server process, so nothing the app caches survives between runs (the OS page cache does).
 */
import { chromium } from 'playwright-core';
import { percentile } from './phases.ts';
import { CHROMIUM_ARGS, serve } from './review-bench.ts';

interface Run {
  painted: number;
  calls: { name: string; start: number; ms: number }[];
}

export async function openBench(workspace: string, log: (s: string) => void, runs = 5): Promise<void> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const results: Run[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const { url, child } = await serve(workspace);
      try {
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        await page.addInitScript(() => {
          const w = window as unknown as { __painted: number | null };
          w.__painted = null;
          document.addEventListener('verdict:queue-loaded', () => {
            if (w.__painted !== null) return;
            requestAnimationFrame(() => setTimeout(() => (w.__painted ??= performance.now()), 0));
          });
        });
        await page.goto(url);
        const handle = await page.waitForFunction(() => (window as unknown as { __painted: number | null }).__painted, undefined, { timeout: 120_000 });
        const painted = (await handle.jsonValue()) as number;
        const calls = await page.evaluate(() =>
          performance
            .getEntriesByType('resource')
            .filter((e) => e.name.includes('/api/call/'))
            .map((e) => ({ name: e.name.replace(/.*\/api\/call\//, ''), start: e.startTime, ms: e.duration })),
        );
        results.push({ painted, calls });
        await context.close();
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    }
  } finally {
    await browser.close();
  }
  const painted = results.map((r) => r.painted);
  log('');
  log(`Cold open (fresh server process, navigation → first painted queue state, ${runs} runs)`);
  log(`  p50 ${percentile(painted, 50).toFixed(0)} ms, max ${Math.max(...painted).toFixed(0)} ms (target ≤ 1,000 ms); runs: ${painted.map((p) => p.toFixed(0)).join(', ')}`);
  const last = results[results.length - 1]!;
  const slow = [...last.calls].sort((a, b) => b.ms - a.ms).slice(0, 6);
  log(`  slowest API calls of the last run: ${slow.map((c) => `${c.name} ${c.ms.toFixed(0)} ms (at ${c.start.toFixed(0)})`).join(', ')}`);
}
