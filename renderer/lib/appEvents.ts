/** DOM events the end-to-end tests (and anything else) can wait on. */

export type AppEventName =
  | 'verdict:item-shown'
  | 'verdict:queue-loaded'
  | 'verdict:verdict-saved'
  /** The dashboard's first panels (tiles, escalations per day) are rendered; loaded: every panel. */
  | 'verdict:dashboard-overview'
  | 'verdict:dashboard-loaded'
  /** Team mode: a status read arrived (detail: online, batch states), an item opened, a verdict was given. */
  | 'verdict:team-status'
  | 'verdict:team-claimed'
  | 'verdict:team-item-shown'
  | 'verdict:team-verdict'
  | 'verdict:adjudication-open'
  | 'verdict:adjudicated'
  /** The desk revealed a masked item (detail: id, reveals today, breakDue). */
  | 'verdict:item-revealed';

export function emitAppEvent(name: AppEventName, detail: Record<string, unknown>): void {
  document.dispatchEvent(new CustomEvent(name, { detail }));
}
