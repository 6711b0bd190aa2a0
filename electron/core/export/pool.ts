/**
 * Runs row batches in this thread or in a small pool of worker threads. Each `run` returns its
 * own promise; the exporter awaits them in submission order, so rows are written in item order
 * whatever the thread count.
 */
import { availableParallelism } from 'node:os';
import type { PeaksState } from './audit-proof.ts';
import type { ExportWorkerData } from './export-worker.ts';
import { RowProcessor, type BatchResult, type Candidate, type ProcessConfig } from './process.ts';
import { workerAvailable, startWorker } from '../util/workers.ts';

export interface BatchRunner {
  readonly threads: number;
  run(batch: Candidate[]): Promise<BatchResult>;
  close(): Promise<void>;
}

export function inlineRunner(cfg: ProcessConfig): BatchRunner {
  const p = new RowProcessor(cfg);
  return {
    threads: 0,
    run: (batch) => {
      try {
        return Promise.resolve(p.process(batch));
      } catch (err) {
        return Promise.reject(err as Error);
      }
    },
    close: async () => {},
  };
}

/** One thread per spare core, at most 3 (the exporting thread reads SQLite and writes files). */
export function defaultExportThreads(): number {
  return Math.max(1, Math.min(3, availableParallelism() - 1));
}

export function workerRunner(cfg: ProcessConfig, count: number): BatchRunner {
  if (!workerAvailable('export-worker') || count < 1) return inlineRunner(cfg);
  // A worker holds a few batches and a bounded redaction cache: 128 MB of old space is ample.
  const workers = Array.from(
    { length: count },
    () => startWorker('export-worker', { kind: 'rows', config: cfg } satisfies ExportWorkerData, { maxOldGenerationSizeMb: 128 }),
  );
  const waiting = new Map<number, { resolve: (r: BatchResult) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failure: Error | null = null;
  const failAll = (err: Error) => {
    failure ??= err;
    for (const p of waiting.values()) p.reject(err);
    waiting.clear();
  };
  for (const w of workers) {
    w.on('message', (m: { id: number; result?: BatchResult; error?: string }) => {
      const p = waiting.get(m.id);
      waiting.delete(m.id);
      if (!p) return;
      if (m.error !== undefined) p.reject(new Error(`export worker failed: ${m.error}`));
      else p.resolve(m.result!);
    });
    w.on('error', (err) => failAll(err));
    w.on('exit', (code) => {
      if (code !== 0) failAll(new Error(`export worker exited with code ${code}`));
    });
  }
  let closed = false;
  return {
    threads: count,
    run(batch) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        workers[id % workers.length]!.postMessage({ id, batch });
      });
    },
    close: async () => {
      if (closed) return;
      closed = true;
      failure ??= new Error('export workers closed');
      for (const p of waiting.values()) p.reject(failure);
      waiting.clear();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * The audit log's peaks for its first `size` leaves, computed in a worker thread on its own
 * connection (null when no worker can be started: the caller then streams from leaf 0).
 */
export function peaksInWorker(path: string, size: number): { result: Promise<PeaksState | null>; cancel: () => Promise<void> } {
  if (!workerAvailable('export-worker')) return { result: Promise.resolve(null), cancel: async () => {} };
  const w = startWorker('export-worker', { kind: 'peaks', path, size } satisfies ExportWorkerData, { maxOldGenerationSizeMb: 64 });
  const result = new Promise<PeaksState | null>((resolve) => {
    w.once('message', (m: { state?: PeaksState; error?: string }) => resolve(m.state ?? null));
    // Any failure only costs speed: sealing then streams every leaf itself.
    w.once('error', () => resolve(null));
    w.once('exit', () => resolve(null));
  });
  return { result, cancel: async () => void (await w.terminate()) };
}
