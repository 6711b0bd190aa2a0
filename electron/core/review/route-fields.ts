/**
 * Per-route taxonomy rules, enforced by ReviewService with the coherence rule: a route that lists
 * its own labels takes only those, and the structured fields it defines are the only ones a
 * verdict on it may fill (a choice only with one of its options).
 */
import { UserError } from '../util/errors.ts';
import { routeFields, routeLabels, type Taxonomy } from './taxonomy.ts';

/** Why labels do not fit the route's taxonomy, in one line; null when they do (or the route lists none). */
export function routeLabelProblem(labels: readonly string[], route: string, taxonomy: Taxonomy | null): string | null {
  if (!taxonomy?.routes?.[route]?.labels) return null;
  const offered = new Set(routeLabels(taxonomy, route).map((l) => l.id));
  const off = labels.filter((l) => !offered.has(l));
  if (off.length === 0) return null;
  return `route ${route} offers the labels ${[...offered].join(', ')}; ${off.join(', ')} ${off.length === 1 ? 'is' : 'are'} not among them`;
}

/** The fields checked against the route and returned with sorted keys (the row and the audit event hold the same text); empty values dropped. */
export function checkRouteFields(values: Record<string, string> | undefined, route: string, taxonomy: Taxonomy | null): Record<string, string> {
  const entries = Object.entries(values ?? {}).filter(([, v]) => v.trim() !== '');
  if (entries.length === 0) return {};
  const defs = routeFields(taxonomy, route);
  for (const [id, v] of entries) {
    const def = defs.find((d) => d.id === id);
    if (!def) throw new UserError(`route ${route} has no field ${id}${defs.length ? ` (its fields: ${defs.map((d) => d.id).join(', ')})` : ''}`, 'invalid_route_field');
    if (def.kind === 'choice' && !def.options!.includes(v)) throw new UserError(`${def.name} must be one of ${def.options!.join(', ')}, not "${v}"`, 'invalid_route_field');
  }
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
