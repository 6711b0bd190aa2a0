/**
 * Expert overturn rate per model and model version: reviewed items whose first decision an
 * expert amendment or an adjudication overturned, with the counts behind each rate and its 95%
 * interval (the oversight dashboard's "Overturn rate", split by model).
 */
import { Alert, Loader, Text } from '@mantine/core';
import { useAsync } from '../lib/useAsync.ts';
import { useChangeVersion } from '../shell/changes.ts';
import { Shown } from '../lib/Shown.tsx';
import { fetchOverturns } from './queries.ts';
import classes from './Expert.module.css';

const pct = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(1)}%`);

export function Overturns() {
  const version = useChangeVersion();
  const { data, error } = useAsync(`overturns:${version}`, fetchOverturns);
  if (error) return <Alert color="red">{error}</Alert>;
  if (!data) return <Loader size="sm" type="dots" />;
  const t = data.total;
  return (
    <div data-testid="overturns">
      <Text size="sm" mb={8}>
        {data.from ? `${data.from} to ${data.to}: ` : ''}
        <b data-testid="overturns-total">
          {t.overturned} of {t.reviewed}
        </b>{' '}
        reviewed items overturned ({pct(t.rate)}). An overturn is an expert amendment or an adjudication that changed the first decision.
      </Text>
      {data.rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          No reviewed items yet.
        </Text>
      ) : (
        <table className={classes.table}>
          <thead>
            <tr>
              <th>Model</th>
              <th>Version</th>
              <th className={classes.num}>Overturned</th>
              <th className={classes.num}>Reviewed</th>
              <th className={classes.num}>Rate</th>
              <th className={classes.num}>95% interval</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => (
              <tr key={`${r.model}\u0000${r.version}`} data-testid="overturn-row" data-model={r.model} data-version={r.version}>
                <td>
                  <Shown text={r.model} />
                </td>
                <td>
                  <Shown text={r.version} />
                </td>
                <td className={classes.num}>{r.overturned}</td>
                <td className={classes.num}>{r.reviewed}</td>
                <td className={classes.num}>{pct(r.rate)}</td>
                <td className={classes.num}>
                  {pct(r.lo)} – {pct(r.hi)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
