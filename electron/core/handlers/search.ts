/** search.*: rebuilding the full-text index and the facets it derives. */
import { reindex } from '../search/reindex.ts';
import type { HandlerContext, HandlerGroup } from './types.ts';

export function searchHandlers({ ws, emit, facets }: HandlerContext): HandlerGroup<'search.reindex'> {
  return {
    'search.reindex': async ({ all }) => {
      const summary = await reindex(ws, { all, onProgress: (p) => emit('search.reindexProgress', p) });
      // The facet counts were recounted in SQL: the cached copy is stale.
      facets.invalidate();
      emit('workspace.changed', { reason: 'ingest' });
      return summary;
    },
  };
}
