/**
 * The one way to start a worker thread. Each worker is named once here with its source file;
 * from source a thread starts through its tsx bootstrap (`<name>-entry.mjs` beside the
 * source), in a bundle (dist/electron, dist/cli) every worker is a `<name>.mjs` beside the code
 * that starts it (esbuild keeps import.meta.url pointing at the output file or chunk).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { withConfig } from '../config.ts';

/** Worker name → its source module, relative to electron/. The bundlers build one entry per name. */
export const WORKER_SOURCES = {
  'db-worker': 'host/db-worker.ts',
  'parse-worker': 'core/ingest/parse-worker.ts',
  'export-worker': 'core/export/export-worker.ts',
  'fts-worker': 'core/search/fts-worker.ts',
  'checkpoint-worker': 'core/workspace/checkpoint-worker.ts',
} as const;

export type WorkerName = keyof typeof WORKER_SOURCES;

const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** The script a worker thread runs: the tsx bootstrap from source, the bundled file otherwise. */
export function workerEntry(name: WorkerName): URL {
  if (FROM_SOURCE) return new URL(`../../${WORKER_SOURCES[name].replace(/\.ts$/, '-entry.mjs')}`, import.meta.url);
  return new URL(`./${name}.mjs`, import.meta.url);
}

/** Whether the worker's script is there (a partial bundle may leave one out; callers then run inline). */
export function workerAvailable(name: WorkerName): boolean {
  return existsSync(fileURLToPath(workerEntry(name)));
}

export function startWorker(name: WorkerName, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  // Every worker runs with its parent's configuration (it reads no environment of its own).
  return new Worker(workerEntry(name), { workerData: withConfig(workerData), ...(resourceLimits ? { resourceLimits } : {}) });
}

/**
 * The folder of a module given its import.meta.url, as a file-system path. URL.pathname is not
 * one: it keeps %20 for a space (and other escapes) and gives "/C:/..." on Windows.
 */
export function moduleDir(moduleUrl: string): string {
  return dirname(fileURLToPath(moduleUrl));
}

/** A file beside a module (e.g. the bundled preload or worker next to main.mjs). */
export function besideModule(moduleUrl: string, file: string): string {
  return join(moduleDir(moduleUrl), file);
}
