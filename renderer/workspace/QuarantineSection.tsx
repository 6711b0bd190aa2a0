import { Button, Loader, Text } from '@mantine/core';
import { useState } from 'react';
import type { QuarantineRow } from '../../electron/shared/contract.ts';
import { errorMessage, formatCount } from '../lib/format.ts';
import { formatDateTime } from '../lib/time.ts';
import { useAsync } from '../lib/useAsync.ts';
import { useChangeVersion } from '../shell/changes.ts';
import { fetchQuarantine } from './queries.ts';
import classes from './Workspace.module.css';

/** Lines that could not be ingested. Their raw text is hostile: it is only ever shown as text. */
export function QuarantineSection() {
  const version = useChangeVersion();
  const { data, error } = useAsync(`quarantine:${version}`, () => fetchQuarantine());
  const [more, setMore] = useState<{ key: number; rows: QuarantineRow[]; done: boolean }>({ key: -1, rows: [], done: false });
  const [moreError, setMoreError] = useState<string | null>(null);
  if (error) return <Text c="red" size="sm">{error}</Text>;
  if (!data) return <Loader size="sm" type="dots" />;
  const extra = more.key === version ? more.rows : [];
  const rows = [...data, ...extra];
  const done = more.key === version ? more.done : data.length < 50;
  const loadMore = async () => {
    const last = rows[rows.length - 1];
    if (!last) return;
    try {
      const next = await fetchQuarantine(last.seq);
      setMore({ key: version, rows: [...extra, ...next], done: next.length < 50 });
    } catch (err) {
      setMoreError(errorMessage(err));
    }
  };
  if (rows.length === 0) return <Text size="sm" c="dimmed">Nothing in quarantine.</Text>;
  return (
    <div className={classes.list} data-testid="quarantine-list">
      {rows.map((q) => (
        <div key={q.id} className={classes.quarantine} data-testid="quarantine-row">
          <div className={classes.qReason} data-testid="quarantine-reason">
            {q.error}
          </div>
          <div className={classes.qMeta}>
            <span className={`mono ${classes.breakAll}`} data-testid="quarantine-location">
              {q.file}:{q.line}
            </span>
            <span>byte {formatCount(q.byteOffset)}</span>
            {q.jsonPath && (
              <span>
                path <span className="mono">{q.jsonPath}</span>
              </span>
            )}
            <span>{formatCount(q.rawBytes)} bytes</span>
            <span>{formatDateTime(q.createdAt)}</span>
          </div>
          <pre className="raw-pre" data-testid="quarantine-raw">
            {q.raw}
          </pre>
        </div>
      ))}
      {moreError && <Text c="red" size="xs">{moreError}</Text>}
      {!done && (
        <Button size="xs" variant="default" onClick={() => void loadMore()}>
          Load older
        </Button>
      )}
    </div>
  );
}
