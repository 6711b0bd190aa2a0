import { useMemo } from 'react';
import { diffRows, diffWords } from '../lib/diff.ts';
import classes from './Diff.module.css';

/** A line diff with word-level changes inside replaced lines. */
export function LineDiff({ before, after, testId }: { before: string; after: string; testId?: string }) {
  const rows = useMemo(() => diffRows(before, after), [before, after]);
  const changed = rows.some((r) => r.op !== 'same');
  if (!changed) return <div className={classes.same}>No differences.</div>;
  return (
    <div className={classes.diff} data-testid={testId}>
      {rows.map((r, i) => (
        <div key={i} className={classes.row} data-op={r.op}>
          <span className={classes.no}>{r.oldNo ?? ''}</span>
          <span className={classes.no}>{r.newNo ?? ''}</span>
          <span className={classes.sign}>{r.op === 'add' ? '+' : r.op === 'del' ? '−' : ' '}</span>
          <span className={classes.text}>
            {r.pieces.map((p, j) =>
              p.op === 'same' ? (
                <span key={j}>{p.text}</span>
              ) : (
                <span key={j} className={classes.word} data-op={p.op}>
                  {p.text}
                </span>
              ),
            )}
          </span>
        </div>
      ))}
    </div>
  );
}

/** Inline word diff (for the corrected output). */
export function WordDiff({ before, after, testId }: { before: string; after: string; testId?: string }) {
  const ops = useMemo(() => diffWords(before, after), [before, after]);
  return (
    <div className={classes.inline} data-testid={testId}>
      {ops.map((o, i) =>
        o.op === 'same' ? (
          <span key={i}>{o.text}</span>
        ) : (
          <span key={i} className={classes.word} data-op={o.op}>
            {o.text}
          </span>
        ),
      )}
    </div>
  );
}
