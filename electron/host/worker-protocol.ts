import type { ApiEvents, ApiResult, EventName, Method } from '../shared/contract.ts';

export interface WorkerConfig {
  workspacePath: string;
  mode: 'desktop' | 'browser';
  /** When the workspace file does not exist yet, fill it with this many demo escalations. */
  demoIfNew: number;
  /** With the demo escalations, a simulated review history and volumes (the default demo of `npm start`). */
  demoReviews?: boolean;
}

export type ToWorker = { type: 'call'; id: number; method: Method; input: unknown } | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; path: string }
  | { type: 'fatal'; message: string }
  | { type: 'closed' }
  | { type: 'result'; id: number; result: ApiResult<Method> }
  | { type: 'event'; event: EventName; payload: ApiEvents[EventName] };
