/** The workspace screen's calls to the core. */
import { call } from '../api.ts';

export const fetchSources = () => call('sources.list', {});
export const fetchJobs = () => call('jobs.list', {});
export const startIngest = (path: string, preset: 'hh-rlhf' | undefined) => call('ingest.start', preset ? { path, preset } : { path });
export const cancelJob = (jobId: string) => call('jobs.cancel', { jobId });
export const fetchQuarantine = (beforeSeq?: number) => call('quarantine.list', beforeSeq === undefined ? { limit: 50 } : { limit: 50, beforeSeq });
export const fetchAuditHead = () => call('audit.head', {});
export const verifyAudit = () => call('audit.verify', {});
export const fetchInfo = () => call('workspace.info', {});
export const saveReviewer = (reviewer: string) => call('workspace.setReviewer', { reviewer });
export const loadTaxonomy = (json: string) => call('taxonomy.set', { json });
export const fetchTaxonomy = () => call('taxonomy.get', {});
