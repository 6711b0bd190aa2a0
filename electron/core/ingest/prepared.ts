/**
 * A validated record flattened to what the database writes: built where it is parsed (possibly
 * a worker thread), so only strings and numbers cross threads.
 */
import { PRIORITY_RANK, type EscalationRecord } from '../record/schema.ts';

export interface ItemSummary {
  priority: number;
  riskTier: string | null;
  route: string;
  flagCount: number;
  topFlagSource: string | null;
  topFlagCategory: string | null;
  topFlagPolicy: string | null;
  topFlagScore: number | null;
  model: string | null;
  snippet: string;
}

const SNIPPET_CHARS = 240;

export function summarize(record: EscalationRecord): ItemSummary {
  let top = record.flags[0];
  for (const f of record.flags) if ((f.score ?? -1) > (top?.score ?? -1)) top = f;
  const p = record.provenance;
  const model = (p['gen_ai.response.model'] ?? p['gen_ai.request.model'] ?? null) as string | null;
  const text =
    record.output?.messages.map((m) => m.content).join(' ') ??
    record.input.messages.filter((m) => m.role === 'user').at(-1)?.content ??
    '';
  return {
    priority: PRIORITY_RANK[record.priority],
    riskTier: record.risk_tier ?? null,
    route: record.route,
    flagCount: record.flags.length,
    topFlagSource: top?.source ?? null,
    topFlagCategory: top?.category ?? null,
    topFlagPolicy: top?.policy ?? null,
    topFlagScore: top?.score ?? null,
    model,
    // Sliced first: a long output would otherwise be whitespace-collapsed in full for 240 chars.
    snippet: text.slice(0, SNIPPET_CHARS * 4).replace(/\s+/g, ' ').trim().slice(0, SNIPPET_CHARS),
  };
}

/** RFC 3339 with any offset → UTC `Z` form, so text order is time order. */
export function toUtc(ts: string): string {
  return new Date(ts).toISOString();
}

export interface PreparedRecord {
  externalId: string;
  /** created_at in UTC `Z` form, so text order is time order. */
  createdAt: string;
  createdMs: number;
  /** extKey(externalId), computed where the record is parsed. */
  extKey: number;
  /** The normalized record's JSON text, UTF-8 encoded (bound as text by the writer). */
  json: Uint8Array;
  contentSha256: string;
  summary: ItemSummary;
}
