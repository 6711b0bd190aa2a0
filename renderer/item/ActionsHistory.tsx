/** An item's holds, releases, reopens (with their reasons), gold marks and consult notes, oldest first. */
import { Badge } from '@mantine/core';
import { formatDateTime } from '../lib/time.ts';
import { useAsync } from '../lib/useAsync.ts';
import { useChangeVersion } from '../shell/changes.ts';
import { fetchItemActions } from '../expert/queries.ts';
import classes from './Item.module.css';

const KIND_LABEL: Record<string, string> = { hold: 'Held', release: 'Released', reopen: 'Reopened', gold: 'Gold', consult: 'Consult note', reveal: 'Revealed' };

export function ActionsHistory({ itemId }: { itemId: string }) {
  const version = useChangeVersion();
  const { data } = useAsync(`actions:${itemId}:${version}`, () => fetchItemActions(itemId));
  const rows = (data?.actions ?? []).filter((a) => a.kind !== 'reveal');
  if (rows.length === 0) return null;
  return (
    <section className={classes.card} data-testid="history-actions">
      <div className={classes.cardHead}>
        <span className={classes.cardTitle}>Holds, reopens and notes</span>
        <span className={classes.dim}>{rows.length}</span>
      </div>
      <div className={classes.events}>
        {rows.map((a) => {
          const data = JSON.parse(a.data) as { decision?: string; labels?: string[] };
          return (
            <div key={a.id} className={classes.event} data-testid="history-action" data-kind={a.kind}>
              <Badge size="xs" variant="light" color={a.kind === 'reopen' ? 'violet' : a.kind === 'hold' ? 'cyan' : 'gray'}>
                {KIND_LABEL[a.kind] ?? a.kind}
              </Badge>
              <span data-testid="history-action-reason">
                {a.kind === 'gold' ? (data.decision ? `${data.decision}${data.labels?.length ? ` · ${data.labels.join(', ')}` : ''}` : 'unmarked') : (a.reason ?? '')}
                {a.dueAt ? ` (review by ${formatDateTime(a.dueAt)})` : ''}
              </span>
              <span className={classes.dim}>
                {a.actor} · {formatDateTime(a.at)}
              </span>
            </div>
          );
        })}
      </div>
    </section>
  );
}
