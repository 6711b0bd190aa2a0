/**
 * An export thread, one of two jobs:
 * - `rows`: redaction, row building and JSON serialisation off the thread that reads SQLite and
 *   writes files (batches in, results out, in order);
 * - `peaks`: the Merkle peaks of the audit log's first `size` leaves, read on its own read-only
 *   connection while the rows are being written, so sealing only folds the few newer leaves.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { installWorkerConfig } from '../config.ts';
import { peaksOf } from './audit-proof.ts';
import { RowProcessor, transferables, type Candidate, type ProcessConfig } from './process.ts';

export type ExportWorkerData = { kind: 'rows'; config: ProcessConfig } | { kind: 'peaks'; path: string; size: number };

installWorkerConfig(workerData);
if (!parentPort) throw new Error('export-worker must run in a worker thread');
const port = parentPort;
const data = workerData as ExportWorkerData;

if (data.kind === 'peaks') {
  const db = new Database(data.path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const state = peaksOf(db, data.size);
    port.postMessage({ state }, state.nodes.map((n) => n.hash.buffer as ArrayBuffer));
  } catch (err) {
    port.postMessage({ error: (err as Error).message });
  } finally {
    db.close();
  }
} else {
  const processor = new RowProcessor(data.config);
  port.on('message', (msg: { id: number; batch: Candidate[] }) => {
    try {
      const result = processor.process(msg.batch);
      port.postMessage({ id: msg.id, result }, transferables(result));
    } catch (err) {
      port.postMessage({ id: msg.id, error: (err as Error).stack ?? String(err) });
    }
  });
}
