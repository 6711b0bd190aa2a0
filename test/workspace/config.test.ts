/**
 * Configuration is one object built by the entry point from its environment (buildConfig) and
 * handed to worker threads in workerData; nothing below the entry reads process.env.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { buildConfig, config, installConfig, installWorkerConfig, withConfig } from '../../electron/core/config.ts';
import { defaultWorkspacePath, userDataDir } from '../../electron/core/workspace/paths.ts';
import { migrationsFolder } from '../../electron/core/workspace/open.ts';

const saved = config();
afterEach(() => {
  installConfig(saved);
});

describe('configuration', () => {
  it('builds every knob from the variables handed in, with the defaults otherwise', () => {
    const d = buildConfig({}, '/app', 'linux', '/home/r');
    expect(d).toEqual({
      root: '/app',
      migrationsDir: join('/app', 'db', 'migrations'),
      busyTimeoutMs: 30_000,
      quickCheckMaxBytes: 256 * 1024 ** 2,
      userDataDir: join('/home/r', '.config', 'Verdict'),
      defaultWorkspace: join('/home/r', '.config', 'Verdict', 'workspace.verdict.sqlite'),
      debug: false,
      teamUrl: null,
      browserOnly: false,
    });
    const e = buildConfig(
      { VERDICT_ROOT: '/elsewhere', VERDICT_BUSY_TIMEOUT_MS: '300', VERDICT_HOME: '/h', VERDICT_DEBUG: '1', VERDICT_TEAM_URL: 'postgres://x/y', VERDICT_BROWSER: '1' },
      '/app',
      'linux',
      '/home/r',
    );
    expect(e.root).toBe('/elsewhere');
    expect(e.migrationsDir).toBe(join('/elsewhere', 'db', 'migrations'));
    expect(e.busyTimeoutMs).toBe(300);
    expect(e.userDataDir).toBe('/h');
    expect(e.defaultWorkspace).toBe(join('/h', 'workspace.verdict.sqlite'));
    expect([e.debug, e.teamUrl, e.browserOnly]).toEqual([true, 'postgres://x/y', true]);
    expect(buildConfig({ APPDATA: 'C:\\AppData' }, '/app', 'win32', 'C:\\Users\\r').userDataDir).toBe(join('C:\\AppData', 'Verdict'));
    expect(buildConfig({}, '/app', 'darwin', '/Users/r').userDataDir).toBe(join('/Users/r', 'Library', 'Application Support', 'Verdict'));
    // A value that is not a number keeps the default rather than becoming NaN.
    expect(buildConfig({ VERDICT_BUSY_TIMEOUT_MS: 'soon' }, '/app').busyTimeoutMs).toBe(30_000);
  });

  it('the code below the entry reads the installed object', () => {
    installConfig(buildConfig({ VERDICT_HOME: '/probe-home', VERDICT_MIGRATIONS_DIR: '/probe-migrations' }, saved.root));
    expect(userDataDir()).toBe('/probe-home');
    expect(defaultWorkspacePath()).toBe(join('/probe-home', 'workspace.verdict.sqlite'));
    expect(migrationsFolder()).toBe('/probe-migrations');
  });

  it('a worker thread runs with the configuration its parent sent in workerData', async () => {
    installConfig({ ...saved, busyTimeoutMs: 1234 });
    const data = withConfig({ path: '/x' });
    expect(data.path).toBe('/x');
    // The thread receives a structured clone; installing it there gives the parent's values.
    const worker = new Worker(
      "const { parentPort, workerData } = require('node:worker_threads'); parentPort.postMessage(workerData.verdictConfig.busyTimeoutMs);",
      { eval: true, workerData: data },
    );
    const got = await new Promise((resolve) => worker.once('message', resolve));
    await worker.terminate();
    expect(got).toBe(1234);
    installConfig(saved);
    installWorkerConfig(data);
    expect(config().busyTimeoutMs).toBe(1234);
  });
});
