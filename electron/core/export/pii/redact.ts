/**
 * PII redaction for exported text: detected PII plus caller-supplied spans (e.g. reviewer or flag
 * PII spans, in Unicode code points) are replaced by typed placeholders such as `[EMAIL]`.
 */
import { codePointsToUtf16, detectPiiUtf16, hasAstral } from './detect.ts';

export interface ExtraSpan {
  /** Start offset in Unicode code points. */
  start: number;
  /** End offset (exclusive) in Unicode code points. */
  end: number;
  /** Placeholder type; `[PII]` when absent or blank. */
  type?: string;
}

export interface RedactionResult {
  text: string;
  /** Number of placeholders written. */
  replaced: number;
  /** Placeholders written, per type. */
  byType: Record<string, number>;
}

/** Placeholder for a type: `EMAIL` becomes `[EMAIL]`. */
export function placeholder(type: string): string {
  return `[${type}]`;
}

interface Span {
  start: number; // UTF-16
  end: number; // UTF-16
  type: string;
}

/**
 * Replace detected PII and `extraSpans` with typed placeholders. Overlapping spans are merged into
 * one placeholder whose type is that of the longest span in the group (ties: the earliest span,
 * detected before extra at equal starts).
 * Extra spans are clamped to the text; empty or inverted ones are ignored.
 */
export function redactText(text: string, extraSpans?: readonly ExtraSpan[]): RedactionResult {
  const detected = detectPiiUtf16(text);
  const hasExtra = extraSpans !== undefined && extraSpans.length > 0;
  if (detected.length === 0 && !hasExtra) return { text, replaced: 0, byType: {} };

  let spans: Span[] = detected as Span[];
  if (hasExtra) {
    spans = detected.slice() as Span[];
    const extra = toUtf16Spans(text, extraSpans);
    for (const e of extra) spans.push(e);
    // Stable sort: detected spans come first among equal starts, which makes them win ties.
    spans.sort((a, b) => a.start - b.start);
  }

  const byType: Record<string, number> = {};
  let replaced = 0;
  let out = '';
  let cursor = 0;
  let i = 0;
  while (i < spans.length) {
    const first = spans[i]!;
    let end = first.end;
    let best = first;
    let j = i + 1;
    while (j < spans.length && spans[j]!.start < end) {
      const s = spans[j]!;
      if (s.end > end) end = s.end;
      if (s.end - s.start > best.end - best.start) best = s;
      j++;
    }
    out += text.slice(cursor, first.start) + placeholder(best.type);
    byType[best.type] = (byType[best.type] ?? 0) + 1;
    replaced++;
    cursor = end;
    i = j;
  }
  out += text.slice(cursor);
  return { text: out, replaced, byType };
}

function toUtf16Spans(text: string, extraSpans: readonly ExtraSpan[]): Span[] {
  const valid: ExtraSpan[] = [];
  for (const e of extraSpans) {
    if (!Number.isFinite(e.start) || !Number.isFinite(e.end)) continue;
    const start = Math.max(0, Math.floor(e.start));
    const end = Math.floor(e.end);
    if (end > start) valid.push({ start, end, type: e.type });
  }
  const typeOf = (e: ExtraSpan): string => {
    const t = e.type?.trim();
    return t ? t : 'PII';
  };
  if (!hasAstral(text)) {
    const n = text.length;
    const out: Span[] = [];
    for (const e of valid) {
      const s = Math.min(e.start, n);
      const t = Math.min(e.end, n);
      if (t > s) out.push({ start: s, end: t, type: typeOf(e) });
    }
    return out;
  }
  // Convert all boundaries in one forward walk over the text.
  const points = new Array<number>(valid.length * 2);
  for (let k = 0; k < valid.length; k++) {
    points[2 * k] = valid[k]!.start;
    points[2 * k + 1] = valid[k]!.end;
  }
  const sorted = Array.from(new Set(points)).sort((a, b) => a - b);
  const mapped = codePointsToUtf16(text, sorted);
  const lookup = new Map<number, number>();
  for (let k = 0; k < sorted.length; k++) lookup.set(sorted[k]!, mapped[k]!);
  const out: Span[] = [];
  for (const e of valid) {
    const s = lookup.get(e.start)!;
    const t = lookup.get(e.end)!;
    if (t > s) out.push({ start: s, end: t, type: typeOf(e) });
  }
  return out;
}
