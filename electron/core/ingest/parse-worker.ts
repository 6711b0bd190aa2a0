/** A parsing thread: JSON, schema and hashing off the thread that writes SQLite. */
import { parentPort, workerData } from 'node:worker_threads';
import { installWorkerConfig } from '../config.ts';
import { parseBatch, type LineBatch, type Mapper } from './parse.ts';
import { mapperFromMapping, presetMapper } from './presets.ts';

installWorkerConfig(workerData);
if (!parentPort) throw new Error('parse-worker must run in a worker thread');
const port = parentPort;
const { preset, mapping } = workerData as { preset: string | null; mapping: string | null };
const mapper: Mapper | undefined = preset ? presetMapper(preset) : mapping ? mapperFromMapping(JSON.parse(mapping)) : undefined;

port.on('message', (msg: { id: number; batch: LineBatch }) => {
  const { outcomes, buffer } = parseBatch(msg.batch, mapper, { keys: false });
  port.postMessage({ id: msg.id, outcomes }, [buffer]);
});
