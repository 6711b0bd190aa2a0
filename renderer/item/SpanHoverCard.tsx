import { Shown } from '../lib/Shown.tsx';
import { Portal } from '@mantine/core';
import { formatScore } from '../lib/format.ts';
import type { Flag } from './spans.ts';
import classes from './SpanHoverCard.module.css';

const WIDTH = 360;

/** What a highlighted span is: its flag's source, category, score, reason and the span label. */
export function SpanHoverCard({ rect, keys, flags }: { rect: DOMRect; keys: string[]; flags: Flag[] }) {
  const above = rect.top > 260;
  const left = Math.max(8, Math.min(rect.left, window.innerWidth - WIDTH - 8));
  const style = above
    ? { left, top: rect.top - 6, transform: 'translateY(-100%)' }
    : { left, top: rect.bottom + 6 };
  return (
    <Portal>
      <div className={classes.card} style={{ ...style, width: WIDTH }} role="tooltip" data-testid="span-card">
        {keys.map((key) => {
          const [fi, si] = key.split(':').map(Number) as [number, number];
          const flag = flags[fi];
          const span = flag?.spans[si];
          if (!flag || !span) return null;
          const reason = flag.reason && flag.reason.length > 400 ? `${flag.reason.slice(0, 400)}…` : flag.reason;
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
      </div>
    </Portal>
  );
}
