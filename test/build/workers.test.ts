/**
 * Worker scripts are named once (electron/core/util/workers.ts); paths beside a module come from
 * fileURLToPath, not URL.pathname (which keeps %20 for a space and gives "/C:/..." on Windows).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { besideModule, moduleDir, WORKER_SOURCES, workerAvailable, workerEntry, type WorkerName } from '../../electron/core/util/workers.ts';
import { sourceRoot } from '../../electron/core/config.ts';

const REPO_ROOT = sourceRoot();

describe('worker bootstrap', () => {
  it('every named worker has its source and its tsx bootstrap, and workerEntry finds the bootstrap from source', () => {
    for (const [name, file] of Object.entries(WORKER_SOURCES) as [WorkerName, string][]) {
      expect(existsSync(join(REPO_ROOT, 'electron', file)), file).toBe(true);
      const entry = fileURLToPath(workerEntry(name));
      expect(entry).toBe(join(REPO_ROOT, 'electron', file.replace(/\.ts$/, '-entry.mjs')));
      expect(workerAvailable(name), name).toBe(true);
      // The bootstrap loads the very source file the name stands for.
      expect(readFileSync(entry, 'utf8')).toContain(`./${file.split('/').pop()}`);
    }
  });

  it('nothing outside the helper constructs a Worker itself', async () => {
    const { execFileSync } = await import('node:child_process');
    const hits = execFileSync('git', ['grep', '--untracked', '-l', 'new Worker(', '--', 'electron', 'bench'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim().split('\n');
    // worker-client.ts takes the entry from workerEntry('db-worker') through its callers.
    expect(hits.sort()).toEqual(['electron/core/util/workers.ts', 'electron/host/worker-client.ts']);
  });

  it('a module folder with a space or a percent sign is a real path, not an URL-escaped one', () => {
    const dir = join('/tmp', 'Verdict app 100% (copy)', 'dist', 'electron');
    const url = pathToFileURL(join(dir, 'main.mjs')).href;
    expect(new URL('.', url).pathname).not.toBe(`${dir}/`);
    expect(moduleDir(url)).toBe(dir);
    expect(besideModule(url, 'preload.cjs')).toBe(join(dir, 'preload.cjs'));
  });
});
