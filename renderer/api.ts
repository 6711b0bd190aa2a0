/**
 * The renderer's only way to the core. In the desktop app the preload provides
 * `window.verdict`; in browser mode the same contract runs over fetch and server-sent events
 * (the token travels in an HttpOnly cookie set when the launch URL was opened).
 */
import type { ApiEvents, ApiInput, ApiOutputs, ApiResult, EventName, Method, VerdictBridge } from '../electron/shared/contract.ts';

declare global {
  interface Window {
    verdict?: VerdictBridge;
  }
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function httpBridge(): VerdictBridge {
  let source: EventSource | null = null;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const ensureSource = () => {
    if (source) return;
    source = new EventSource('/api/events');
    source.onerror = () => {
      // The browser reconnects on its own; nothing to do.
    };
  };
  return {
    async call<M extends Method>(method: M, input: ApiInput<M>): Promise<ApiResult<M>> {
      try {
        const res = await fetch(`/api/call/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          credentials: 'same-origin',
          body: JSON.stringify(input ?? {}),
        });
        if (res.status === 401) return { ok: false, error: { code: 'unauthorized', message: 'This browser tab is not authorized: open the URL Verdict printed.' } };
        return (await res.json()) as ApiResult<M>;
      } catch {
        return { ok: false, error: { code: 'offline', message: 'Verdict is not reachable: is it still running?' } };
      }
    },
    on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void) {
      ensureSource();
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
        source!.addEventListener(event, (e) => {
          const payload = JSON.parse((e as MessageEvent<string>).data) as unknown;
          for (const l of listeners.get(event) ?? []) l(payload);
        });
      }
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set!.delete(l);
    },
  };
}

const bridge: VerdictBridge = window.verdict ?? httpBridge();

/** Calls a contract method; resolves with its output or throws an ApiError with a readable message. */
export async function call<M extends Method>(method: M, input: ApiInput<M>): Promise<ApiOutputs[M]> {
  const res = await bridge.call(method, input);
  if (!res.ok) throw new ApiError(res.error.code, res.error.message);
  return res.value;
}

export function on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
  return bridge.on(event, listener);
}

export const isDesktop = window.verdict !== undefined;
