/**
 * Deterministic train/validation/test assignment. Rows are grouped (a conversation id, else a
 * request id, else the record's own id from its source) and a group's place in [0, 1) is SHA-256(seed ‖ 0x00 ‖ group)
 * read as a 48-bit fraction, so every item of one conversation lands in the same split, the same
 * seed always gives the same assignment, and the assignment of a row does not depend on which
 * other rows are exported.
 */
import { hash } from 'node:crypto';
import type { SplitName } from './options.ts';

export interface SplitRatios {
  train: number;
  validation: number;
  test: number;
}

/**
 * The grouping key of a row: `conv:<gen_ai.conversation.id>`, else `req:<request_id>`, else
 * `rec:<record id>` (prefixed so the kinds never collide). The record id is the one its source
 * gave (or a preset derived from its content), never an id a workspace invented or the path the
 * file was read from: the same data and decisions give the same splits in any workspace.
 */
export function groupKey(conversationId: unknown, requestId: unknown, recordId: string): string {
  if (typeof conversationId === 'string' && conversationId !== '') return `conv:${conversationId}`;
  if (typeof requestId === 'string' && requestId !== '') return `req:${requestId}`;
  return `rec:${recordId}`;
}

/** A group's position in [0, 1): the first 48 bits of SHA-256(seed ‖ 0x00 ‖ group). */
export function splitPosition(seed: number, group: string): number {
  // The first 12 hex digits are those 48 bits (a hex digest is cheaper to get than a Buffer).
  return parseInt(hash('sha256', `${seed}\u0000${group}`, 'hex').slice(0, 12), 16) / 2 ** 48;
}

export function splitFor(seed: number, group: string, ratios: SplitRatios): SplitName {
  const u = splitPosition(seed, group);
  if (u < ratios.train) return 'train';
  if (u < ratios.train + ratios.validation) return 'validation';
  if (ratios.test > 0) return 'test';
  // Only reachable through rounding when test is 0: a split with ratio 0 never receives a row.
  return ratios.validation > 0 ? 'validation' : 'train';
}
