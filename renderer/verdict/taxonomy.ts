/** The label taxonomy, loaded once per change; the keyboard handler reads the last copy. */
import { useEffect } from 'react';
import type { Taxonomy } from '../../electron/shared/contract.ts';
import { useChangeVersionFor } from '../shell/changes.ts';
import { useAsync } from '../lib/useAsync.ts';
import { fetchTaxonomy } from './queries.ts';

let lastLabels: string[] = [];
let lastRoutes: Taxonomy['routes'] = undefined;

/** What the taxonomy lets a route do beyond the default verdict rules (the core enforces it). */
export function taxonomyRoutePolicy(route: string): NonNullable<Taxonomy['routes']>[string] | undefined {
  return lastRoutes?.[route];
}

export function taxonomyLabelIds(): string[] {
  return lastLabels;
}

export function useTaxonomy(): { taxonomy: Taxonomy | undefined; error: string | undefined } {
  const version = useChangeVersionFor('taxonomy');
  const { data, error } = useAsync(`taxonomy:${version}`, fetchTaxonomy);
  useEffect(() => {
    if (data) {
      lastLabels = data.labels.map((l) => l.id);
      lastRoutes = data.routes;
    }
  }, [data]);
  return { taxonomy: data, error };
}

/** "S6 Specialized Advice": a label as the chips name it, with the id History and exports use. */
export function labelDisplay(id: string, taxonomy: Taxonomy | undefined): string {
  const name = taxonomy?.labels.find((l) => l.id === id)?.name;
  return name && name !== id ? `${id} ${name}` : id;
}
