/**
 * Per-workspace expert-review settings: routes adjudicated blind, routes and labels whose
 * content opens masked (for example the MLCommons hazard categories S1 violent crimes, S4
 * child sexual exploitation, S11 suicide & self-harm), and the break reminder.
 */

import { expertSettingsSchema, type ExpertSettings } from './models/expert.ts';
export { expertSettingsSchema, type ExpertSettings };

export const DEFAULT_EXPERT_SETTINGS: ExpertSettings = expertSettingsSchema.parse({});

/**
 * Why an item opens masked (the route or the first matching label), or null when it does not.
 * A detector's category such as "S11: Suicide & Self-Harm" matches the label S11 (the code
 * before the colon), as the desk's label suggestions read it.
 */
export function maskReason(settings: ExpertSettings, route: string, labels: Iterable<string>): string | null {
  if (settings.maskedRoutes.includes(route)) return `route ${route}`;
  for (const l of labels) {
    const code = l.split(':')[0]!.trim();
    if (settings.maskedLabels.includes(l) || settings.maskedLabels.includes(code)) return code;
  }
  return null;
}
