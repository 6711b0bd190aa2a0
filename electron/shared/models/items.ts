/**
 * Items as the UI and the CLI see them: plain model types (GitHub Desktop's app/src/models).
 * db/ returns its own row types; the handlers' return types check that those rows fit these
 * models, so renaming a column alias in db/ fails the typecheck instead of changing the UI.
 */
import type { z } from 'zod';
import type { cursorSchema, statusSchema } from '../contract.ts';
import type { EscalationRecord } from './record.ts';

export type ItemStatus = z.infer<typeof statusSchema>;

/** Position in queue order (see db/queries/items.ts queuePage). */
export type Cursor = z.infer<typeof cursorSchema>;

export interface QueueRow {
  seq: number;
  id: string;
  externalId: string;
  sourceId: string;
  createdAt: string;
  /** createdAt as epoch milliseconds (the queue order key). */
  createdMs: number;
  priority: number;
  riskTier: string | null;
  route: string;
  status: ItemStatus;
  revision: number;
  flagCount: number;
  topFlagSource: string | null;
  topFlagCategory: string | null;
  topFlagPolicy: string | null;
  topFlagScore: number | null;
  model: string | null;
  snippet: string;
}

/** A row of `queue.page`: `masked` says why the item opens masked (then `snippet` is empty), or null. */
export interface QueuePageRow extends QueueRow {
  masked: string | null;
}

export interface RevisionRow {
  id: string;
  revision: number;
  contentSha256: string;
  sourceFile: string | null;
  line: number | null;
  ingestedAt: string;
  record: EscalationRecord;
}

/** An item with its record parsed as an escalation record and every revision. */
export interface ItemDetail extends QueueRow {
  ingestedAt: string;
  sourceName: string;
  sourceUri: string;
  record: EscalationRecord;
  revisions: RevisionRow[];
}

export interface Facets {
  routes: string[];
  models: string[];
  flagCategories: string[];
  flagPolicies: string[];
  deployments: string[];
}

export interface QuarantineRow {
  seq: number;
  id: string;
  sourceId: string | null;
  file: string;
  line: number;
  byteOffset: number;
  error: string;
  jsonPath: string;
  raw: string;
  rawBytes: number;
  rawSha256: string;
  createdAt: string;
}
