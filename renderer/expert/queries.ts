/** The expert-review calls the renderer makes (all through renderer/api.ts). */
import { call } from '../api.ts';
import type { ApiInput } from '../../electron/shared/contract.ts';

export const fetchAdjudicationQueue = () => call('adjudication.queue', { limit: 200 });
export const fetchAdjudication = (itemId: string) => call('adjudication.get', { itemId });
export const decideAdjudication = (input: ApiInput<'adjudication.decide'>) => call('adjudication.decide', input);
export const fetchAgreement = (input: ApiInput<'agreement.report'> = {}) => call('agreement.report', input);
export const fetchHolds = () => call('holds.list', {});
export const fetchGold = () => call('gold.list', {});
export const fetchWellbeing = () => call('wellbeing.status', {});
export const revealItem = (itemId: string) => call('item.reveal', { itemId });
export const fetchItemActions = (itemId: string) => call('item.actions', { itemId });
export const fetchOverturns = () => call('expert.overturns', {});
