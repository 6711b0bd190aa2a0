/**
 * Per-workspace expert-review settings: routes adjudicated blind, routes and labels whose
 * content opens masked (for example the MLCommons hazard categories S1 violent crimes, S4
 * child sexual exploitation, S11 suicide & self-harm), and the break reminder.
 */

import { expertSettingsSchema, type ExpertSettings } from './models/expert.ts';
export { expertSettingsSchema, type ExpertSettings };

export const DEFAULT_EXPERT_SETTINGS: ExpertSettings = expertSettingsSchema.parse({});

/** Why an item opens masked (the route or the first matching label), or null when it does not. */
export function maskReason(settings: ExpertSettings, route: string, labels: Iterable<string>): string | null {
  if (settings.maskedRoutes.includes(route)) return `route ${route}`;
  for (const l of labels) if (settings.maskedLabels.includes(l)) return l;
  return null;
}
