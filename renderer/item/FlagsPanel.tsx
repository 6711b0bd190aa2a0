import { Shown } from '../lib/Shown.tsx';
import { visibleString } from '../lib/hidden-chars.ts';
import { Badge, Button, Progress, Text } from '@mantine/core';
import type { ItemView } from '../../electron/shared/contract.ts';
import { formatScore, scoreColor } from '../lib/format.ts';
import { useUi } from '../state/ui.ts';
import { indexSpans, spanText } from './spans.ts';
import classes from './Item.module.css';

function revealSpan(key: string) {
  useUi.getState().setMarkdown(false);
  useUi.getState().setItemTab('conversation');
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      const el = document.querySelector(`[data-span-key="${CSS.escape(key)}"]`);
      if (el instanceof HTMLElement) {
        el.scrollIntoView({ block: 'center' });
        el.setAttribute('data-flash', '');
        setTimeout(() => el.removeAttribute('data-flash'), 1200);
      }
    }),
  );
}

export function FlagsPanel({ view }: { view: ItemView }) {
  const record = view.item.record;
  const { unplaced } = indexSpans(record);
  if (record.flags.length === 0) return <Empty text="No flags on this item." />;
  return (
    <div className={classes.cards} data-testid="flags-panel">
      {record.flags.map((f, i) => (
        <div key={i} className={classes.card} data-testid="flag-card">
          <div className={classes.cardHead}>
            <span className={`${classes.cardTitle} ${classes.clamp2}`} title={f.category ? visibleString(f.category) : undefined}>
              {f.category ? <Shown text={f.category} /> : 'Uncategorised'}
            </span>
            <span className={classes.spacer} />
            <Badge size="xs" variant="light" color="gray" className={classes.badgeText}>
              <Shown text={f.source} />
            </Badge>
          </div>
          <div className={classes.scoreRow}>
            <Progress value={(f.score ?? 0) * 100} color={scoreColor(f.score)} size="sm" radius="xs" className={classes.scoreBar} aria-label="score" />
            <span className={classes.scoreNum}>{formatScore(f.score)}</span>
          </div>
          <dl className="kv">
            <dt>Source</dt>
            <dd>
              <Shown text={f.source} />
            </dd>
            <dt>Policy</dt>
            <dd>{f.policy ? <Shown text={f.policy} /> : '—'}</dd>
            <dt>Category</dt>
            <dd>{f.category ? <Shown text={f.category} /> : '—'}</dd>
          </dl>
          {f.reason && <div className={classes.reason}>
              <Shown text={f.reason} />
            </div>}
          {f.spans.length > 0 && (
            <div className={classes.spanList}>
              {f.spans.map((s, j) => {
                const text = spanText(record, s.field, s.start, s.end);
                const misplaced = unplaced.some((u) => u.flagIndex === i && u.spanIndex === j);
                return (
                  <div key={j} className={classes.spanItem}>
                    <span className="mono">
                      <Shown text={s.field} />
                    </span>
                    <span className={`mono ${classes.dim}`}>
                      [{s.start}, {s.end})
                    </span>
                    {s.label && <span className={classes.spanLabel}>
                        <Shown text={s.label} />
                      </span>}
                    <span className={`${classes.spanQuote} truncate`}>{misplaced ? 'no such message' : <Shown text={`“${text ?? ''}”`} />}</span>
                    {!misplaced && (
                      <Button size="compact-xs" variant="subtle" onClick={() => revealSpan(`${i}:${j}`)}>
                        Show
                      </Button>
                    )}
                  </div>
                );
              })}
            </div>
          )}
        </div>
      ))}
    </div>
  );
}

export function Empty({ text }: { text: string }) {
  return (
    <Text size="sm" c="dimmed" p="lg" ta="center">
      {text}
    </Text>
  );
}
