/**
 * Which items open masked (wellbeing, issue 13), defined once: the expert-review settings'
 * maskReason over the item's route, its current revision's flag categories and every label its
 * verdicts gave. The item view (`item.actions`), the reveal record, the adjudication list and the
 * desk's queue rows (`queue.page`) all ask here, so a row never shows what the item view hides.
 */
import { maskInputs } from '../../../db/queries/mask-inputs.ts';
import { settingValue } from '../../../db/queries/settings.ts';
import { DEFAULT_EXPERT_SETTINGS, expertSettingsSchema, maskReason, type ExpertSettings } from '../../shared/expert-settings.ts';
import type { Workspace } from '../workspace/open.ts';

export const EXPERT_SETTINGS_KEY = 'expert_review';

export function expertSettings(ws: Workspace): ExpertSettings {
  const raw = settingValue(ws.sqlite, EXPERT_SETTINGS_KEY);
  return raw ? expertSettingsSchema.parse(JSON.parse(raw)) : DEFAULT_EXPERT_SETTINGS;
}

/** Per item seq, why it opens masked (or null). Unknown seqs are left out. */
export function maskReasons(ws: Workspace, seqs: readonly number[], settings: ExpertSettings = expertSettings(ws)): Map<number, string | null> {
  const out = new Map<number, string | null>();
  for (const [seq, m] of maskInputs(ws.sqlite, seqs)) out.set(seq, maskReason(settings, m.route, m.labels));
  return out;
}

export function maskReasonOf(ws: Workspace, seq: number): string | null {
  return maskReasons(ws, [seq]).get(seq) ?? null;
}

/** Queue rows with `masked`; a masked row's snippet (the item's text) is dropped before it leaves the core. */
export function withMask<R extends { seq: number; snippet: string }>(ws: Workspace, rows: R[]): (R & { masked: string | null })[] {
  const reasons = maskReasons(ws, rows.map((r) => r.seq));
  return rows.map((r) => {
    const masked = reasons.get(r.seq) ?? null;
    return { ...r, snippet: masked ? '' : r.snippet, masked };
  });
}
