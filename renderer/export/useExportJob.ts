/**
 * The export job on screen: the latest one the core knows (so reopening the screen shows a
 * running export or the last result), then live from `job.updated`.
 */
import { useCallback, useEffect, useState } from 'react';
import { on } from '../api.ts';
import type { Job } from '../../electron/shared/contract.ts';
import { fetchJobs } from './queries.ts';

export function useExportJob(): { job: Job | null; adopt(job: Job): void; clear(): void } {
  const [job, setJob] = useState<Job | null>(null);
  useEffect(() => {
    let alive = true;
    fetchJobs().then(
      (jobs) => {
        const exports = jobs.filter((j) => j.kind === 'export');
        const latest = exports.find((j) => j.state === 'running') ?? exports[exports.length - 1];
        if (alive && latest) setJob((cur) => cur ?? latest);
      },
      () => {},
    );
    const off = on('job.updated', (j) => {
      if (j.kind !== 'export') return;
      setJob((cur) => (!cur || cur.id === j.id || cur.state !== 'running' ? j : cur));
    });
    return () => {
      alive = false;
      off();
    };
  }, []);
  // A reply can arrive after progress events for the same job: keep the newer state.
  const adopt = useCallback((started: Job) => setJob((cur) => (cur && cur.id === started.id ? cur : started)), []);
  const clear = useCallback(() => setJob(null), []);
  return { job, adopt, clear };
}
