/** The label taxonomy, loaded once per change; the keyboard handler reads the last copy. */
import { useEffect } from 'react';
import type { Taxonomy } from '../../electron/shared/contract.ts';
import { useChangeVersionFor } from '../shell/changes.ts';
import { useAsync } from '../lib/useAsync.ts';
import { fetchTaxonomy } from './queries.ts';

let lastLabels: string[] = [];

export function taxonomyLabelIds(): string[] {
  return lastLabels;
}

export function useTaxonomy(): { taxonomy: Taxonomy | undefined; error: string | undefined } {
  const version = useChangeVersionFor('taxonomy');
  const { data, error } = useAsync(`taxonomy:${version}`, fetchTaxonomy);
  useEffect(() => {
    if (data) lastLabels = data.labels.map((l) => l.id);
  }, [data]);
  return { taxonomy: data, error };
}
