/**
 * A validated record flattened to what the database writes: built where it is parsed (possibly
 * a worker thread), so only strings and numbers cross threads.
 */
import { PRIORITY_RANK, type EscalationRecord } from '../record/schema.ts';
import type { ItemSummary, PreparedRecord } from '../../../db/queries/ingest.ts';

// The row shapes the writer takes live with the writer in db/.
export type { ItemSummary, PreparedRecord };

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

