import { Badge, Loader, Text } from '@mantine/core';
import { formatCount } from '../lib/format.ts';
import { formatDateTime } from '../lib/time.ts';
import { useAsync } from '../lib/useAsync.ts';
import { useChangeVersion } from '../shell/changes.ts';
import { fetchSources } from './queries.ts';
import classes from './Workspace.module.css';

export function SourcesSection() {
  const version = useChangeVersion();
  const { data, error } = useAsync(`sources:${version}`, fetchSources);
  if (error) return <Text c="red" size="sm">{error}</Text>;
  if (!data) return <Loader size="sm" type="dots" />;
  if (data.length === 0) return <Text size="sm" c="dimmed">No sources yet: ingest a file above.</Text>;
  return (
    <div className={classes.list} data-testid="sources-list">
      {data.map((s) => (
        <div key={s.id} className={classes.source} data-testid="source-row">
          <div className={classes.sourceHead}>
            <span className={`${classes.sourceName} truncate`} data-testid="source-name">
              {s.name}
            </span>
            <Badge size="xs" variant="light" color="gray">
              {s.kind}
            </Badge>
            {s.preset && (
              <Badge size="xs" variant="light" color="violet">
                {s.preset}
              </Badge>
            )}
            <span className={classes.spacer} />
            <span className={classes.stat}>{formatCount(s.items)} {s.items === 1 ? 'item' : 'items'}</span>
            {s.quarantined > 0 && <span className={`${classes.stat} ${classes.warnText}`}>{formatCount(s.quarantined)} quarantined</span>}
          </div>
          <div className={`mono ${classes.dim} ${classes.breakAll}`}>{s.uri}</div>
          <div className={classes.dim}>Registered {formatDateTime(s.createdAt)}</div>
          {s.files.length > 0 && (
            <div className={classes.files}>
              {s.files.map((f) => (
                <div key={f.id} className={classes.file}>
                  <span className={`mono truncate ${classes.breakAll}`}>{f.path}</span>
                  <span className={classes.dim}>{formatCount(f.lines)} {f.lines === 1 ? 'line' : 'lines'}</span>
                  <span className={classes.dim}>{formatCount(f.offset)} / {formatCount(f.size)} bytes</span>
                </div>
              ))}
            </div>
          )}
        </div>
      ))}
    </div>
  );
}
