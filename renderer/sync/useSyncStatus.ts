/**
 * Per-source delivery status: loaded when shown and after verdicts or ingests, then live from
 * the core's `sync.status` event (pushed by the background sync loop) and from the replies of
 * Sync now / Retry.
 */
import { useCallback, useEffect, useState } from 'react';
import { on } from '../api.ts';
import type { SourceSyncStatus } from '../../electron/shared/contract.ts';
import { errorMessage } from '../lib/format.ts';
import { useChangeVersionFor } from '../shell/changes.ts';
import { fetchSyncStatus } from './queries.ts';

export function useSyncStatus(): { sources: SourceSyncStatus[] | null; error: string | null; set(sources: SourceSyncStatus[]): void } {
  const [sources, setSources] = useState<SourceSyncStatus[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const version = useChangeVersionFor('verdict', 'ingest');
  useEffect(() => {
    let alive = true;
    fetchSyncStatus().then(
      (s) => {
        if (!alive) return;
        setSources(s);
        setError(null);
      },
      (err: unknown) => alive && setError(errorMessage(err)),
    );
    return () => {
      alive = false;
    };
  }, [version]);
  useEffect(() => on('sync.status', (p) => setSources(p.sources)), []);
  const set = useCallback((s: SourceSyncStatus[]) => setSources(s), []);
  return { sources, error, set };
}
