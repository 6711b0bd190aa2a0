/**
 * The CLI as the third transport over the handlers (after the Electron IPC and the browser-mode
 * host): a command opens the workspace, calls contract methods with inputs checked by the same
 * zod schemas, and formats what comes back. No CLI command reads the database itself.
 */
import type { ApiInput, ApiOutputs, Method } from '../shared/contract.ts';
import { createService } from '../core/service.ts';
import { UserError } from '../core/util/errors.ts';
import { openWorkspace } from '../core/workspace/open.ts';
import type { Emit } from '../core/handlers/types.ts';
import { parseInput } from '../host/dispatch.ts';

export type Call = <M extends Method>(method: M, input: ApiInput<M>) => Promise<ApiOutputs[M]>;

/**
 * Opens an existing workspace for the length of `fn`, with the handler map behind `call`.
 * `emit` receives the handlers' events (a long command's progress); by default they go nowhere.
 */
export async function withHandlers<T>(path: string, fn: (call: Call) => T | Promise<T>, opts: { emit?: Emit } = {}): Promise<T> {
  const ws = openWorkspace(path, { create: false });
  // The CLI has no window to tell: it prints what the handlers return (and progress, if asked).
  const service = createService(ws, { mode: 'cli', emit: opts.emit ?? (() => {}) });
  const call: Call = async (method, input) => {
    const parsed = parseInput(method, input);
    if (!parsed.ok) throw new UserError(parsed.error.message, parsed.error.code);
    const handler = service[method] as (input: unknown) => ApiOutputs[typeof method] | Promise<ApiOutputs[typeof method]>;
    return handler(parsed.data);
  };
  try {
    return await fn(call);
  } finally {
    await service.close();
    ws.close();
  }
}
