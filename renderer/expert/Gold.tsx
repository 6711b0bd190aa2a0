/**
 * Gold items (their known-correct verdict, marked by a lead) and each reviewer's accuracy on
 * them by month. Gold items never enter a dataset export.
 */
import { Alert, Badge, Loader, Text } from '@mantine/core';
import { shortId } from '../lib/format.ts';
import { formatDateTime } from '../lib/time.ts';
import { useAsync } from '../lib/useAsync.ts';
import { useChangeVersion } from '../shell/changes.ts';
import { fetchGold } from './queries.ts';
import classes from './Expert.module.css';

const pct = (a: number, b: number) => (b ? `${Math.round((100 * a) / b)}%` : '—');

export function Gold() {
  const version = useChangeVersion();
  const { data, error } = useAsync(`gold:${version}`, fetchGold);
  if (error) return <Alert color="red">{error}</Alert>;
  if (!data) return <Loader size="sm" type="dots" />;
  return (
    <div data-testid="gold">
      <div className={classes.section}>
        <Text fw={600} size="sm" mb={4}>
          Reviewer accuracy on gold items
        </Text>
        {data.accuracy.length === 0 ? (
          <Text size="sm" c="dimmed">
            No reviewer has decided a gold item yet.
          </Text>
        ) : (
          <table className={classes.table} data-testid="gold-accuracy">
            <thead>
              <tr>
                <th>Reviewer</th>
                <th>Month</th>
                <th>Gold items</th>
                <th>Decision correct</th>
                <th>Decision and labels</th>
              </tr>
            </thead>
            <tbody>
              {data.accuracy.map((a) => (
                <tr key={`${a.reviewer}/${a.period}`} data-testid="gold-accuracy-row" data-reviewer={a.reviewer}>
                  <td>{a.reviewer}</td>
                  <td>{a.period}</td>
                  <td>{a.items}</td>
                  <td data-testid="gold-correct">
                    {pct(a.correct, a.items)} ({a.correct})
                  </td>
                  <td>
                    {pct(a.exact, a.items)} ({a.exact})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <Text fw={600} size="sm" mb={4}>
        Gold items ({data.items.length}) — never exported as labels
      </Text>
      <table className={classes.table}>
        <thead>
          <tr>
            <th>Item</th>
            <th>Route</th>
            <th>Gold verdict</th>
            <th>Marked</th>
          </tr>
        </thead>
        <tbody>
          {data.items.map((g) => (
            <tr key={g.itemId} data-testid="gold-row">
              <td>#{shortId(g.itemId)}</td>
              <td>{g.route}</td>
              <td>
                <Badge size="xs" variant="light">
                  {g.decision}
                </Badge>{' '}
                {g.labels.join(', ')}
              </td>
              <td>
                {g.markedBy}, {formatDateTime(g.markedAt)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
