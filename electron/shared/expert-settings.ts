/**
 * Per-workspace expert-review settings: routes adjudicated blind, routes and labels whose
 * content opens masked (for example the MLCommons hazard categories S1 violent crimes, S4
 * child sexual exploitation, S11 suicide & self-harm), and the break reminder.
 */
import { z } from 'zod';

export const expertSettingsSchema = z
  .object({
    /** Routes where the adjudicator sees "Reviewer A/B" until they decide. */
    blindRoutes: z.array(z.string().min(1).max(64)).max(200).default([]),
    /** Content on these routes opens masked. */
    maskedRoutes: z.array(z.string().min(1).max(64)).max(200).default([]),
    /** Content whose flags or verdict labels include one of these opens masked. */
    maskedLabels: z.array(z.string().min(1).max(64)).max(200).default(['S1', 'S4', 'S11']),
    /** Remind the reviewer to take a break after this many reveals in a day (0: never). */
    breakAfter: z.number().int().min(0).max(10_000).default(20),
  })
  .strict();

export type ExpertSettings = z.infer<typeof expertSettingsSchema>;

export const DEFAULT_EXPERT_SETTINGS: ExpertSettings = expertSettingsSchema.parse({});

/** Why an item opens masked (the route or the first matching label), or null when it does not. */
export function maskReason(settings: ExpertSettings, route: string, labels: Iterable<string>): string | null {
  if (settings.maskedRoutes.includes(route)) return `route ${route}`;
  for (const l of labels) if (settings.maskedLabels.includes(l)) return l;
  return null;
}
