/**
 * The reviewer's span edits in the draft: add a span over picked text, move a flagged span's
 * bounds one character at a time, reject one. Offsets are code points, as in flag spans; the
 * core checks them again (electron/core/review/span-edits.ts).
 */
import type { ItemView, SpanEdit } from '../../electron/shared/contract.ts';
import { parseSpanField, type PlacedSpan } from '../lib/codepoints.ts';
import { peekItem } from '../item/queries.ts';
import { messageKey } from '../item/spans.ts';
import { useUi } from '../state/ui.ts';
import { useDrafts, type SpanPick } from './draft.ts';

type ItemRecord = ItemView['item']['record'];

export function messageText(record: ItemRecord, field: string): string | null {
  const where = parseSpanField(field);
  if (!where) return null;
  const list = where.side === 'input' ? record.input.messages : (record.output?.messages ?? []);
  return list[where.index]?.content ?? null;
}

const cpLength = (s: string) => Array.from(s).length;

/** The text a span covers, in code points. */
export function coveredText(record: ItemRecord, field: string, start: number, end: number): string {
  return Array.from(messageText(record, field) ?? '').slice(start, end).join('');
}

/** Where `query` occurs, output messages first: each occurrence in code points. */
export function findOccurrences(record: ItemRecord, query: string): SpanPick[] {
  if (!query) return [];
  const out: SpanPick[] = [];
  const scan = (side: 'output' | 'input', messages: { content: string }[]) =>
    messages.forEach((m, i) => {
      const lower = m.content.toLowerCase();
      const q = query.toLowerCase();
      for (let at = lower.indexOf(q); at >= 0 && out.length < 200; at = lower.indexOf(q, at + 1)) {
        const start = cpLength(m.content.slice(0, at));
        out.push({ field: `${side}.messages[${i}]`, start, end: start + cpLength(m.content.slice(at, at + q.length)) });
      }
    });
  scan('output', record.output?.messages ?? []);
  scan('input', record.input.messages);
  return out;
}

const isFlagEdit = (e: SpanEdit, flag: number, span: number) => e.op !== 'add' && e.flag === flag && e.span === span;

/** A flag's span as the draft has it: its bounds now, and whether it was moved or rejected. */
export function flagSpanNow(record: ItemRecord, edits: SpanEdit[], flag: number, span: number) {
  const s = record.flags[flag]!.spans[span]!;
  const edit = edits.find((e) => isFlagEdit(e, flag, span));
  if (edit?.op === 'adjust') return { field: s.field, start: edit.start, end: edit.end, state: 'adjusted' as const };
  return { field: s.field, start: s.start, end: s.end, state: edit?.op === 'reject' ? ('rejected' as const) : null };
}

/** The spans the item view draws, with the draft's edits applied; keyed by message. */
export function spansWithEdits(record: ItemRecord, edits: SpanEdit[], pick: SpanPick | null = null): Map<string, PlacedSpan[]> {
  const byMessage = new Map<string, PlacedSpan[]>();
  const put = (field: string, s: PlacedSpan) => {
    const where = parseSpanField(field);
    if (!where) return;
    const key = messageKey(where.side, where.index);
    byMessage.set(key, [...(byMessage.get(key) ?? []), s]);
  };
  record.flags.forEach((f, fi) =>
    f.spans.forEach((_, si) => {
      const now = flagSpanNow(record, edits, fi, si);
      put(now.field, { key: `${fi}:${si}`, flagIndex: fi, spanIndex: si, start: now.start, end: now.end, part: false, ...(now.state ? { state: now.state } : {}) });
    }),
  );
  edits.forEach((e, i) => {
    if (e.op === 'add') put(e.field, { key: `r:${i}`, flagIndex: -1, spanIndex: i, start: e.start, end: e.end, part: false, state: 'added', label: e.label });
  });
  // The text waiting for a label stays marked once the selection is gone (the label box has focus).
  if (pick) put(pick.field, { key: 'r:pick', flagIndex: -1, spanIndex: -1, start: pick.start, end: pick.end, part: false, state: 'picked' });
  return byMessage;
}

function withItem(fn: (itemId: string, record: ItemRecord, edits: SpanEdit[]) => Partial<{ spanEdits: SpanEdit[]; spanPick: SpanPick | null }> | null): void {
  const itemId = useUi.getState().selectedId;
  const record = itemId ? peekItem(itemId)?.item.record : undefined;
  if (!itemId || !record) return;
  const patch = fn(itemId, record, useDrafts.getState().drafts[itemId]?.spanEdits ?? []);
  if (patch) useDrafts.getState().update(itemId, patch);
}

/** Text picked in a message (mouse selection or the finder), waiting for its label. */
export function pickSpan(pick: SpanPick | null): void {
  withItem(() => ({ spanPick: pick }));
}

/** Marks the picked text as a span with `label`. */
export function addPickedSpan(label: string): boolean {
  let added = false;
  withItem((itemId, _record, edits) => {
    const pick = useDrafts.getState().drafts[itemId]?.spanPick;
    if (!pick || !label.trim() || pick.end <= pick.start) return null;
    if (edits.some((e) => e.op === 'add' && e.field === pick.field && e.start === pick.start && e.end === pick.end && e.label === label)) return null;
    added = true;
    return { spanEdits: [...edits, { op: 'add', ...pick, label }], spanPick: null };
  });
  return added;
}

export function removeAddedSpan(index: number): void {
  withItem((_id, _r, edits) => ({ spanEdits: edits.filter((_, i) => i !== index) }));
}

/** Rejects a flag's span, or takes the rejection (or the move) back. */
export function toggleRejectSpan(flag: number, span: number): void {
  withItem((_id, _r, edits) => {
    const had = edits.find((e) => isFlagEdit(e, flag, span));
    const rest = edits.filter((e) => !isFlagEdit(e, flag, span));
    return { spanEdits: had?.op === 'reject' ? rest : [...rest, { op: 'reject', flag, span }] };
  });
}

export function resetFlagSpan(flag: number, span: number): void {
  withItem((_id, _r, edits) => ({ spanEdits: edits.filter((e) => !isFlagEdit(e, flag, span)) }));
}

/** Moves one edge of a flag's span (or of the picked text) by one code point, inside its message. */
export function nudgeSpan(target: { flag: number; span: number } | 'pick', edge: 'start' | 'end', step: 1 | -1): void {
  withItem((itemId, record, edits) => {
    const cur = target === 'pick' ? useDrafts.getState().drafts[itemId]?.spanPick : flagSpanNow(record, edits, target.flag, target.span);
    if (!cur) return null;
    const len = cpLength(messageText(record, cur.field) ?? '');
    const start = edge === 'start' ? cur.start + step : cur.start;
    const end = edge === 'end' ? cur.end + step : cur.end;
    if (start < 0 || end > len || start >= end) return null;
    if (target === 'pick') return { spanPick: { field: cur.field, start, end } };
    const orig = record.flags[target.flag]!.spans[target.span]!;
    const rest = edits.filter((e) => !isFlagEdit(e, target.flag, target.span));
    return { spanEdits: start === orig.start && end === orig.end ? rest : [...rest, { op: 'adjust', flag: target.flag, span: target.span, start, end }] };
  });
}
