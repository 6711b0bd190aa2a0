/** DOM events the end-to-end tests (and anything else) can wait on. */

export type AppEventName =
  | 'verdict:item-shown'
  | 'verdict:queue-loaded'
  | 'verdict:verdict-saved'
  /** The dashboard's first panels (tiles, escalations per day) are rendered; loaded: every panel. */
  | 'verdict:dashboard-overview'
  | 'verdict:dashboard-loaded'
  /** One of the dashboard's three later calls answered and its panels are rendered (detail: part). */
  | 'verdict:dashboard-part'
  /** A step of a metric catch-up on a backlog reached the dashboard (detail: phase, done, total, shown: the bar is on screen). */
  | 'verdict:metrics-catch-up'
  /** Team mode: a status read arrived (detail: online, batch states), an item opened, a verdict was given. */
  | 'verdict:team-status'
  | 'verdict:team-claimed'
  | 'verdict:team-item-shown'
  | 'verdict:team-verdict'
  /** Team expert review: an adjudication claimed/decided, an escalation or hold, an expert answer, the lead view read. */
  | 'verdict:team-adjudication-claimed'
  | 'verdict:team-adjudicated'
  | 'verdict:team-handed-over'
  | 'verdict:team-expert-claimed'
  | 'verdict:team-expert-answered'
  | 'verdict:team-lead-loaded'
  | 'verdict:adjudication-open'
  | 'verdict:adjudicated'
  /** The desk revealed a masked item (detail: id, reveals today, breakDue). */
  | 'verdict:item-revealed';

export function emitAppEvent(name: AppEventName, detail: Record<string, unknown>): void {
  document.dispatchEvent(new CustomEvent(name, { detail }));
}
