/**
 * Span review: a reviewer adds a span, moves a flagged span's bounds or rejects it. Offsets are
 * Unicode code points into the judged revision's message, as detector spans are (record/schema.ts),
 * so an edit lands on the same characters whatever the transport's string encoding. One definition
 * of the checks and of the canonical form that the row, the audit event and the export share.
 */
import type { SpanEdit } from '../../../db/queries/verdicts.ts';
import type { SpanTarget } from '../../../db/queries/span-edits.ts';
import { UserError } from '../util/errors.ts';

const bad = (msg: string): never => {
  throw new UserError(msg, 'invalid_span_edit');
};

/** "output" means output.messages[0], as in flag spans. */
function messageText(target: SpanTarget, field: string): string | null {
  const m = /^(input|output)(?:\.messages\[(\d+)\])?$/.exec(field);
  if (!m) return null;
  const list = (m[1] === 'input' ? target.input : target.output)?.messages ?? [];
  return list[m[2] === undefined ? 0 : Number(m[2])]?.content ?? null;
}

const cpLength = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

function checkBounds(start: number, end: number, text: string, where: string): void {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start) bad(`${where}: a span needs 0 ≤ start < end (got ${start}–${end})`);
  const len = cpLength(text);
  if (end > len) bad(`${where}: the span ends at ${end} but the message has ${len} characters`);
}

const opRank = { adjust: 0, reject: 0, add: 1 } as const;

function compare(a: SpanEdit, b: SpanEdit): number {
  if (a.op !== 'add' && b.op !== 'add') return a.flag - b.flag || a.span - b.span;
  if (a.op === 'add' && b.op === 'add') return a.field < b.field ? -1 : a.field > b.field ? 1 : a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
  return opRank[a.op] - opRank[b.op];
}

/** Keys in canonical (RFC 8785) order, as the audit event stores them: audit verify compares texts. */
function canonical(e: SpanEdit): SpanEdit {
  switch (e.op) {
    case 'add':
      return { end: e.end, field: e.field, label: e.label, op: 'add', start: e.start } as SpanEdit;
    case 'adjust':
      return { end: e.end, flag: e.flag, op: 'adjust', span: e.span, start: e.start } as SpanEdit;
    default:
      return { flag: e.flag, op: 'reject', span: e.span } as SpanEdit;
  }
}

/** Checks every edit against the judged revision and returns them canonical and sorted; throws a one-line UserError. */
export function checkSpanEdits(target: SpanTarget | null, edits: SpanEdit[] | undefined): SpanEdit[] {
  if (!edits || edits.length === 0) return [];
  if (!target) bad('the judged revision is missing');
  const seen = new Set<string>();
  for (const e of edits) {
    if (e.op === 'add') {
      const text = messageText(target!, e.field);
      if (text === null) bad(`added span: no message ${e.field} in this revision`);
      checkBounds(e.start, e.end, text!, `added span in ${e.field}`);
      if (e.label.trim() === '') bad('an added span needs a label');
      const key = `add:${e.field}:${e.start}:${e.end}:${e.label}`;
      if (seen.has(key)) bad(`the span ${e.field} ${e.start}–${e.end} "${e.label}" is added twice`);
      seen.add(key);
      continue;
    }
    const span = target!.flags?.[e.flag]?.spans?.[e.span];
    const name = `flag ${e.flag + 1} span ${e.span + 1}`;
    if (!span) bad(`${name} does not exist in this revision`);
    const key = `${e.flag}:${e.span}`;
    if (seen.has(key)) bad(`${name} is adjusted or rejected twice; give one edit per span`);
    seen.add(key);
    if (e.op === 'adjust') {
      const text = messageText(target!, span!.field);
      if (text === null) bad(`${name} points at ${span!.field}, which this revision does not have`);
      checkBounds(e.start, e.end, text!, name);
      if (e.start === span!.start && e.end === span!.end) bad(`${name}: the new bounds are the old ones`);
    }
  }
  return edits.map(canonical).sort(compare);
}

/** A message's text sliced in code points (what a span covers). */
export function spanCover(text: string, start: number, end: number): string {
  return Array.from(text).slice(start, end).join('');
}
