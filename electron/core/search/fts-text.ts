/**
 * What the full-text index holds for an item: its input and output message text, and `extra`
 * (its source id, each flag's source, policy, category and reason, evidence titles, and the
 * provenance ids a reviewer searches by: request, trace, conversation and response id).
 * Built in JS from the stored record, so a reader thread can do it beside the writer.
 */
import { PROVENANCE_IDS } from '../../../db/queries/items.ts';
import type { EscalationRecord } from '../record/schema.ts';

export interface FtsRow {
  seq: number;
  input: string;
  output: string;
  extra: string;
}

const join = (messages: { content?: unknown }[] | undefined, sep: string): string =>
  (messages ?? []).map((m) => (typeof m.content === 'string' ? m.content : '')).join(sep);

export function ftsRow(seq: number, externalId: string, recordJson: string): FtsRow {
  const r = JSON.parse(recordJson) as Partial<EscalationRecord>;
  const flags = (r.flags ?? []).map((f) => [f.source, f.policy, f.category, f.reason].filter((x) => typeof x === 'string').join(' '));
  const titles = (r.evidence ?? []).map((e) => (typeof e.title === 'string' ? e.title : ''));
  const p = (r.provenance ?? {}) as Record<string, unknown>;
  const ids = PROVENANCE_IDS.map((k) => p[k]).filter((x): x is string => typeof x === 'string');
  return {
    seq,
    input: join(r.input?.messages, '\n'),
    output: join(r.output?.messages, '\n'),
    extra: [externalId, flags.join(' '), titles.join(' '), ...ids].join(' '),
  };
}

