import { Shown } from '../lib/Shown.tsx';
import { memo } from 'react';
import type { QueuePageRow as QueueRow } from '../../electron/shared/contract.ts';
import { formatScore, PRIORITY_COLOR, PRIORITY_LABEL, PRIORITY_SHORT, scoreColor, STATUS_COLOR, STATUS_LABEL } from '../lib/format.ts';
import { ageLevel, formatDateTime, relativeAge } from '../lib/time.ts';
import classes from './Queue.module.css';

export const ROW_HEIGHT = 78;

interface Props {
  row: QueueRow;
  selected: boolean;
  now: number;
  /** Takes the id only: a row's index shifts whenever a row above it leaves the list. */
  onSelect(id: string): void;
}

/** One queue row; memoised, so scrolling and paging re-render only rows whose props changed. */
export const QueueRowView = memo(function QueueRowView({ row, selected, now, onSelect }: Props) {
  const p = Math.min(Math.max(row.priority, 0), 3);
  const level = ageLevel(row.createdAt, now);
  return (
    <div
      role="option"
      aria-selected={selected}
      tabIndex={-1}
      className={classes.row}
      data-selected={selected || undefined}
      data-testid="queue-row"
      data-id={row.id}
      data-status={row.status}
      onClick={() => onSelect(row.id)}
    >
      <div className={classes.line1}>
        <span className={classes.prio} data-p={p} style={{ ['--prio' as string]: `var(--mantine-color-${PRIORITY_COLOR[p]}-6)` }} title={PRIORITY_LABEL[p]}>
          {PRIORITY_SHORT[p]}
        </span>
        <span className={classes.route}>
          <Shown text={row.route} />
        </span>
        <span
          className={classes.status}
          style={{ ['--status' as string]: `var(--mantine-color-${STATUS_COLOR[row.status] ?? 'gray'}-6)` }}
          data-testid="queue-row-status"
        >
          {STATUS_LABEL[row.status] ?? row.status}
        </span>
        <span className={classes.spacer} />
        <span className={classes.age} data-level={level} data-testid="queue-row-age" title={formatDateTime(row.createdAt)}>
          {relativeAge(row.createdAt, now)}
        </span>
      </div>
      <div className={classes.line2}>
        {row.topFlagCategory ? (
          <span className={classes.flag}>
            <span className={`${classes.flagName} truncate`}>
              <Shown text={row.topFlagCategory} />
            </span>
            <span className={classes.score} style={{ ['--score' as string]: `var(--mantine-color-${scoreColor(row.topFlagScore)}-7)` }}>
              {formatScore(row.topFlagScore)}
            </span>
          </span>
        ) : (
          <span className={classes.noflag}>no flags</span>
        )}
        {row.flagCount > 1 && <span className={classes.more}>+{row.flagCount - 1}</span>}
        <span className={classes.spacer} />
        <span className={`${classes.model} truncate`}>{row.model ? <Shown text={row.model} /> : '—'}</span>
      </div>
      {row.masked ? (
        // The core sends no snippet for a masked item (electron/core/review/masking.ts): say why, not what.
        <div className={`${classes.snippet} ${classes.maskedSnippet} truncate`} data-testid="queue-row-masked">
          Masked: <Shown text={row.masked} />
        </div>
      ) : (
        <div className={`${classes.snippet} truncate`}>
          <Shown text={row.snippet} />
        </div>
      )}
    </div>
  );
});
