/** The export screen's calls to the core. */
import { call } from '../api.ts';
import type { ApiInput } from '../../electron/shared/contract.ts';

export type ExportRequest = ApiInput<'export.start'>;

export const startExport = (input: ExportRequest) => call('export.start', input);
export const cancelExport = (jobId: string) => call('jobs.cancel', { jobId });
export const verifyExportFolder = (dir: string) => call('export.verify', { dir });
export const fetchJobs = () => call('jobs.list', {});
