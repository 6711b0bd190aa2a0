/** DOM events the end-to-end tests (and anything else) can wait on. */

export type AppEventName = 'verdict:item-shown' | 'verdict:queue-loaded' | 'verdict:verdict-saved' | 'verdict:dashboard-loaded' | 'verdict:adjudication-open' | 'verdict:adjudicated';

export function emitAppEvent(name: AppEventName, detail: Record<string, unknown>): void {
  document.dispatchEvent(new CustomEvent(name, { detail }));
}
