/** The main-thread side of the database worker: calls become messages, replies resolve them. */
import { withConfig } from '../core/config.ts';
import { Worker } from 'node:worker_threads';
import { UserError } from '../core/util/errors.ts';
import type { ApiEvents, ApiResult, EventName, Method } from '../shared/contract.ts';
import type { FromWorker, ToWorker, WorkerConfig } from './worker-protocol.ts';

export type EventListener = <E extends EventName>(event: E, payload: ApiEvents[E]) => void;

export class WorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, (r: ApiResult<Method>) => void>();
  private readonly listeners = new Set<EventListener>();
  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'result') {
        this.pending.get(m.id)?.(m.result);
        this.pending.delete(m.id);
      } else if (m.type === 'event') {
        for (const l of this.listeners) l(m.event, m.payload as never);
      }
    });
    worker.on('exit', () => {
      for (const resolve of this.pending.values()) resolve({ ok: false, error: { code: 'closed', message: 'the database worker stopped' } });
      this.pending.clear();
    });
  }

  /** `entry` is the worker script: the tsx bootstrap from source, or a bundled file in the desktop build. */
  static start(entry: URL | string, config: WorkerConfig): Promise<WorkerClient> {
    const worker = new Worker(entry, { workerData: withConfig(config) });
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type === 'ready') {
          worker.off('message', onMessage);
          resolve(new WorkerClient(worker));
        } else if (m.type === 'fatal') {
          worker.off('message', onMessage);
          void worker.terminate();
          // The worker's reason (cannot open, not a workspace…) is the user's one-line error.
          reject(new UserError(m.message));
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  }

  call(method: Method, input: unknown): Promise<ApiResult<Method>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ type: 'call', id, method, input } satisfies ToWorker);
    });
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      this.worker.on('message', (m: FromWorker) => m.type === 'closed' && resolve());
      this.worker.once('exit', () => resolve());
    });
    this.worker.postMessage({ type: 'close' } satisfies ToWorker);
    await closed;
    await this.worker.terminate();
  }
}
