import { Shown } from '../lib/Shown.tsx';
import { useMemo, useState, type MouseEvent, type ReactNode } from 'react';
import { buildSpanTree, clampSpan, type PlacedSpan, type SpanNode } from '../lib/codepoints.ts';
import { scoreColor } from '../lib/format.ts';
import { SpanHoverCard } from './SpanHoverCard.tsx';
import type { Flag } from './spans.ts';
import classes from './Item.module.css';

interface Props {
  text: string;
  spans: PlacedSpan[];
  flags: Flag[];
}

interface Hover {
  rect: DOMRect;
  /** Span keys under the pointer, innermost first. */
  keys: string[];
}

/**
 * Message text with every flagged span highlighted at its code-point offsets. One hover card
 * for the whole message lists every span under the pointer (overlaps included).
 */
export function HighlightedText({ text, spans, flags }: Props) {
  const tree = useMemo(() => {
    const cps = Array.from(text);
    const placed = spans.map((s) => ({ ...s, ...clampSpan(s.start, s.end, cps.length) }));
    return buildSpanTree(cps, placed);
  }, [text, spans]);
  const [hover, setHover] = useState<Hover | null>(null);

  const onOver = (e: MouseEvent<HTMLSpanElement>) => {
    const mark = (e.target as Element).closest('mark[data-span-key]');
    if (!mark || !e.currentTarget.contains(mark)) {
      setHover(null);
      return;
    }
    const keys: string[] = [];
    for (let el: Element | null = mark; el && el !== e.currentTarget; el = el.parentElement) {
      const key = el.getAttribute('data-span-key');
      // The card describes flags' spans; a span the reviewer added has no flag to show.
      if (key && !key.startsWith('r:') && !keys.includes(key)) keys.push(key);
    }
    if (keys.length === 0) {
      setHover(null);
      return;
    }
    setHover((h) => (h && h.keys.join() === keys.join() ? h : { rect: mark.getBoundingClientRect(), keys }));
  };

  return (
    <span onMouseOver={onOver} onMouseLeave={() => setHover(null)} onWheel={() => setHover(null)}>
      {renderNodes(tree, flags)}
      {hover && <SpanHoverCard rect={hover.rect} keys={hover.keys} flags={flags} />}
    </span>
  );
}

function renderNodes(nodes: SpanNode[], flags: Flag[]): ReactNode[] {
  return nodes.map((n, i) => {
    if (n.kind === 'text') return <Shown key={`t${n.from}`} text={n.text} />;
    const flag = flags[n.span.flagIndex];
    const span = flag?.spans[n.span.spanIndex];
    return (
      <mark
        key={`${n.span.key}-${n.span.start}-${i}`}
        className={classes.hl}
        data-color={scoreColor(flag?.score)}
        data-testid="span-highlight"
        data-span-key={n.span.key}
        data-span-label={n.span.label ?? span?.label ?? ''}
        data-state={n.span.state}
        data-flag-source={flag?.source ?? ''}
        data-part={n.span.part || undefined}
        data-empty={n.span.start === n.span.end || undefined}
      >
        {renderNodes(n.children, flags)}
      </mark>
    );
  });
}
