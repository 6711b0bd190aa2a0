/**
 * Exposes one typed `verdict` object to the page: a call per contract method and event
 * subscriptions. Raw ipcRenderer never crosses the bridge.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, METHODS, type ApiEvents, type EventName, type Method, type VerdictBridge } from '../shared/contract.ts';

const allowed = new Set<string>(METHODS);

const bridge: VerdictBridge = {
  call: (method, input) =>
    allowed.has(method)
      ? ipcRenderer.invoke(`verdict:${method as Method}`, input)
      : Promise.resolve({ ok: false, error: { code: 'unknown_method', message: `unknown method ${String(method)}` } }),
  on: <E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void) => {
    const handler = (_e: IpcRendererEvent, msg: { event: EventName; payload: unknown }) => {
      if (msg.event === event) listener(msg.payload as ApiEvents[E]);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('verdict', bridge);
