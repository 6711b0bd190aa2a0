/** Sync back to the sources, and importing decisions made elsewhere: the calls to the core. */
import { call } from '../api.ts';

export const fetchSyncStatus = () => call('sync.status', {});
export const runSync = (sourceId?: string) => call('sync.run', sourceId ? { sourceId } : {});
export const retrySync = (sourceId: string) => call('sync.retry', { sourceId });
export const importVerdicts = (path: string) => call('verdicts.import', { path });
