/**
 * Hand-made bars (a few divs each): every bar and segment is a button that drills down to the
 * items behind it, which a canvas or SVG chart library would make harder to reach and to test.
 */
import { Text, Tooltip, UnstyledButton } from '@mantine/core';
import type { MetricCell } from '../../electron/shared/contract.ts';
import { formatCount } from '../lib/format.ts';
import { useUi } from '../state/ui.ts';
import { pct } from './format.ts';
import classes from './Dashboard.module.css';

export interface RateBar {
  key: string;
  rate: number | null;
  lo: number | null;
  hi: number | null;
  /** The items the bar stands for (its drill-down count). */
  count: number;
  of: number;
  cell: MetricCell;
  flagged?: boolean;
}

/** Horizontal rate bars with their 95 % interval; the count behind each is what a click lists. */
export function RateBars({ rows, color, what, testId }: { rows: RateBar[]; color: string; what: string; testId: string }) {
  const drillDown = useUi((s) => s.drillDown);
  if (rows.length === 0)
    return (
      <Text size="xs" c="dimmed">
        No reviewed items in this scope.
      </Text>
    );
  return (
    <div data-testid={testId}>
      {rows.map((r) => (
        <UnstyledButton
          key={r.key}
          className={classes.barRow}
          onClick={() => drillDown(r.cell, `${what} · ${r.key}`)}
          data-testid="bar"
          data-label={r.key}
          data-value={r.count}
          aria-label={`${r.key}: ${pct(r.rate)} (${r.count} of ${r.of}); show these items`}
        >
          <Text size="xs" className="truncate" title={r.key} fw={r.flagged ? 650 : 400} c={r.flagged ? 'red' : undefined}>
            {r.key}
          </Text>
          <span className={classes.track}>
            <span className={classes.fill} style={{ width: `${100 * (r.rate ?? 0)}%`, background: `var(--mantine-color-${color}-6)` }} />
            {r.lo !== null && r.hi !== null && <span className={classes.whisker} style={{ left: `${100 * r.lo}%`, width: `${100 * (r.hi - r.lo)}%` }} />}
          </span>
          <span className={classes.num}>
            {pct(r.rate)}{' '}
            <Text span size="xs" c="dimmed">
              {formatCount(r.count)}/{formatCount(r.of)}
            </Text>
          </span>
        </UnstyledButton>
      ))}
    </div>
  );
}

export interface DaySegments {
  day: string;
  values: Record<'violation' | 'dismiss' | 'escalate' | 'open', number>;
}

export const SEGMENTS = [
  { key: 'violation', label: 'Violation', color: 'red' },
  { key: 'dismiss', label: 'Dismissed', color: 'teal' },
  { key: 'escalate', label: 'Escalated', color: 'violet' },
  { key: 'open', label: 'Open', color: 'gray' },
] as const;

/** Escalations per day, stacked by outcome. */
export function DailyColumns({ days, base }: { days: DaySegments[]; base: MetricCell }) {
  const drillDown = useUi((s) => s.drillDown);
  const max = Math.max(1, ...days.map((d) => Object.values(d.values).reduce((a, b) => a + b, 0)));
  return (
    <div>
      <div className={classes.legend}>
        {SEGMENTS.map((s) => (
          <span key={s.key}>
            <span className={classes.swatch} style={{ background: `var(--mantine-color-${s.color}-6)` }} />
            {s.label}
          </span>
        ))}
      </div>
      <div className={classes.columns} data-testid="daily-chart">
        {days.map((d) => (
          <div key={d.day} className={classes.column}>
            {SEGMENTS.map((s) =>
              d.values[s.key] > 0 ? (
                <Tooltip key={s.key} label={`${d.day} · ${s.label}: ${formatCount(d.values[s.key])}`} openDelay={150}>
                  <button
                    type="button"
                    className={classes.segment}
                    style={{ height: `${(100 * d.values[s.key]) / max}%`, background: `var(--mantine-color-${s.color}-6)` }}
                    onClick={() => drillDown({ ...base, day: d.day, state: [s.key] }, `${d.day} · ${s.label}`)}
                    data-testid="day-segment"
                    data-value={d.values[s.key]}
                    aria-label={`${d.day} ${s.label}: ${d.values[s.key]}; show these items`}
                  />
                </Tooltip>
              ) : null,
            )}
          </div>
        ))}
      </div>
      <div className={classes.axis}>
        <span>{days[0]?.day ?? ''}</span>
        <span>{days[days.length - 1]?.day ?? ''}</span>
      </div>
    </div>
  );
}
