/**
 * Flag spans are counted in Unicode code points; JavaScript strings in UTF-16 units. Everything
 * that slices message text for highlighting goes through here.
 */

export interface PlacedSpan {
  /** Stable key of the span: `${flagIndex}:${spanIndex}`. */
  key: string;
  flagIndex: number;
  spanIndex: number;
  start: number;
  end: number;
  /** True when this piece is part of a span split by a crossing overlap. */
  part: boolean;
  /** The reviewer's edit in the draft: a span added, or a flag's span moved or rejected. */
  state?: 'added' | 'adjusted' | 'rejected' | 'picked';
  /** An added span's label (a flag's span keeps the label in its flag). */
  label?: string;
}

export type SpanNode =
  | { kind: 'text'; text: string; from: number }
  | { kind: 'mark'; span: PlacedSpan; children: SpanNode[] };

/** Orders outer spans first: earlier start, then longer. */
function order(a: PlacedSpan, b: PlacedSpan): number {
  return a.start - b.start || b.end - b.start - (a.end - a.start) || a.flagIndex - b.flagIndex || a.spanIndex - b.spanIndex;
}

/**
 * Builds a tree of text and highlight nodes. Nested spans nest; when two spans cross, the shorter
 * one is split in two pieces (both marked `part`), so every element stays well formed and the
 * longer span keeps one element.
 */
export function buildSpanTree(cps: readonly string[], spans: readonly PlacedSpan[]): SpanNode[] {
  const text = (from: number, to: number): SpanNode => ({ kind: 'text', text: cps.slice(from, to).join(''), from });
  const build = (list: PlacedSpan[], from: number, to: number): SpanNode[] => {
    const nodes: SpanNode[] = [];
    let queue = [...list].sort(order);
    let pos = from;
    while (queue.length > 0) {
      let s = queue.shift()!;
      // A longer span crossing this one's end stays whole: this one is cut where it begins.
      for (;;) {
        const cur = s;
        const longer = queue.find((t) => t.start > cur.start && t.start < cur.end && t.end > cur.end && t.end - t.start > cur.end - cur.start);
        if (!longer) break;
        queue.push({ ...cur, start: longer.start, part: true });
        s = { ...cur, end: longer.start, part: true };
      }
      queue.sort(order);
      if (s.start > pos) nodes.push(text(pos, s.start));
      const inner: PlacedSpan[] = [];
      const rest: PlacedSpan[] = [];
      for (const t of queue) {
        if (t.start >= s.end) rest.push(t);
        else if (t.end <= s.end) inner.push(t);
        else {
          inner.push({ ...t, end: s.end, part: true });
          rest.push({ ...t, start: s.end, part: true });
        }
      }
      nodes.push({ kind: 'mark', span: s, children: build(inner, s.start, s.end) });
      pos = Math.max(pos, s.end);
      queue = rest.sort(order);
    }
    if (pos < to) nodes.push(text(pos, to));
    return nodes;
  };
  return build([...spans], 0, cps.length);
}

/** Clamps a span to the text; reports whether it had to be clamped. */
export function clampSpan(start: number, end: number, length: number): { start: number; end: number; clamped: boolean } {
  const s = Math.min(Math.max(0, start), length);
  const e = Math.min(Math.max(s, end), length);
  return { start: s, end: e, clamped: s !== start || e !== end };
}

/** Where a span's `field` points: "output" means output.messages[0]. */
export function parseSpanField(field: string): { side: 'input' | 'output'; index: number } | null {
  const m = /^(input|output)(?:\.messages\[(\d+)\])?$/.exec(field.trim());
  if (!m) return null;
  return { side: m[1] as 'input' | 'output', index: m[2] === undefined ? 0 : Number(m[2]) };
}

/** Code points in a DOM fragment; a marked hidden character (lib/Shown.tsx) stands for one. */
function countCodePoints(node: Node): number {
  if (node.nodeType === Node.TEXT_NODE) {
    let n = 0;
    for (const _ of (node as Text).data) n++;
    return n;
  }
  if (node instanceof Element && node.classList.contains('hidden-char')) return 1;
  let n = 0;
  for (let c = node.firstChild; c; c = c.nextSibling) n += countCodePoints(c);
  return n;
}

/**
 * The code-point offset of a DOM position (a selection end) in a message's rendered text: the
 * text from the container's start to the position, counted in code points. UTF-16 offsets would
 * put a span after an emoji two characters late.
 */
export function codePointOffsetIn(container: Node, node: Node, offset: number): number {
  const r = document.createRange();
  r.setStart(container, 0);
  r.setEnd(node, offset);
  return countCodePoints(r.cloneContents());
}
