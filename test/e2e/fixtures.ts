/**
 * Per-test Verdict servers: a temp dir, optional CLI ingests, `verdict serve --json`, the page
 * opened on its URL; killed and removed after the test. The page records the app's DOM events
 * (`verdict:*`) so tests wait on them instead of sleeping.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(REPO, 'electron/cli/bin.mjs');
const run = promisify(execFile);

export interface ServeOptions {
  /** Synthetic escalations to start with (0 for none). */
  demo?: number;
  /** Files to ingest with the CLI before serving: name → lines. */
  files?: { name: string; lines: string[] }[];
  /** Build the demo with its simulated review history and volumes (`demo --reviews`). */
  demoReviews?: boolean;
}

export interface Served {
  /** The launch URL, with the token in its #fragment. */
  url: string;
  origin: string;
  /** The launch token: API requests made by a test itself send it as X-Verdict-Token. */
  token: string;
  dir: string;
  workspace: string;
}

type AppEventName = 'verdict:item-shown' | 'verdict:queue-loaded' | 'verdict:verdict-saved' | 'verdict:dashboard-overview' | 'verdict:dashboard-loaded' | 'verdict:dashboard-part' | 'verdict:metrics-catch-up' | 'verdict:adjudication-open' | 'verdict:adjudicated' | 'verdict:item-revealed';

interface RecordedEvent {
  name: AppEventName;
  detail: Record<string, unknown>;
}

declare global {
  interface Window {
    __appEvents?: RecordedEvent[];
    __pwned?: unknown;
  }
}

async function startServer(dir: string, opts: ServeOptions): Promise<{ child: ChildProcess; served: Served }> {
  const workspace = join(dir, 'w.sqlite');
  const demo = opts.demo ?? 200;
  const prebuilt = Boolean(opts.files?.length || opts.demoReviews);
  if (prebuilt) {
    // Build the workspace first: demo items (if any), then each file.
    const reviews = opts.demoReviews ? ['--reviews'] : [];
    if (demo > 0) await run(process.execPath, [BIN, 'demo', '--count', String(demo), ...reviews, '--workspace', workspace, '--json'], { cwd: REPO });
    for (const f of opts.files ?? []) {
      const path = join(dir, f.name);
      writeFileSync(path, `${f.lines.join('\n')}\n`);
      await run(process.execPath, [BIN, 'ingest', path, '--workspace', workspace, '--json'], { cwd: REPO });
    }
  }
  const child = spawn(process.execPath, [BIN, 'serve', '--workspace', workspace, '--demo', String(prebuilt ? 0 : demo), '--json'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const served = await new Promise<Served>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`verdict serve did not start in time\n${err}`)), 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const line = out.split('\n').find((l) => l.trim().startsWith('{'));
      if (line && out.includes('\n')) {
        clearTimeout(timer);
        const j = JSON.parse(line) as { url: string; origin: string; token: string; workspace: string };
        resolve({ url: j.url, origin: j.origin, token: j.token, workspace: j.workspace, dir });
      }
    });
    child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`verdict serve exited with ${code}\n${err}`));
    });
  });
  return { child, served };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export const test = base.extend<{ serve: (opts?: ServeOptions) => Promise<Served> }>({
  serve: async ({ page }, provide) => {
    const children: ChildProcess[] = [];
    const dirs: string[] = [];
    await page.addInitScript(() => {
      const events: RecordedEvent[] = [];
      window.__appEvents = events;
      for (const name of ['verdict:item-shown', 'verdict:queue-loaded', 'verdict:verdict-saved', 'verdict:dashboard-overview', 'verdict:dashboard-loaded', 'verdict:dashboard-part', 'verdict:metrics-catch-up', 'verdict:adjudication-open', 'verdict:adjudicated', 'verdict:item-revealed'] as const) {
        document.addEventListener(name, (e) => events.push({ name, detail: (e as CustomEvent<Record<string, unknown>>).detail }));
      }
    });
    await provide(async (opts = {}) => {
      const dir = mkdtempSync(join(tmpdir(), 'verdict-e2e-'));
      dirs.push(dir);
      const { child, served } = await startServer(dir, opts);
      children.push(child);
      return served;
    });
    for (const c of children) await stop(c);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  },
});

export { expect };

/** How many app events have been recorded so far (wait for ones after this mark). */
export async function eventMark(page: Page): Promise<number> {
  return page.evaluate(() => window.__appEvents?.length ?? 0);
}

/**
 * Waits for an app event after `since` whose detail matches: `id` equal, `notId` different,
 * any other key equal.
 */
export async function waitForAppEvent(
  page: Page,
  name: AppEventName,
  since: number,
  match: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const handle = await page.waitForFunction(
    ({ name, since, match }) => {
      const list = window.__appEvents ?? [];
      for (let i = since; i < list.length; i++) {
        const e = list[i]!;
        if (e.name !== name) continue;
        const ok = Object.entries(match).every(([k, v]) => (k === 'notId' ? e.detail.id !== v : e.detail[k] === v));
        if (ok) return e.detail;
      }
      return null;
    },
    { name, since, match },
  );
  return (await handle.jsonValue()) as Record<string, unknown>;
}

/** Opens the served app and waits for the first queue page and the first item. */
export async function openApp(page: Page, served: Served): Promise<{ firstId: string }> {
  const mark = await eventMark(page);
  await page.goto(served.url);
  await waitForAppEvent(page, 'verdict:queue-loaded', mark);
  const shown = await waitForAppEvent(page, 'verdict:item-shown', mark);
  return { firstId: String(shown.id) };
}

/** Code-point offsets of `needle` in `text` (what flag spans use). */
export function codePointSpan(text: string, needle: string): { start: number; end: number } {
  const unit = text.indexOf(needle);
  if (unit < 0) throw new Error(`${needle} not in ${text}`);
  const start = Array.from(text.slice(0, unit)).length;
  return { start, end: start + Array.from(needle).length };
}

/** A minimal valid escalation record (v1), with overrides. */
export function record(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `rec-${Math.random().toString(36).slice(2, 10)}`,
    created_at: '2026-11-20T10:00:00Z',
    priority: 'high',
    route: 'trust_safety',
    input: { messages: [{ role: 'user', content: 'Hello there' }] },
    output: { messages: [{ role: 'assistant', content: 'Hi!' }] },
    flags: [],
    ...over,
  };
}
