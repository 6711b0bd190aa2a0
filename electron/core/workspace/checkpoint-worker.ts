/**
 * A checkpointing thread: copies committed WAL frames into the database file (and syncs it) on
 * its own connection, so a bulk writer's commits cost one WAL write and sync, not also the copy.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { installWorkerConfig } from '../config.ts';

installWorkerConfig(workerData);
if (!parentPort) throw new Error('checkpoint-worker must run in a worker thread');
const port = parentPort;
const db = new Database((workerData as { path: string }).path, { fileMustExist: true });
// The same durability as the writer: the database file is synced before the WAL may restart.
db.pragma('synchronous = FULL');
const pause = new Int32Array(new SharedArrayBuffer(4));

port.on('message', (msg: { id: number }) => {
  let result = { busy: 1, log: 0, checkpointed: 0 };
  // A PASSIVE checkpoint never blocks the writer; it is busy only while another checkpoint runs.
  for (let attempt = 0; attempt < 200 && result.busy !== 0; attempt++) {
    if (attempt > 0) Atomics.wait(pause, 0, 0, 5);
    result = (db.pragma('wal_checkpoint(PASSIVE)') as (typeof result)[])[0]!;
  }
  port.postMessage({ id: msg.id, ...result });
});
