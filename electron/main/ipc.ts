/**
 * The IPC handlers, one per contract method. Each checks that the call comes from our own
 * page (the app:// origin, main frame) before validating its input with the contract's zod
 * schema and passing it on. No Electron import here, so the checks are tested in plain Node.
 */
import { METHODS, type ApiResult, type Method } from '../shared/contract.ts';
import { dispatch, type Backend } from '../host/dispatch.ts';

export const APP_ORIGIN = 'app://verdict';

export interface SenderEvent {
  senderFrame?: { url: string; parent?: unknown } | null;
}

export function isTrustedSender(event: SenderEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent) return false;
  try {
    const url = new URL(frame.url);
    return `${url.protocol}//${url.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

export const channelFor = (method: Method) => `verdict:${method}`;

export type IpcHandler = (event: SenderEvent, input: unknown) => Promise<ApiResult<Method>>;

export function createIpcHandlers(backend: Backend): Map<string, IpcHandler> {
  const handlers = new Map<string, IpcHandler>();
  for (const method of METHODS) {
    handlers.set(channelFor(method), async (event, input) => {
      if (!isTrustedSender(event)) return { ok: false, error: { code: 'forbidden', message: 'call refused: unknown sender' } };
      return dispatch(backend, method, input);
    });
  }
  return handlers;
}
