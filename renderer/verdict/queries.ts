/** The verdict pane's calls to the core. */
import { call } from '../api.ts';
import type { ApiInput } from '../../electron/shared/contract.ts';

export const fetchTaxonomy = () => call('taxonomy.get', {});
export const submitVerdict = (input: ApiInput<'verdict.submit'>) => call('verdict.submit', input);
export const amendVerdict = (input: ApiInput<'verdict.amend'>) => call('verdict.amend', input);
export const undoVerdict = () => call('verdict.undo', {});
