/**
 * Reads records for the full-text index on its own read-only connection (WAL lets it read
 * beside the writer) and turns them into index text, so the writer only inserts.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { installWorkerConfig } from '../config.ts';
import { recordRange } from '../../../db/queries/fts.ts';
import { ftsRow } from './fts-text.ts';

installWorkerConfig(workerData);
if (!parentPort) throw new Error('fts-worker must run in a worker thread');
const port = parentPort;
const db = new Database((workerData as { path: string }).path, { readonly: true, fileMustExist: true });
const range = recordRange(db);

port.on('message', (msg: { id: number; from: number; to: number }) => {
  const rows = range(msg.from, msg.to).map((r) => ftsRow(r.seq, r.externalId, r.record));
  port.postMessage({ id: msg.id, rows });
});
