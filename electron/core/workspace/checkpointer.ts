/**
 * Moves WAL checkpoints of a bulk write off the writing thread. The writer turns automatic
 * checkpoints off, kicks the checkpointer after each commit and waits for it before its next
 * transaction, so the WAL restarts from its beginning instead of growing with the whole ingest.
 */
import type Database from 'better-sqlite3';
import { startWorker } from '../util/workers.ts';

export interface Checkpointer {
  /** Checkpoint what has been committed so far (in the background). */
  kick(): void;
  /** Resolves once no checkpoint is running. */
  idle(): Promise<void>;
  /** Waits for the last checkpoint and restores automatic checkpoints. */
  close(): Promise<void>;
}

export function startCheckpointer(sqlite: Database.Database, path: string): Checkpointer {
  const auto = sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
  sqlite.pragma('wal_autocheckpoint = 0');
  const worker = startWorker('checkpoint-worker', { path }, { maxOldGenerationSizeMb: 16 });
  let failed = false;
  let running: Promise<void> = Promise.resolve();
  let finish: (() => void) | null = null;
  let nextId = 0;
  let queued = false;
  worker.on('message', () => {
    finish?.();
    finish = null;
  });
  // A thread that cannot start (a missing bundle, no memory) costs speed, never the WAL: the
  // writer checkpoints on its own thread from then on.
  const fail = () => {
    failed = true;
    finish?.();
    finish = null;
  };
  worker.on('error', fail);
  worker.on('exit', fail);
  const inline = () => {
    // A checkpoint cannot run inside the writer's open batch; the kick after its commit will.
    if (!sqlite.inTransaction) sqlite.pragma('wal_checkpoint(PASSIVE)');
  };
  return {
    kick() {
      if (failed) return inline();
      // One checkpoint waiting to start covers every commit before it starts.
      if (queued) return;
      queued = true;
      const previous = running;
      running = previous.then(
        () =>
          new Promise<void>((resolve) => {
            queued = false;
            if (failed) {
              inline();
              return resolve();
            }
            finish = resolve;
            worker.postMessage({ id: nextId++ });
          }),
      );
    },
    idle: () => running,
    async close() {
      await running;
      await worker.terminate();
      sqlite.pragma(`wal_autocheckpoint = ${auto}`);
    },
  };
}
