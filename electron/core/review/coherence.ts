/**
 * The verdict coherence rule, enforced by ReviewService for every verdict, amendment and
 * import: a false positive says the flagged output is not a violation, so it carries no
 * violation labels and no severity, unless the item's route allows it (taxonomy `routes`).
 * Otherwise the classifier export would hold rows like `dismiss, [S1, S2], high`.
 */
import type { Taxonomy } from './taxonomy.ts';

export interface VerdictShape {
  decision: string;
  labels: readonly string[];
  severity: string | null | undefined;
}

/** Why a verdict is incoherent, in one sentence that says what to do; null when it is coherent. */
export function coherenceProblem(v: VerdictShape, route: string, taxonomy: Pick<Taxonomy, 'routes'> | null): string | null {
  if (v.decision !== 'dismiss') return null;
  if (taxonomy?.routes?.[route]?.dismissMayCarryLabels) return null;
  const carried = [v.labels.length > 0 ? `labels ${v.labels.join(', ')}` : null, v.severity ? `severity ${v.severity}` : null].filter(Boolean);
  if (carried.length === 0) return null;
  return `a false positive carries no violation labels or severity on route ${route}, but this one has ${carried.join(' and ')}: clear them, or record a violation`;
}
