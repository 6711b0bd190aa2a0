/** Groups the flags' spans by the message they point into. */
import type { ItemView } from '../../electron/shared/contract.ts';
import { parseSpanField, type PlacedSpan } from '../lib/codepoints.ts';

export type Flag = ItemView['item']['record']['flags'][number];

export const messageKey = (side: 'input' | 'output', index: number) => `${side}:${index}`;

export interface SpanIndex {
  byMessage: Map<string, PlacedSpan[]>;
  /** Spans whose field names no message of the record. */
  unplaced: { flagIndex: number; spanIndex: number; field: string }[];
}

export function indexSpans(record: ItemView['item']['record']): SpanIndex {
  const byMessage = new Map<string, PlacedSpan[]>();
  const unplaced: SpanIndex['unplaced'] = [];
  record.flags.forEach((flag, flagIndex) => {
    (flag.spans ?? []).forEach((span, spanIndex) => {
      const where = parseSpanField(span.field);
      const messages = where ? (where.side === 'input' ? record.input.messages : (record.output?.messages ?? [])) : [];
      if (!where || where.index >= messages.length) {
        unplaced.push({ flagIndex, spanIndex, field: span.field });
        return;
      }
      const key = messageKey(where.side, where.index);
      const list = byMessage.get(key) ?? [];
      list.push({ key: `${flagIndex}:${spanIndex}`, flagIndex, spanIndex, start: span.start, end: span.end, part: false });
      byMessage.set(key, list);
    });
  });
  return { byMessage, unplaced };
}

/** The exact text a span covers (code points), for the flags panel. */
export function spanText(record: ItemView['item']['record'], field: string, start: number, end: number): string | null {
  const where = parseSpanField(field);
  if (!where) return null;
  const messages = where.side === 'input' ? record.input.messages : (record.output?.messages ?? []);
  const m = messages[where.index];
  if (!m) return null;
  return Array.from(m.content).slice(start, end).join('');
}
