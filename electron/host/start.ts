/**
 * `verdict start`: the desktop window where Electron can run, otherwise browser mode.
 * `verdict serve`: browser mode explicitly. Both print where the app is.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { defaultWorkspacePath } from '../core/workspace/paths.ts';
import { UsageError } from '../core/util/errors.ts';
import { ensureRendererBuilt, RENDERER_DIST } from './renderer-build.ts';
import { startHost } from './server.ts';
import { WorkerClient } from './worker-client.ts';

const DEFAULT_DEMO_ITEMS = 1000;

/**
 * The Electron executable, if installed. Its npm package fetches the binary lazily on first
 * require, so the package itself is not required here: only its files are looked at.
 */
function electronBinary(): string | null {
  if (process.env.VERDICT_BROWSER === '1') return null;
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

async function runDesktop(binary: string, args: string[]): Promise<number | null> {
  const { buildElectron } = await import('./electron-build.ts');
  await ensureRendererBuilt((s) => process.stderr.write(`${s}\n`));
  const main = await buildElectron();
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(binary, [main, ...args], { stdio: 'inherit' });
    child.on('error', () => resolve(null));
    // A window that dies within two seconds could not start (no display, missing libraries).
    child.on('exit', (code) => resolve(code !== 0 && Date.now() - started < 2000 ? null : (code ?? 0)));
  });
}

export async function start(argv: string[], mode: 'start' | 'serve'): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      workspace: { type: 'string', short: 'w' },
      port: { type: 'string' },
      demo: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = values.port ? Number(values.port) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a port number');
  const workspacePath = values.workspace ?? defaultWorkspacePath();
  const demoIfNew = values.demo !== undefined ? Number(values.demo) : values.workspace ? 0 : DEFAULT_DEMO_ITEMS;
  if (!Number.isInteger(demoIfNew) || demoIfNew < 0) throw new UsageError('--demo must be a number of items');
  // The default demo shows the oversight dashboard with a review history; an explicit --demo N is queue-only.
  const demoReviews = values.demo === undefined;

  if (mode === 'start') {
    const binary = electronBinary();
    if (!binary) process.stderr.write('the Electron binary is not installed here: serving the browser mode\n');
    if (binary) {
      const code = await runDesktop(binary, ['--workspace', workspacePath, '--demo', String(demoIfNew), ...(demoReviews ? ['--demo-reviews'] : [])]);
      if (code !== null) return code;
      process.stderr.write('the desktop window could not start here; serving the browser mode instead\n');
    }
  }

  await ensureRendererBuilt((s) => process.stderr.write(`${s}\n`));
  // From source the worker needs the tsx bootstrap; the CLI bundle ships it as plain JS.
  const entry = import.meta.url.endsWith('.ts') ? new URL('./db-worker-entry.mjs', import.meta.url) : new URL('./db-worker.mjs', import.meta.url);
  const client = await WorkerClient.start(entry, {
    workspacePath,
    mode: 'browser',
    demoIfNew,
    demoReviews,
  });
  const host = await startHost({
    backend: { call: (m, i) => client.call(m, i), onEvent: (l) => client.onEvent(l) },
    staticDir: RENDERER_DIST,
    port,
  });
  if (values.json) process.stdout.write(`${JSON.stringify({ url: host.url, origin: host.origin, token: host.token, workspace: workspacePath })}\n`);
  else process.stdout.write(`Verdict is running in browser mode: open ${host.url}\nworkspace ${workspacePath}\nCtrl+C to stop\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await host.close();
  await client.close();
  return 0;
}
