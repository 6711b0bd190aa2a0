/**
 * The database thread: owns the workspace connection and runs every service call, so a long
 * ingest or a heavy query never blocks the window or the HTTP host.
 */
import { existsSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { installWorkerConfig } from '../core/config.ts';
import type { ApiResult, Method } from '../shared/contract.ts';
import { ingestDemo } from '../core/demo/ingest-demo.ts';
import { createService } from '../core/service.ts';
import { startSyncLoop, type SyncLoopStop } from '../core/sync/loop.ts';
import { UserError } from '../core/util/errors.ts';
import { openWorkspace } from '../core/workspace/open.ts';
import type { FromWorker, ToWorker, WorkerConfig } from './worker-protocol.ts';

installWorkerConfig(workerData);
if (!parentPort) throw new Error('db-worker must run in a worker thread');
const port = parentPort;
const config = workerData as WorkerConfig;
const post = (m: FromWorker) => port.postMessage(m);

async function boot() {
  const fresh = !existsSync(config.workspacePath);
  const ws = openWorkspace(config.workspacePath, { demo: fresh && config.demoIfNew > 0 });
  if (fresh && config.demoIfNew > 0) await ingestDemo(ws, config.demoIfNew, 1, { reviews: config.demoReviews === true });
  let sync: SyncLoopStop | null = null;
  const service = createService(ws, {
    mode: config.mode,
    emit: (event, payload) => {
      post({ type: 'event', event, payload });
      // A new verdict goes back to its source now rather than at the next tick.
      if (event === 'workspace.changed' && (payload as { reason: string }).reason === 'verdict') sync?.kick();
    },
  });
  sync = startSyncLoop(ws, {
    syncer: service.syncer,
    intervalMs: 5000,
    onStatus: (sources) => post({ type: 'event', event: 'sync.status', payload: { sources } }),
    onError: (err) => console.error('sync:', err),
  });
  port.on('message', async (msg: ToWorker) => {
    if (msg.type === 'close') {
      await sync?.();
      await service.close();
      ws.close();
      post({ type: 'closed' });
      return;
    }
    let result: ApiResult<Method>;
    try {
      const handler = service[msg.method] as (input: unknown) => unknown;
      result = { ok: true, value: (await handler(msg.input)) as never };
    } catch (err) {
      result =
        err instanceof UserError
          ? { ok: false, error: { code: err.code, message: err.message } }
          : { ok: false, error: { code: 'internal', message: `unexpected error: ${(err as Error).message}` } };
      if (!(err instanceof UserError)) console.error(err);
    }
    post({ type: 'result', id: msg.id, result });
  });
  post({ type: 'ready', path: ws.path });
}

boot().catch((err: unknown) => post({ type: 'fatal', message: err instanceof Error ? err.message : String(err) }));
