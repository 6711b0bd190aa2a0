/**
 * `verdict start`: the desktop window where Electron can run, otherwise browser mode.
 * `verdict serve`: browser mode explicitly. Both print where the app is.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { defaultWorkspacePath } from '../core/workspace/paths.ts';
import { intOption, parse } from '../cli/args.ts';
import { ensureRendererBuilt, rendererDist } from './renderer-build.ts';
import { config } from '../core/config.ts';
import { startHost } from './server.ts';
import { WorkerClient } from './worker-client.ts';
import { workerEntry } from '../core/util/workers.ts';

const DEFAULT_DEMO_ITEMS = 1000;

/**
 * The Electron executable, if installed. Its npm package fetches the binary lazily on first
 * require, so the package itself is not required here: only its files are looked at.
 */
function electronBinary(): string | null {
  if (config().browserOnly) return null;
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
  const { values } = parse(argv, { port: { type: 'string' }, demo: { type: 'string' } });
  const port = intOption(values.port, 'port', { min: 0, max: 65535, fallback: 0 });
  const workspacePath = values.workspace ?? defaultWorkspacePath();
  const demoIfNew = intOption(values.demo, 'demo', { min: 0, max: 10_000_000, fallback: values.workspace ? 0 : DEFAULT_DEMO_ITEMS });
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

  // From source the worker needs the tsx bootstrap; the CLI bundle ships it as plain JS.
  const client = await WorkerClient.start(workerEntry('db-worker'), {
    workspacePath,
    mode: 'browser',
    demoIfNew,
    demoReviews,
  });
  // The workspace opens first: one that cannot open fails in one line, before any interface build.
  try {
    await ensureRendererBuilt((s) => process.stderr.write(`${s}\n`));
  } catch (err) {
    await client.close();
    throw err;
  }
  const host = await startHost({
    backend: { call: (m, i) => client.call(m, i), onEvent: (l) => client.onEvent(l) },
    staticDir: rendererDist(),
    port,
  });
  const info = await client.call('workspace.info', {});
  const isDemo = info.ok && (info.value as { isDemo: boolean }).isDemo;
  if (values.json) process.stdout.write(`${JSON.stringify({ url: host.url, origin: host.origin, token: host.token, workspace: workspacePath, demo: isDemo })}\n`);
  else {
    process.stdout.write(`Verdict is running in browser mode: open ${host.url}\n`);
    process.stdout.write(`workspace ${workspacePath}${isDemo ? '  (DEMO: synthetic escalations; use --workspace PATH for real work)' : ''}\n`);
    process.stdout.write('The link holds this launch\'s key after the #: open it as printed, and do not share it. Ctrl+C to stop.\n');
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await host.close();
  await client.close();
  return 0;
}
