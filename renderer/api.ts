/**
 * The renderer's only way to the core. In the desktop app the preload provides
 * `window.verdict`; in browser mode the same contract runs over fetch, with the launch token in
 * the X-Verdict-Token header on every request (see browserToken). No cookie is involved: the
 * browser would send a cookie for 127.0.0.1 to every other local port.
 */
import type { ApiErrorBody, ApiEvents, ApiInput, ApiOutputs, ApiResult, ErrorCode, EventName, Method, VerdictBridge } from '../electron/shared/contract.ts';

declare global {
  interface Window {
    verdict?: VerdictBridge;
  }
}

/** A refused call: `code` is one of the contract's closed list (ERROR_CODES), so the UI can branch on it. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const TOKEN_KEY = 'verdict.token';

/**
 * The launch URL carries the token in its fragment (`#token=…`), which the browser never sends
 * to a server. It is moved to this tab's sessionStorage (bound to this origin, port included)
 * and removed from the address bar, so a reload keeps working and the URL shows no secret.
 */
function tokenFromFragment(): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (!match) return null;
  try {
    sessionStorage.setItem(TOKEN_KEY, match[1]!);
  } catch {
    // Storage disabled: the token still lives in memory for this page.
  }
  history.replaceState(null, '', window.location.pathname + window.location.search);
  return match[1]!;
}

function browserToken(): string | null {
  const fresh = tokenFromFragment();
  if (fresh) return fresh;
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

const UNAUTHORIZED: ApiErrorBody = { code: 'unauthorized', message: 'This browser tab is not authorized: open the URL Verdict printed.' };

/** One server-sent-events frame ("event: x\ndata: y") to its event name and data. */
function parseFrame(frame: string): { event: string; data: string } | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  return data.length ? { event, data: data.join('\n') } : null;
}

function httpBridge(): VerdictBridge {
  const token = browserToken();
  // The launch URL pasted into a tab already showing the app changes only the fragment (no page
  // load): take the new key and start over with it.
  window.addEventListener('hashchange', () => {
    const fresh = tokenFromFragment();
    if (fresh && fresh !== token) window.location.reload();
  });
  const headers: Record<string, string> = token ? { 'X-Verdict-Token': token } : {};
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let streaming = false;

  // EventSource cannot send headers, so the event stream is read through fetch; it reconnects
  // after a drop (the server restarting, the machine sleeping) with a growing pause.
  const stream = async () => {
    let pause = 500;
    for (;;) {
      try {
        const res = await fetch('/api/events', { headers, cache: 'no-store' });
        if (res.status === 401) return;
        if (res.ok && res.body) {
          pause = 500;
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          let buf = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buf += value;
            let end;
            while ((end = buf.indexOf('\n\n')) >= 0) {
              const frame = parseFrame(buf.slice(0, end));
              buf = buf.slice(end + 2);
              if (!frame) continue;
              const payload = JSON.parse(frame.data) as unknown;
              for (const l of listeners.get(frame.event) ?? []) l(payload);
            }
          }
        }
      } catch {
        // Dropped or unreachable: try again below.
      }
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 10_000);
    }
  };

  return {
    async call<M extends Method>(method: M, input: ApiInput<M>): Promise<ApiResult<M>> {
      if (!token) return { ok: false, error: UNAUTHORIZED };
      try {
        const res = await fetch(`/api/call/${method}`, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          credentials: 'omit',
          body: JSON.stringify(input ?? {}),
        });
        if (res.status === 401) return { ok: false, error: UNAUTHORIZED };
        return (await res.json()) as ApiResult<M>;
      } catch {
        return { ok: false, error: { code: 'offline', message: 'Verdict is not reachable: is it still running?' } };
      }
    },
    on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void) {
      if (!streaming && token) {
        streaming = true;
        void stream();
      }
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
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
