import type { ItemStatus } from '../../electron/shared/contract.ts';

/** Statuses in the order the queue shows them. */
export const STATUSES_ORDER: ItemStatus[] = ['new', 'in_review', 'conflict', 'disputed', 'on_hold', 'skipped', 'escalated', 'decided'];
