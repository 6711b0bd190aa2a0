/** search.*: rebuilding the full-text index and the facets it derives. */
import { reindex } from '../search/reindex.ts';
import type { HandlerContext, HandlerGroup } from './types.ts';

export function searchHandlers({ ws, emit }: HandlerContext): HandlerGroup<'search.reindex'> {
  return {
    // The wrapper (./changes.ts) drops the recounted facets and announces the change.
    'search.reindex': ({ all }) => reindex(ws, { all, onProgress: (p) => emit('search.reindexProgress', p) }),
  };
}
