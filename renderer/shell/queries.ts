/** The header's calls: workspace facts and live counts. */
import { call } from '../api.ts';

export const fetchWorkspaceInfo = () => call('workspace.info', {});
