/** Everything on hold, most overdue first (a lead's view); release puts an item back where it was. */
import { Alert, Badge, Button, Loader, Text } from '@mantine/core';
import { call } from '../api.ts';
import { errorMessage, shortId } from '../lib/format.ts';
import { formatDateTime } from '../lib/time.ts';
import { useAsync } from '../lib/useAsync.ts';
import { useChangeVersion } from '../shell/changes.ts';
import { fetchHolds } from './queries.ts';
import classes from './Expert.module.css';
import { useState } from 'react';

export function Holds() {
  const version = useChangeVersion();
  const { data, error } = useAsync(`holds:${version}`, fetchHolds);
  const [failed, setFailed] = useState<string | null>(null);
  if (error) return <Alert color="red">{error}</Alert>;
  if (!data) return <Loader size="sm" type="dots" />;
  const overdue = data.holds.filter((h) => h.overdue).length;
  return (
    <div data-testid="holds">
      <Text size="sm" mb={8}>
        {data.holds.length} on hold · <b data-testid="holds-overdue">{overdue}</b> overdue
      </Text>
      {failed && <Alert color="red">{failed}</Alert>}
      {data.holds.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing on hold.
        </Text>
      ) : (
        <table className={classes.table}>
          <thead>
            <tr>
              <th>Item</th>
              <th>Route</th>
              <th>Reason</th>
              <th>Review by</th>
              <th>Held by</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.holds.map((h) => (
              <tr key={h.itemId} data-testid="hold-row" data-overdue={h.overdue || undefined}>
                <td>#{shortId(h.itemId)}</td>
                <td>{h.route}</td>
                <td className={classes.wrap}>{h.reason}</td>
                <td>
                  {formatDateTime(h.reviewBy)}{' '}
                  {h.overdue && (
                    <Badge size="xs" color="red" variant="light" data-testid="hold-overdue">
                      Overdue
                    </Badge>
                  )}
                </td>
                <td>{h.heldBy}</td>
                <td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() => call('item.release', { itemId: h.itemId }).catch((err: unknown) => setFailed(errorMessage(err)))}
                    data-testid="hold-release"
                  >
                    Release
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
