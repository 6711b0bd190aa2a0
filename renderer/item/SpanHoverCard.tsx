import { Shown } from '../lib/Shown.tsx';
import { Portal } from '@mantine/core';
import { useCallback } from 'react';
import { formatScore } from '../lib/format.ts';
import type { Flag } from './spans.ts';
import classes from './SpanHoverCard.module.css';

const WIDTH = 360;
const MARGIN = 8;
/** Past this many overlapping spans the card lists the first few and counts the rest. */
const MAX_ENTRIES = 4;

/**
 * What a highlighted span is: its flag's source, category, score, reason and the span label.
 * The card is measured once drawn and placed on the side of the span with more room, then
 * clamped, so however many spans overlap it never leaves the viewport.
 */
export function SpanHoverCard({ rect, keys, flags }: { rect: DOMRect; keys: string[]; flags: Flag[] }) {
  const left = Math.max(MARGIN, Math.min(rect.left, window.innerWidth - WIDTH - MARGIN));
  const shown = keys.slice(0, MAX_ENTRIES);
  const reasonChars = keys.length > 1 ? 120 : 400;
  // A callback ref: the Portal mounts the card after this component renders, and the card is
  // placed by its own drawn height (a new span under the pointer makes a new callback).
  const place = useCallback(
    (node: HTMLDivElement | null) => {
      if (!node) return;
      const h = node.offsetHeight;
      const below = window.innerHeight - rect.bottom;
      const want = below >= h + 6 + MARGIN || below >= rect.top ? rect.bottom + 6 : rect.top - 6 - h;
      node.style.top = `${Math.max(MARGIN, Math.min(want, window.innerHeight - h - MARGIN))}px`;
      node.style.visibility = 'visible';
    },
    [rect],
  );
  return (
    <Portal>
      <div
        ref={place}
        className={classes.card}
        style={{ left, top: 0, width: WIDTH, maxHeight: `calc(100vh - ${2 * MARGIN}px)`, visibility: 'hidden' }}
        role="tooltip"
        data-testid="span-card"
      >
        {shown.map((key) => {
          const [fi, si] = key.split(':').map(Number) as [number, number];
          const flag = flags[fi];
          const span = flag?.spans[si];
          if (!flag || !span) return null;
          const reason = flag.reason && flag.reason.length > reasonChars ? `${flag.reason.slice(0, reasonChars)}…` : flag.reason;
          return (
            <div key={key} className={classes.entry}>
              <div className={classes.head}>
                <span className={classes.label}>{span.label ? <Shown text={span.label} /> : 'Flagged span'}</span>
                {flag.score != null && <span className={classes.score}>{formatScore(flag.score)}</span>}
              </div>
              <dl className={classes.rows}>
                <dt>Source</dt>
                <dd>
                  <Shown text={flag.source} />
                </dd>
                {flag.category && (
                  <>
                    <dt>Category</dt>
                    <dd>
                      <Shown text={flag.category} />
                    </dd>
                  </>
                )}
                {flag.policy && (
                  <>
                    <dt>Policy</dt>
                    <dd>
                      <Shown text={flag.policy} />
                    </dd>
                  </>
                )}
                <dt>Span</dt>
                <dd className={classes.mono}>
                  {span.field} [{span.start}, {span.end})
                </dd>
              </dl>
              {reason && <div className={classes.reason}>
                  <Shown text={reason} />
                </div>}
            </div>
          );
        })}
        {keys.length > shown.length && (
          <div className={classes.more}>
            +{keys.length - shown.length} more flag{keys.length - shown.length === 1 ? '' : 's'} on these characters (Flags tab)
          </div>
        )}
      </div>
    </Portal>
  );
}
